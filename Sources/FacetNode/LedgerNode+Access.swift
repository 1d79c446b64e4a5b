import FacetCore
import FacetLedger

/// The access policy (`AccessPolicy`) asked against the committed state, in one hop of the actor per question, so
/// the parties, the reader's roles and its consents all come from one height.
extension LedgerNode {
    /// The policy's decision on each of `transactions` for `reader`, consents counted active at `now`, with the
    /// record's parties (whom a receipt for it goes to).
    public func access(_ transactions: [Transaction], for reader: Reader, now: Timestamp) -> [(
        decision: AccessPolicy.Decision, parties: [MemberID]
    )] {
        let reader = operated(reader)
        // The operator sees every record, unreceipted: no scope to work out on the actor (its watchers read
        // every block).
        if reader.isOperator {
            return transactions.map { _ in (AccessPolicy.Decision(view: .full, basis: .party), []) }
        }
        let consents = consentFrom(reader, now: now)
        return transactions.map { transaction in
            let scope = RecordScope.of(transaction) { self.state[$0] }
            return (AccessPolicy.decide(scope, for: reader, consentFrom: consents), scope.parties)
        }
    }

    /// The policy's decision on a piece's full card (owner, invoice, pledge).
    public func access(_ piece: Piece, for reader: Reader, now: Timestamp) -> AccessPolicy.Decision {
        let reader = operated(reader)
        return AccessPolicy.decide(RecordScope.of(piece), for: reader, consentFrom: consentFrom(reader, now: now))
    }

    /// Whether `reader` reads `firm`'s private records as a whole, on which basis, and the consent it reads under.
    public func firmAccess(_ firm: MemberID, for reader: Reader, now: Timestamp) -> (
        basis: AccessPolicy.Basis, consent: Consent?
    )? {
        Self.firmAccess(firm, for: reader, now: now, operatorID: validatorID) { state.record(Consent.self, $0) }
    }

    /// `firmAccess` over any height's consents (`consent` reads one by its key): credit serving asks it of the
    /// state its index stands at.
    nonisolated static func firmAccess(
        _ firm: MemberID, for reader: Reader, now: Timestamp, operatorID: MemberID?, consent: (Hash256) -> Consent?
    ) -> (basis: AccessPolicy.Basis, consent: Consent?)? {
        let reader = reader.member == operatorID ? reader.asOperator : reader
        let active = reader.member.flatMap { lender in
            consent(Consent.key(firm: firm, lender: lender)).flatMap {
                $0.firm == firm && $0.lender == lender && $0.isActive(at: now) ? $0 : nil
            }
        }
        guard let basis = AccessPolicy.readsFirm(firm, reader: reader, consentActive: active != nil) else {
            return nil
        }
        return (basis, active)
    }

    /// The committed height.
    public var height: UInt64 { state.height }

    /// The reader a member is at the committed height: its roles and whether it is active.
    public func reader(_ member: MemberID) -> Reader? {
        record(Member.self, member.hash).map(Reader.init)
    }

    /// The reader, marked as this node's operator when it signs with this node's validator key.
    private func operated(_ reader: Reader) -> Reader {
        reader.member == validatorID ? reader.asOperator : reader
    }

    private func consentFrom(_ reader: Reader, now: Timestamp) -> (MemberID) -> Bool {
        guard let lender = reader.member else { return { _ in false } }
        return { firm in self.activeConsent(firm: firm, lender: lender, now: now) != nil }
    }

    private func activeConsent(firm: MemberID, lender: MemberID, now: Timestamp) -> Consent? {
        guard let consent = record(Consent.self, Consent.key(firm: firm, lender: lender)),
            consent.firm == firm, consent.lender == lender, consent.isActive(at: now)
        else { return nil }
        return consent
    }
}
