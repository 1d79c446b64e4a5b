import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// `rotate_validator_key`: a validator replaces its consensus key by a transaction its member key signs, keeps its
/// seat, and the new key signs from the next height; what the old key signs there no longer counts.
@Suite struct ValidatorKeyRotationTests {
    static func rotation(
        _ f: LedgerFixture, _ name: String, to key: SigningKey, purpose: SignaturePurpose = .validatorKeyRotation,
        provedBy prover: SigningKey? = nil
    ) -> TransactionBody {
        let payload = ValidatorKeyRotation.payload(member: f.id(name), newKey: key.publicKey)
        let proof = (prover ?? key).sign(purpose: purpose, chainID: LedgerFixture.chainID, payload: payload)
        return .rotateValidatorKey(.init(newKey: key.publicKey, proof: proof))
    }

    @Test func refusals() {
        var f = LedgerFixture()
        let fresh = LedgerFixture.key(seed: 501, name: "v2-consensus")
        var r = f.refusal("firmA", Self.rotation(f, "firmA", to: fresh))
        #expect(r.code == .missingRole && r.unchanged)
        // The old key's signature, or a member-key rotation's proof, is no proof that the new key is held.
        r = f.refusal("v2", Self.rotation(f, "v2", to: fresh, provedBy: f.actor("v2").key))
        #expect(r.code == .badKeyProof && r.unchanged)
        r = f.refusal("v2", Self.rotation(f, "v2", to: fresh, purpose: .keyRotation))
        #expect(r.code == .badKeyProof && r.unchanged)
        // Another member's key, another validator's consensus key or its own: never shared, never reused.
        r = f.refusal("v2", Self.rotation(f, "v2", to: f.actor("firmB").key))
        #expect(r.code == .keyInUse && r.unchanged)
        r = f.refusal("v2", Self.rotation(f, "v2", to: f.actor("v3").key))
        #expect(r.code == .keyInUse && r.unchanged)
        r = f.refusal("v2", Self.rotation(f, "v2", to: f.actor("v2").key))
        #expect(r.code == .keyInUse && r.unchanged)
    }

    @Test func theNewKeySignsFromTheNextHeightAndTheSeatStays() {
        var f = LedgerFixture()
        let before = f.state
        let v2 = f.actor("v2")
        let fresh = LedgerFixture.key(seed: 502, name: "v2-consensus")
        let again = LedgerFixture.key(seed: 503, name: "v2-consensus-2")
        // Two in one block: the second waits for the first to take effect.
        let outcome = f.run([
            f.sign("v2", Self.rotation(f, "v2", to: fresh)), f.sign("v2", Self.rotation(f, "v2", to: again)),
        ])
        #expect(outcome.results[0].accepted, "\(String(describing: outcome.results[0].error))")
        #expect(outcome.results[1].error?.code == .validatorChangePending)
        let height = outcome.height
        let schedule = f.state.validators
        // Still signed by the old set at this height; the header announces the rotated one for the next.
        #expect(schedule.set(at: height) == before.validators.current)
        let rotated = schedule.set(at: height + 1)
        #expect(rotated.validator(v2.id)?.publicKey == fresh.publicKey)
        #expect(rotated.validators.map(\.member) == before.validators.current.validators.map(\.member))
        #expect(schedule.nextEffectiveHeight == height + 1)
        let header = BlockHeader(outcome: outcome, executedOn: before, previousBlockID: .zero, proposer: v2.id)
        #expect(header.nextValidatorsHash == rotated.hash && header.nextValidatorsHash != header.validatorsHash)
        // Its member key is untouched and still signs its transactions; the new key is reserved to it.
        #expect(f.state.record(Member.self, v2.id.hash)?.publicKey == v2.key.publicKey)
        #expect(f.state[StateKey(.publicKeyIndex, fresh.publicKey.raw)] == .publicKeyIndex(v2.id))

        // The next block is the first the new key signs; another rotation may follow from there.
        f.run([])
        #expect(f.state.validators.current == rotated && f.state.validators.next == nil)
        #expect(f.submit("v2", Self.rotation(f, "v2", to: again)).accepted)
    }

    /// A certificate at the first height of the new key verifies with the new key's precommit and not with the old
    /// key's, and a vote the old key signs there does not verify under the set.
    @Test func oldKeyPrecommitsNoLongerCountAfterTheSwitch() {
        var f = LedgerFixture()
        let fresh = LedgerFixture.key(seed: 504, name: "v2-consensus")
        let rotation = f.run([f.sign("v2", Self.rotation(f, "v2", to: fresh))])
        let executedOn = f.state
        let outcome = f.run([])
        let header = BlockHeader(
            outcome: outcome, executedOn: executedOn, previousBlockID: .zero, proposer: f.id("v1"))
        let set = executedOn.validators.set(at: outcome.height)
        #expect(outcome.height == rotation.height + 1 && set.validator(f.id("v2"))?.publicKey == fresh.publicKey)
        func certificate(v2Key: SigningKey) -> CommitCertificate {
            let keys = [("v1", f.actor("v1").key), ("v2", v2Key), ("v3", f.actor("v3").key)]
            return CommitCertificate(
                height: header.height, round: 0, blockID: header.id,
                signatures: keys.map { name, key in
                    CommitCertificate.precommit(
                        height: header.height, round: 0, blockID: header.id, chainID: LedgerFixture.chainID,
                        validator: f.id(name), key: key)
                })
        }
        #expect(certificate(v2Key: fresh).verify(header: header, validators: set) == .valid)
        #expect(
            certificate(v2Key: f.actor("v2").key).verify(header: header, validators: set) == .badSignature(f.id("v2")))
        let oldVote = Vote.sign(
            .prevote, height: header.height, round: 0, blockID: header.id, chainID: LedgerFixture.chainID,
            validator: f.id("v2"), key: f.actor("v2").key)
        #expect(!oldVote.hasValidSignature(key: set.validator(f.id("v2"))!.publicKey, chainID: LedgerFixture.chainID))
    }

    /// The golden vector (`contracts/vectors/encoding.json`, made by the Python reference): Swift decodes it, and
    /// the envelope and the proof verify under the keys of the vector's seeds, with the payload and purpose above.
    @Test func goldenVectorVerifies() throws {
        struct Vector: Decodable {
            var name: String
            var hex: String?
        }
        struct File: Decodable { var valid: [Vector] }
        let file = try ContractFiles.json(File.self, "vectors/encoding.json")
        let vector = try #require(file.valid.first { $0.name == "rotate_validator_key transaction" })
        let transaction = try Transaction(canonicalBytes: try #require(Hex.decode(vector.hex ?? "")))
        let member = try SigningKey(seed: Array(repeating: 0x04, count: 32))
        let consensus = try SigningKey(seed: Array(repeating: 0x05, count: 32))
        #expect(transaction.body.tag == 51 && transaction.body.kind.description == "rotate_validator_key")
        #expect(transaction.signer == MemberID(initialKey: member.publicKey))
        #expect(transaction.hasValidSignature(key: member.publicKey))
        guard case .rotateValidatorKey(let body) = transaction.body else {
            Issue.record("not a rotate_validator_key body")
            return
        }
        #expect(body.newKey == consensus.publicKey)
        let payload = ValidatorKeyRotation.payload(member: transaction.signer, newKey: body.newKey)
        #expect(
            body.newKey.verify(
                body.proof, purpose: .validatorKeyRotation, chainID: transaction.chainID, payload: payload))
        #expect(!body.newKey.verify(body.proof, purpose: .keyRotation, chainID: transaction.chainID, payload: payload))
    }

    /// A later set change keeps a rotated validator on its consensus key (its member key would no longer do).
    @Test func aLaterSetChangeKeepsTheRotatedKey() {
        var f = LedgerFixture()
        let fresh = LedgerFixture.key(seed: 505, name: "v2-consensus")
        #expect(f.submit("v2", Self.rotation(f, "v2", to: fresh)).accepted)
        f.run([])
        let current = f.state.validators.current
        let smaller = ValidatorSet(current.validators.filter { $0.member != f.id("v4") })
        let effective = f.state.height + 1 + f.state.params.validatorChangeDelay
        let payload = ValidatorChangePayload.bytes(validators: smaller, effectiveHeight: effective)
        let keys = ["v1": f.actor("v1").key, "v2": fresh, "v3": f.actor("v3").key]
        let approvals = keys.keys.sorted().map { name in
            ValidatorApproval(
                validator: f.id(name),
                signature: keys[name]!.sign(
                    purpose: .validatorSetChange, chainID: LedgerFixture.chainID, payload: payload))
        }
        let result = f.submit(
            "v1", .changeValidators(.init(validators: smaller, effectiveHeight: effective, approvals: approvals)))
        #expect(result.accepted, "\(String(describing: result.error))")
        #expect(f.state.validators.next?.validator(f.id("v2"))?.publicKey == fresh.publicKey)
    }
}
