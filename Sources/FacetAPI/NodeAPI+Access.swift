import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import Hummingbird

/// How every route reads through the access policy: the reader is proven once per request, each record is decided
/// by `AccessPolicy` against the committed state, and every full view granted on a consent or the auditor role is
/// receipted to the firms it concerns before the answer leaves the node.
extension NodeAPI {
    /// The request's reader: anonymous without a signature, else the proven member.
    func reader(_ request: Request) async throws(APIError) -> Reader {
        try await authenticator().reader(request)
    }

    /// The member signing a request that must be signed.
    func signedMember(_ request: Request) async throws(APIError) -> Member {
        try await authenticator().authenticate(request)
    }

    /// The decision on each transaction with its parties, consents counted at the node's clock.
    func decide(_ transactions: [Transaction], for reader: Reader) async -> [(
        decision: AccessPolicy.Decision, parties: [MemberID]
    )] {
        await node.access(transactions, for: reader, now: clock.now())
    }

    /// The transactions of `transactions` the policy shows `reader` in full, receipted as `what`: a flag for each.
    func fullViews(_ transactions: [Transaction], for reader: Reader, what: String) async throws(APIError) -> [Bool] {
        guard reader.member != nil else { return transactions.map { _ in false } }
        let decisions = await decide(transactions, for: reader)
        var grants = [(basis: AccessPolicy.Basis, parties: [MemberID])]()
        for entry in decisions where entry.decision.view == .full {
            if let basis = entry.decision.basis, basis != .party { grants.append((basis, entry.parties)) }
        }
        try await receipt(grants, reader: reader, what: what)
        return decisions.map { $0.decision.view == .full }
    }

    /// Records what `reader` was shown of firms' private data (`what`), one receipt per firm: the firms whose
    /// consent a full view was granted on, and for an auditor every firm its records name. The receipts are
    /// durable before the answer is sent; a store that cannot take them fails the read (503), so no private read
    /// goes unreceipted.
    package func receipt(
        _ grants: [(basis: AccessPolicy.Basis, parties: [MemberID])], reader: Reader, what: String
    ) async throws(APIError) {
        guard let member = reader.member else { return }
        var consenting = Set<MemberID>()
        var auditorParties = Set<MemberID>()
        for grant in grants {
            switch grant.basis {
            case .party: continue
            case .consent(let firm): consenting.insert(firm)
            case .auditor: auditorParties.formUnion(grant.parties)
            }
        }
        guard !consenting.isEmpty || !auditorParties.isEmpty else { return }
        let now = clock.now()
        var receipts = [AccessReceipt]()
        let height = await node.height
        let keys = consenting.sorted { $0.hash < $1.hash }.map { Consent.key(firm: $0, lender: member) }
        for consent in await node.records(Consent.self, keys) {
            receipts.append(
                AccessReceipt(
                    firm: consent.firm, reader: member, what: what, basis: .consent(grantedAt: consent.grantedAt),
                    at: now, height: height))
        }
        if !auditorParties.isEmpty {
            let named = await node.records(Member.self, auditorParties.map(\.hash).sorted())
            for firm in named where firm.roles.contains(.firm) && firm.id != member {
                receipts.append(
                    AccessReceipt(firm: firm.id, reader: member, what: what, basis: .auditor, at: now, height: height))
            }
        }
        try await record(receipts)
    }

    /// Records `receipts` durably.
    func record(_ receipts: [AccessReceipt]) async throws(APIError) {
        guard !receipts.isEmpty else { return }
        try await read { () async throws(StoreError) in try await node.store.recordReceipts(receipts) }
    }

    /// One receipt for a read of `firm`'s private data as a whole (a report, a list of records), when it was read
    /// on a consent or as an auditor.
    package func receipt(firm: MemberID, basis: AccessPolicy.Basis, consent: Consent?, reader: MemberID, what: String) async
        throws(APIError)
    {
        let kind: AccessReceipt.Basis
        switch basis {
        case .party: return
        case .auditor: kind = .auditor
        case .consent:
            guard let consent else { return }
            kind = .consent(grantedAt: consent.grantedAt)
        }
        let height = await node.height
        try await record([
            AccessReceipt(firm: firm, reader: reader, what: what, basis: kind, at: clock.now(), height: height)
        ])
    }
}
