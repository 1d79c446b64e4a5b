import FacetCore

extension LedgerErrorCode {
    /// An offer's rate, term or collateral count is outside what the ledger accepts.
    public static let offerInvalidTerms = Self(rawValue: "offer.invalid_terms")
    /// A fully paid invoice is no longer a receivable, so it cannot secure a loan.
    public static let pledgeSettledInvoice = Self(rawValue: "pledge.settled_invoice")
    /// A loan already holds `Limits.maxListLength` collateral items, the most its record can carry.
    public static let pledgeCollateralLimit = Self(rawValue: "pledge.collateral_limit")
}

/// Finance: a firm's consent lets a lender make it offers; an accepted offer starts a loan, which the borrower
/// secures by pledging pieces and receivables. Each item secures at most one loan at a time, and a receivable
/// is financed at most once ever: the shared ledger is what makes double pledging impossible.
enum FinanceContracts {
    /// The highest annual rate an offer may carry (1,000%): beyond it a rate is a typing error, not a price.
    static let maxRateBasisPoints: UInt32 = 100_000

    static func grantConsent(_ body: GrantConsent, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.firm, "granting consent")
        _ = try state.activeMember(body.lender, roles: .lender)
        if let expiresAt = body.expiresAt {
            try check(expiresAt > context.time, .invalidDate, "consent must expire after \(context.time)")
        }
        let consent = Consent(
            firm: context.signer.id, lender: body.lender, grantedAt: context.time,
            expiresAt: body.expiresAt)
        // Same key for the same pair: granting again is a renewal that replaces the old terms.
        state.put(consent, id: Consent.key(firm: consent.firm, lender: consent.lender))
    }

    static func revokeConsent(_ body: RevokeConsent, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.firm, "revoking consent")
        let key = StateKey(.consent, Consent.key(firm: context.signer.id, lender: body.lender))
        try check(state[key] != nil, .noConsent, "\(context.signer.id) has granted \(body.lender) no consent")
        state.set(key, nil)
    }

    static func registerModel(_ body: RegisterModel, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try check(
            !context.signer.roles.isDisjoint(with: [.lender, .guarantor]), .missingRole,
            "registering a model needs the lender or guarantor role")
        try check(
            state.record(RegisteredModel.self, body.modelHash) == nil, .modelAlreadyRegistered,
            "model \(body.modelHash) is already registered")
        let model = RegisteredModel(
            hash: body.modelHash, name: body.name, registeredBy: context.signer.id, registeredAt: context.time)
        state.put(model, id: model.hash)
    }

    static func makeOffer(_ body: MakeOffer, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.lender, "making an offer")
        try check(
            state.record(RegisteredModel.self, body.modelHash) != nil, .unknownModel,
            "model \(body.modelHash) is not registered")
        _ = try state.activeMember(body.firm, roles: .firm)
        try requireConsent(firm: body.firm, lender: context.signer.id, at: context.time, state)
        try checkTerms(body, context)
        let collateral = ascendingDistinct(body.collateral)
        try check(
            collateral.count <= Limits.maxCollateralPerOffer, .offerInvalidTerms,
            "an offer names at most \(Limits.maxCollateralPerOffer) collateral items")
        for item in collateral { try requireHeld(item, by: body.firm, state) }
        try checkGuarantee(body, lender: context.signer.id, state)
        let offer = Offer(
            id: OfferID(context.id.hash), lender: context.signer.id, firm: body.firm, product: body.product,
            principal: body.principal, rateBasisPoints: body.rateBasisPoints, termDays: body.termDays,
            modelHash: body.modelHash, ledgerHeight: body.ledgerHeight, featuresHash: body.featuresHash,
            expiresAt: body.expiresAt, collateral: collateral, guarantee: body.guarantee)
        state.put(offer, id: offer.id.hash)
    }

    static func acceptOffer(_ body: AcceptOffer, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        guard var offer = state.record(Offer.self, body.offer.hash) else {
            throw LedgerError(.unknownOffer, "no offer \(body.offer)")
        }
        try check(offer.firm == context.signer.id, .notAuthorized, "only \(offer.firm) may accept \(offer.id)")
        try check(offer.status == .open, .offerNotOpen, "offer \(offer.id) is not open")
        try check(context.time < offer.expiresAt, .offerExpired, "offer \(offer.id) expired at \(offer.expiresAt)")
        try requireConsent(firm: offer.firm, lender: offer.lender, at: context.time, state)
        var loan = Loan(id: LoanID(context.id.hash), offer: offer, startedAt: context.time)
        // The offer only named its collateral; accepting pledges it, all or nothing.
        try attach(offer.collateral.sorted(), to: &loan, &state)
        offer.status = .accepted
        state.put(offer, id: offer.id.hash)
        state.put(loan, id: loan.id.hash)
    }

    static func pledge(_ body: Pledge, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        var loan = try state.loan(body.loan)
        try check(loan.status == .active, .loanNotActive, "loan \(loan.id) is not active")
        try check(loan.borrower == context.signer.id, .notBorrower, "only \(loan.borrower) may pledge to \(loan.id)")
        try attach([body.collateral], to: &loan, &state)
        state.put(loan, id: loan.id.hash)
    }

    /// The loan's lender signs a receipt, which lowers what the loan owes at once; the borrower signs a claim, which
    /// changes nothing owed until the lender confirms it. Nobody else signs a repayment on a loan.
    static func repay(_ body: Repay, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        var loan = try state.loan(body.loan)
        let byLender = context.signer.id == loan.lender
        try check(
            byLender || context.signer.id == loan.borrower, .repaymentNotParty,
            "only \(loan.lender) (a receipt) or \(loan.borrower) (a claim) may record a repayment of \(loan.id)")
        try check(loan.status == .active, .loanNotActive, "loan \(loan.id) is not active")
        try checkRepayment(body.amount, on: loan)
        guard byLender else {
            try check(
                loan.openClaim == nil, .claimPending,
                "loan \(loan.id) has a repayment claim awaiting its lender's confirmation")
            let claim = RepaymentClaim(
                id: context.id, loan: loan.id, claimant: context.signer.id, amount: body.amount, at: context.time)
            state.put(claim, id: claim.id.hash)
            loan.openClaim = claim.id
            state.put(loan, id: loan.id.hash)
            return
        }
        try lower(&loan, by: body.amount)
        state.put(loan, id: loan.id.hash)
    }

    /// The lender confirms a borrower's claim: the loan owes the claim's amount less.
    static func confirmRepayment(_ body: ConfirmRepayment, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        guard var claim = state.record(RepaymentClaim.self, body.claim.hash) else {
            throw LedgerError(.unknownClaim, "no repayment claim \(body.claim)")
        }
        var loan = try state.loan(claim.loan)
        try check(
            loan.lender == context.signer.id, .notLender, "only \(loan.lender) may confirm repayments of \(loan.id)")
        try check(claim.status == .open, .claimClosed, "claim \(claim.id) is already confirmed")
        try check(loan.status == .active, .loanNotActive, "loan \(loan.id) is not active")
        try checkRepayment(claim.amount, on: loan)
        try lower(&loan, by: claim.amount)
        claim.status = .confirmed
        if loan.openClaim == claim.id { loan.openClaim = nil }
        state.put(claim, id: claim.id.hash)
        state.put(loan, id: loan.id.hash)
    }

    static func declareDefault(_ body: DeclareDefault, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        var loan = try state.loan(body.loan)
        try check(loan.lender == context.signer.id, .notLender, "only \(loan.lender) may declare \(loan.id) in default")
        try check(loan.status == .active, .loanNotActive, "loan \(loan.id) is not active")
        try check(context.time > loan.dueAt, .notDue, "loan \(loan.id) is due at \(loan.dueAt)")
        precondition(loan.outstanding.isPositive, "an active loan always owes something: repay closes it at zero")
        loan.status = .defaulted
        state.put(loan, id: loan.id.hash)
    }

    static func release(_ body: Release, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        var loan = try state.loan(body.loan)
        let byLender = context.signer.id == loan.lender
        // A loan is repaid only by its lender's receipts or confirmations, so the borrower frees collateral only
        // after the lender acknowledged the whole debt.
        let byRepaidBorrower = context.signer.id == loan.borrower && loan.status == .repaid
        try check(
            byLender || byRepaidBorrower, .notLender,
            "only the lender, or the borrower once the lender confirmed full repayment, may release from \(loan.id)")
        let freed = try released(body.collateral, from: loan, state)
        precondition(loan.collateral.contains(body.collateral), "a pledged item is listed by its loan")
        state.set(freed.key, freed.value)
        loan.collateral.removeAll { $0 == body.collateral }
        state.put(loan, id: loan.id.hash)
    }

    static func guarantee(_ body: GuaranteeLoan, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.guarantor, "guaranteeing a loan")
        var loan = try state.loan(body.loan)
        try check(loan.borrower != context.signer.id, .notAuthorized, "a borrower cannot guarantee its own loan")
        try check(loan.status == .active, .loanNotActive, "loan \(loan.id) is not active")
        try checkCoverage(body.coverageBasisPoints, on: loan)
        try check(!body.fee.isNegative, .invalidAmount, "a guarantee fee is not negative")
        try check(
            body.fee.currency == loan.principal.currency, .currencyMismatch,
            "loan \(loan.id) is in \(loan.principal.currency)")
        let guarantee = Guarantee(
            id: GuaranteeID(context.id.hash), guarantor: context.signer.id, loan: loan.id,
            coverageBasisPoints: body.coverageBasisPoints, fee: body.fee, at: context.time)
        loan.guaranteedBasisPoints += body.coverageBasisPoints
        state.put(guarantee, id: guarantee.id.hash)
        state.put(loan, id: loan.id.hash)
    }
}

// MARK: - Checks shared by the contracts

extension FinanceContracts {
    /// A record rewritten by a contract, computed while checking and written only once every check passed.
    private struct Write {
        let key: StateKey
        let value: StateValue
    }

    private static func requireConsent(firm: MemberID, lender: MemberID, at time: Timestamp, _ state: StateView)
        throws(LedgerError)
    {
        let consent = state.record(Consent.self, Consent.key(firm: firm, lender: lender))
        try check(consent?.isActive(at: time) == true, .noConsent, "\(firm) gives \(lender) no active consent")
    }

    private static func checkTerms(_ body: MakeOffer, _ context: TransactionContext) throws(LedgerError) {
        try check(body.principal.isPositive, .invalidAmount, "a principal is positive")
        try check(
            (1...maxRateBasisPoints).contains(body.rateBasisPoints), .offerInvalidTerms,
            "a rate is 1 to \(maxRateBasisPoints) basis points")
        try check(
            (1...Limits.maxTermDays).contains(body.termDays), .offerInvalidTerms,
            "a term is 1 to \(Limits.maxTermDays) days")
        try check(body.expiresAt > context.time, .invalidDate, "an offer must expire after \(context.time)")
        // The decision must rest on a committed height, so anyone can recompute it.
        try check(
            body.ledgerHeight < context.height, .futureHeight,
            "height \(body.ledgerHeight) is not committed before \(context.height)")
    }

    /// A guarantee product names its guarantor (an active guarantor other than the firm and the lender), a share of
    /// 1 to 10,000 basis points and a fee in the principal's currency; other products name none.
    private static func checkGuarantee(_ body: MakeOffer, lender: MemberID, _ state: StateView) throws(LedgerError) {
        guard let guarantee = body.guarantee else {
            try check(body.product != .guarantee, .offerInvalidTerms, "a guarantee offer names its guarantor")
            return
        }
        try check(body.product == .guarantee, .offerInvalidTerms, "only a guarantee offer names a guarantor")
        _ = try state.activeMember(guarantee.guarantor, roles: .guarantor)
        try check(
            guarantee.guarantor != body.firm && guarantee.guarantor != lender, .offerInvalidTerms,
            "the guarantor is neither the firm nor the lender")
        try check(
            (1...Limits.maxBasisPoints).contains(guarantee.coverageBasisPoints), .coverageExceeded,
            "a guarantee covers 1 to \(Limits.maxBasisPoints) basis points")
        try check(!guarantee.fee.isNegative, .invalidAmount, "a guarantee fee is not negative")
        try check(
            guarantee.fee.currency == body.principal.currency, .currencyMismatch,
            "the offer is in \(body.principal.currency)")
    }

    /// Ascending and without repeats, the order the canonical encoding gives a set: a body built in memory
    /// with repeats has the same bytes, id and signature as one without, so both must execute alike.
    private static func ascendingDistinct(_ items: [Collateral]) -> [Collateral] {
        var result = [Collateral]()
        for item in items.sorted() where result.last != item { result.append(item) }
        return result
    }

    /// An offer may only name collateral the firm holds; whether it is free is checked when accepted.
    private static func requireHeld(_ item: Collateral, by firm: MemberID, _ state: StateView) throws(LedgerError) {
        switch item {
        case .piece(let id):
            let piece = try state.piece(id)
            try check(piece.owner == firm, .notOwner, "piece \(id) is not owned by \(firm)")
        case .invoice(let id):
            let invoice = try state.invoice(id)
            try check(invoice.seller == firm, .notParty, "invoice \(id) was not issued by \(firm)")
        }
    }

    /// Pledges `items` (ascending, distinct) to `loan`: checks every one before writing any, so a refusal
    /// leaves no item half-pledged. The caller writes the loan.
    private static func attach(_ items: [Collateral], to loan: inout Loan, _ state: inout StateView)
        throws(LedgerError)
    {
        try check(
            loan.collateral.count + items.count <= Limits.maxListLength, .pledgeCollateralLimit,
            "loan \(loan.id) holds at most \(Limits.maxListLength) collateral items")
        var writes = [Write]()
        for item in items { writes.append(try pledged(item, to: loan, state)) }
        for write in writes { state.set(write.key, write.value) }
        loan.collateral = ascendingDistinct(loan.collateral + items)
    }

    private static func pledged(_ item: Collateral, to loan: Loan, _ state: StateView) throws(LedgerError) -> Write {
        switch item {
        case .piece(let id): return try pledgedPiece(id, to: loan, state)
        case .invoice(let id): return try pledgedInvoice(id, to: loan, state)
        }
    }

    private static func pledgedPiece(_ id: PieceID, to loan: Loan, _ state: StateView) throws(LedgerError) -> Write {
        var piece = try state.piece(id)
        try check(piece.owner == loan.borrower, .notOwner, "piece \(id) is not owned by \(loan.borrower)")
        try check(piece.status == .active, .pieceNotActive, "piece \(id) is no longer in stock")
        try check(piece.onInvoice == nil, .pieceLocked, "piece \(id) is being sold on an invoice")
        try check(piece.pledgedTo == nil, .alreadyPledged, "piece \(id) already secures a loan")
        piece.pledgedTo = loan.id
        return Write(key: StateKey(.piece, id.hash), value: piece.stateValue)
    }

    private static func pledgedInvoice(_ id: InvoiceID, to loan: Loan, _ state: StateView) throws(LedgerError)
        -> Write
    {
        var invoice = try state.invoice(id)
        try check(invoice.seller == loan.borrower, .notParty, "invoice \(id) was not issued by \(loan.borrower)")
        try check(!invoice.cancelled, .invoiceCancelled, "invoice \(id) is cancelled")
        try check(!invoice.isSettled, .pledgeSettledInvoice, "invoice \(id) is fully paid")
        try check(invoice.pledgedTo == nil, .alreadyPledged, "invoice \(id) already secures a loan")
        try check(!invoice.financed, .alreadyFinanced, "invoice \(id) was financed before")
        invoice.pledgedTo = loan.id
        invoice.financed = true
        return Write(key: StateKey(.invoice, id.hash), value: invoice.stateValue)
    }

    /// The item's record with its pledge to `loan` cleared; `financed` stays set on an invoice for good.
    private static func released(_ item: Collateral, from loan: Loan, _ state: StateView) throws(LedgerError)
        -> Write
    {
        switch item {
        case .piece(let id):
            var piece = try state.piece(id)
            try check(piece.pledgedTo == loan.id, .notPledged, "piece \(id) is not pledged to \(loan.id)")
            piece.pledgedTo = nil
            return Write(key: StateKey(.piece, id.hash), value: piece.stateValue)
        case .invoice(let id):
            var invoice = try state.invoice(id)
            try check(invoice.pledgedTo == loan.id, .notPledged, "invoice \(id) is not pledged to \(loan.id)")
            invoice.pledgedTo = nil
            return Write(key: StateKey(.invoice, id.hash), value: invoice.stateValue)
        }
    }

    private static func checkRepayment(_ amount: Money, on loan: Loan) throws(LedgerError) {
        try check(amount.isPositive, .invalidAmount, "a repayment is positive")
        try check(
            amount.currency == loan.outstanding.currency, .currencyMismatch,
            "loan \(loan.id) is in \(loan.outstanding.currency)")
        try check(
            amount.minorUnits <= loan.outstanding.minorUnits, .overRepayment,
            "\(amount) exceeds the \(loan.outstanding) outstanding")
    }

    /// Lowers what `loan` owes; at zero it is repaid. Collateral stays pledged until released.
    private static func lower(_ loan: inout Loan, by amount: Money) throws(LedgerError) {
        let outstanding = loan.outstanding
        loan.outstanding = try money { () throws(CoreError) in try outstanding.subtracting(amount) }
        if !loan.outstanding.isPositive { loan.status = .repaid }
    }

    private static func checkCoverage(_ coverage: UInt32, on loan: Loan) throws(LedgerError) {
        try check(
            (1...Limits.maxBasisPoints).contains(coverage), .coverageExceeded,
            "a guarantee covers 1 to \(Limits.maxBasisPoints) basis points")
        // Both terms are at most maxBasisPoints, so the sum cannot overflow.
        try check(
            loan.guaranteedBasisPoints + coverage <= Limits.maxBasisPoints, .coverageExceeded,
            "loan \(loan.id) is already \(loan.guaranteedBasisPoints) bp guaranteed")
    }
}
