import FacetCore
import FacetLedger

extension LimitAdvisor {
    /// Something a firm can do to records so that more of them count toward a borrowing base.
    enum RecordAction: CaseIterable, Sendable {
        /// Unconfirmed invoices naming a buyer: the buyer confirms them.
        case confirmInvoices
        /// Confirmed invoices under an open dispute: the dispute is settled without changing the amount.
        case resolveDisputes
        /// Pieces that lack only custody (certified where their category needs it): a warehouse takes them in and
        /// audits them now.
        case custodyPieces
        /// Pieces whose category needs a lab's certification and lack it: certified, then taken into custody.
        case certifyPieces

        var code: String {
            switch self {
            case .confirmInvoices: LimitAdvice.confirmInvoices
            case .resolveDisputes: LimitAdvice.resolveDisputes
            case .custodyPieces: LimitAdvice.custodyPieces
            case .certifyPieces: LimitAdvice.certifyPieces
            }
        }
    }

    /// A record an action would make count, with what it adds: a piece's lendable value once acted on (the most
    /// over the products that take pieces), an invoice's outstanding amount.
    struct Candidate: Hashable, Sendable {
        var id: Hash256
        var weight: Int64
    }

    func recordAdvice() -> [LimitAdvice] {
        RecordAction.allCases.compactMap { advise($0) }
    }

    /// The action on the fewest records that gets the whole effect: records are added most valuable first (at most
    /// `LimitAdvice.maxRecords`) until every product's limit equals what acting on all of them gives (a limit stops
    /// rising once another cap binds). Nil when acting on all of them raises nothing.
    func advise(_ action: RecordAction) -> LimitAdvice? {
        let candidates = Array(candidates(action).prefix(LimitAdvice.maxRecords))
        guard !candidates.isEmpty else { return nil }
        let full = effect(of: apply(action, to: candidates.map(\.id)))
        guard full.improves else { return nil }
        var chosen = candidates
        var chosenEffect = full
        for count in 1..<candidates.count {
            let prefix = Array(candidates.prefix(count))
            let partial = effect(of: apply(action, to: prefix.map(\.id)))
            if partial.outcome.offeredLimits == full.outcome.offeredLimits && partial.gradeSteps == full.gradeSteps {
                chosen = prefix
                chosenEffect = partial
                break
            }
        }
        var amount: Int64 = 0
        for candidate in chosen { amount = ReceivablesBase.add(amount, candidate.weight) }
        return LimitAdvice(
            code: action.code, text: text(action, count: chosen.count, amount: amount) + ": " + describe(chosenEffect),
            records: chosen.map(\.id), grade: chosenEffect.grade, score: chosenEffect.score,
            gradeSteps: chosenEffect.gradeSteps, limits: chosenEffect.limits)
    }

    /// The records the action would make count, most valuable first (ties by id).
    func candidates(_ action: RecordAction) -> [Candidate] {
        let asOf = evidence.features.asOf
        var found = [Candidate]()
        switch action {
        case .custodyPieces, .certifyPieces:
            let termsList = context.products.compactMap(\.collateral)
            let blocker: PieceExclusion = action == .custodyPieces ? .unverifiedCustody : .uncertified
            for piece in evidence.pieces {
                let blocked = termsList.contains {
                    CollateralValuation.value(piece, prices: evidence.prices, terms: $0, asOf: asOf).exclusion
                        == blocker
                }
                guard blocked else { continue }
                let changed = Self.acted(action, on: piece, asOf: asOf)
                var weight: Int64 = 0
                for terms in termsList {
                    let valued = CollateralValuation.value(changed, prices: evidence.prices, terms: terms, asOf: asOf)
                    if valued.isEligible { weight = max(weight, valued.lendableValue) }
                }
                if weight > 0 { found.append(Candidate(id: piece.id.hash, weight: weight)) }
            }
        case .confirmInvoices, .resolveDisputes:
            let termsList = context.products.compactMap(\.receivables)
            let blocker: ReceivableExclusion = action == .confirmInvoices ? .unconfirmed : .disputed
            for receivable in evidence.receivables where receivable.buyer != nil {
                let changed = Self.acted(action, on: receivable)
                let counts = termsList.contains { terms in
                    ReceivablesBase.value([receivable], terms: terms, asOf: asOf).first?.exclusion == blocker
                        && ReceivablesBase.value([changed], terms: terms, asOf: asOf).first?.exclusion == nil
                }
                if counts { found.append(Candidate(id: receivable.id.hash, weight: max(0, receivable.outstanding))) }
            }
        }
        return found.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.id < $1.id }
    }

    /// The evidence once the action is done on the records `ids` names.
    func apply(_ action: RecordAction, to ids: [Hash256]) -> CreditEvidence {
        var changed = evidence
        let asOf = evidence.features.asOf
        switch action {
        case .custodyPieces, .certifyPieces:
            changed.pieces = evidence.pieces.map {
                ids.contains($0.id.hash) ? Self.acted(action, on: $0, asOf: asOf) : $0
            }
        case .confirmInvoices, .resolveDisputes:
            changed.receivables = evidence.receivables.map {
                ids.contains($0.id.hash) ? Self.acted(action, on: $0) : $0
            }
        }
        return changed
    }

    static func acted(_ action: RecordAction, on piece: CollateralPiece, asOf: Timestamp) -> CollateralPiece {
        var piece = piece
        if action == .certifyPieces { piece.certified = true }
        piece.inWarehouse = true
        piece.lastAudit = asOf
        return piece
    }

    static func acted(_ action: RecordAction, on receivable: Receivable) -> Receivable {
        var receivable = receivable
        if action == .confirmInvoices { receivable.confirmed = true } else { receivable.disputed = false }
        return receivable
    }

    func text(_ action: RecordAction, count: Int, amount: Int64) -> String {
        let money = AdviceText.money(amount, evidence.currency)
        let one = count == 1
        switch action {
        case .confirmInvoices:
            return "Have your buyers confirm \(one ? "this invoice" : "these \(count) invoices") (\(money) outstanding)"
        case .resolveDisputes:
            let what = one ? "the dispute on this invoice" : "the disputes on these \(count) invoices"
            return "Settle \(what) (\(money) outstanding) with the conciliator"
        case .custodyPieces:
            return "Put \(one ? "this piece" : "these \(count) pieces") in a bonded warehouse (\(money) lendable)"
        case .certifyPieces:
            let what = one ? "this piece and put it" : "these \(count) pieces and put them"
            return "Have a lab certify \(what) in a bonded warehouse (\(money) lendable)"
        }
    }
}
