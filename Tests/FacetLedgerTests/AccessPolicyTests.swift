import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// The access policy's tables agree with its decisions: the provenance tags are exactly the kinds `RecordScope.of`
/// classifies as provenance, and the registration is one of them.
@Suite struct AccessPolicyTests {
    @Test func theProvenanceTagsAreTheKindsClassifiedAsProvenance() {
        var bodies = RandomBodies(seed: 3)
        let signer = MemberID(SHA256Hash.digest([1]))
        var provenance = Set<UInt8>()
        for index in 0..<RandomBodies.kindCount {
            let body = bodies.body(index)
            let transaction = Transaction(chainID: LedgerFixture.chainID, signer: signer, nonce: 1, body: body,
                signature: Signature(r: .zero, s: .zero))
            if RecordScope.of(transaction, record: { _ in nil }).kind == .provenance { provenance.insert(body.tag) }
        }
        #expect(provenance == RecordScope.provenanceTags)
        #expect(RecordScope.provenanceTags.contains(RecordScope.registrationTag))
        #expect(TransactionKindName.names[RecordScope.registrationTag] == "register_piece")
    }

    @Test func anonymousReadersSeeOnlyProvenanceAndTheOperatorSeesAll() {
        let firm = MemberID(SHA256Hash.digest([2]))
        let scope = RecordScope(kind: .business, parties: [firm])
        let piece = RecordScope(kind: .provenance, parties: [firm])
        #expect(AccessPolicy.decide(scope, for: .anonymous, consentFrom: { _ in true }).view == .none)
        #expect(AccessPolicy.decide(piece, for: .anonymous, consentFrom: { _ in true }).view == .provenance)
        let stranger = MemberID(SHA256Hash.digest([3]))
        let lender = Reader(member: stranger, roles: .lender, isActive: true)
        #expect(AccessPolicy.decide(scope, for: lender, consentFrom: { _ in false }) == .none)
        #expect(AccessPolicy.decide(scope, for: lender, consentFrom: { $0 == firm }).basis == .consent(firm: firm))
        let operating = Reader(member: stranger, roles: .validator, isActive: true).asOperator
        #expect(AccessPolicy.decide(scope, for: operating, consentFrom: { _ in false }).basis == .party)
    }
}
