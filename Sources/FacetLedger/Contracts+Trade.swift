import FacetCore

extension LedgerErrorCode {
    /// Wholesale and export invoices are business-to-business: only a consumer sale may omit its buyer.
    public static let buyerRequired = Self(rawValue: "invoice.buyer_required")
}

/// Trade: a seller issues an invoice, the named buyer confirms it, the buyer or a bank records payments,
/// either party disputes and a conciliator resolves; a platform attests a seller's settled sales per period.
/// Each fact is signed by whoever vouches for it, which is what lets the credit engine weigh it.
enum TradeContracts {
    /// Locks the pieces to the invoice until the buyer confirms it, or sells them at once to a consumer:
    /// a piece is never on two invoices, and a pledged piece is never sold.
    static func issue(_ body: IssueInvoice, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.firm, "issuing an invoice")
        let seller = context.signer.id
        try check(body.amount.isPositive, .invalidAmount, "an invoice's amount must be positive")
        try check(body.dueAt >= context.time, .invalidDate, "the due date is before the block time \(context.time)")
        try checkBuyer(of: body, seller: seller, state)
        let pieceIDs = distinctAscending(body.pieces)
        var pieces = [Piece]()
        for id in pieceIDs { pieces.append(try sellablePiece(id, seller: seller, state)) }

        let id = InvoiceID(context.id.hash)
        precondition(state.record(Invoice.self, id.hash) == nil, "invoice \(id) exists: transaction ids repeat")
        for var piece in pieces {
            if body.buyer == nil { piece.status = .sold } else { piece.onInvoice = id }
            state.put(piece, id: piece.id.hash)
        }
        let invoice = Invoice(
            id: id, seller: seller, buyer: body.buyer, amount: body.amount, issuedAt: context.time,
            dueAt: body.dueAt, pieces: pieceIDs, channel: body.channel)
        state.put(invoice, id: id.hash)
    }

    /// The buyer vouches for the sale; the pieces become the buyer's where they lie (custody is unchanged).
    static func confirm(_ body: ConfirmInvoice, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        var invoice = try state.invoice(body.invoice)
        try check(invoice.buyer == context.signer.id, .notBuyer, "only the named buyer confirms \(invoice.id)")
        try check(!invoice.cancelled, .invoiceCancelled, "invoice \(invoice.id) is cancelled")
        try check(invoice.confirmedAt == nil, .alreadyConfirmed, "invoice \(invoice.id) is already confirmed")
        try check(invoice.openDispute == nil, .disputeOpen, "invoice \(invoice.id) has an open dispute")
        for id in invoice.pieces {
            var piece = lockedPiece(id, on: invoice.id, state)
            piece.owner = context.signer.id
            piece.onInvoice = nil
            state.put(piece, id: id.hash)
        }
        invoice.confirmedAt = context.time
        state.put(invoice, id: invoice.id.hash)
    }

    /// A payment vouched for by the buyer or by a bank that saw the transfer. Partial payments add up; a
    /// pledged or unconfirmed receivable can still be paid, but never beyond its amount.
    static func pay(_ body: PayInvoice, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        var invoice = try state.invoice(body.invoice)
        let authorized = invoice.buyer == context.signer.id || context.signer.roles.contains(.bank)
        try check(authorized, .notAuthorized, "only the buyer or a bank records a payment of \(invoice.id)")
        try check(body.amount.isPositive, .invalidAmount, "a payment must be positive")
        try check(
            body.amount.currency == invoice.amount.currency, .currencyMismatch,
            "invoice \(invoice.id) is in \(invoice.amount.currency), not \(body.amount.currency)")
        try check(!invoice.cancelled, .invoiceCancelled, "invoice \(invoice.id) is cancelled")
        let outstanding = try money { () throws(CoreError) in try invoice.amount.subtracting(invoice.paid) }
        try check(
            body.amount.minorUnits <= outstanding.minorUnits, .overpayment,
            "\(body.amount) exceeds the \(outstanding) outstanding on \(invoice.id)")
        let paid = try money { () throws(CoreError) in try invoice.paid.adding(body.amount) }
        invoice.paid = paid
        invoice.lastPaymentAt = context.time
        state.put(invoice, id: invoice.id.hash)
    }

    /// Either party may dispute; while a dispute is open the invoice cannot be confirmed, and only one
    /// dispute is open at a time so a conciliator's outcome always applies to a known invoice state.
    static func raiseDispute(_ body: RaiseDispute, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        var invoice = try state.invoice(body.invoice)
        let signer = context.signer.id
        try check(
            signer == invoice.seller || signer == invoice.buyer, .notParty,
            "only the seller or the buyer disputes \(invoice.id)")
        try check(!invoice.cancelled, .invoiceCancelled, "invoice \(invoice.id) is cancelled")
        try check(invoice.openDispute == nil, .disputeOpen, "invoice \(invoice.id) already has an open dispute")
        let id = DisputeID(context.id.hash)
        precondition(state.record(Dispute.self, id.hash) == nil, "dispute \(id) exists: transaction ids repeat")
        let dispute = Dispute(
            id: id, invoice: invoice.id, raisedBy: signer, reason: body.reason,
            raisedAt: context.time)
        state.put(dispute, id: id.hash)
        invoice.openDispute = id
        state.put(invoice, id: invoice.id.hash)
    }

    /// A conciliator dismisses the dispute, lowers the invoice, or cancels it. A cancelled invoice keeps its
    /// pledge so the lender still sees what secures its loan.
    static func resolveDispute(_ body: ResolveDispute, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.conciliator, "resolving a dispute")
        guard var dispute = state.record(Dispute.self, body.dispute.hash) else {
            throw LedgerError(.unknownDispute, "no dispute \(body.dispute)")
        }
        try check(dispute.outcome == nil, .disputeClosed, "dispute \(dispute.id) is already resolved")
        var invoice = disputedInvoice(of: dispute, state)
        let signer = context.signer.id
        try check(
            signer != invoice.seller && signer != invoice.buyer, .selfDealing,
            "a party to invoice \(invoice.id) cannot resolve its dispute")
        switch body.outcome {
        case .dismissed:
            break
        case .adjusted(let amount):
            try checkAdjustment(amount, of: invoice)
            invoice.amount = amount
        case .cancelled:
            unlockPieces(of: invoice, &state)
            invoice.cancelled = true
        }
        invoice.openDispute = nil
        state.put(invoice, id: invoice.id.hash)
        dispute.outcome = body.outcome
        dispute.resolvedBy = signer
        dispute.resolvedAt = context.time
        state.put(dispute, id: dispute.id.hash)
    }

    /// A platform's attestation of a seller's settled sales, once per (platform, seller, period start), so a
    /// period cannot be counted twice.
    static func settle(_ body: SettlePlatformSales, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.platform, "attesting platform sales")
        try check(body.seller != context.signer.id, .selfDealing, "a platform cannot attest its own sales")
        _ = try state.activeMember(body.seller, roles: .firm)
        try check(
            body.periodStart < body.periodEnd && body.periodEnd <= context.time, .invalidPeriod,
            "a settled period starts before it ends, and ends by the block time \(context.time)")
        try checkSettlementAmounts(gross: body.gross, refunds: body.refunds)
        let settlement = PlatformSettlement(
            platform: context.signer.id, seller: body.seller,
            periodStart: body.periodStart, periodEnd: body.periodEnd,
            gross: body.gross, orders: body.orders, refunds: body.refunds)
        try check(
            state.record(PlatformSettlement.self, settlement.key) == nil, .settlementExists,
            "the period starting \(body.periodStart) is already settled for seller \(body.seller)")
        state.put(settlement, id: settlement.key)
    }
}

extension TradeContracts {
    /// A consumer sale (retail, livestream) may omit its buyer; a named buyer is another active firm.
    private static func checkBuyer(of body: IssueInvoice, seller: MemberID, _ state: StateView)
        throws(LedgerError)
    {
        guard let buyer = body.buyer else {
            let consumerSale = body.channel == .retail || body.channel == .livestream
            try check(consumerSale, .buyerRequired, "a \(body.channel) invoice must name its buyer")
            return
        }
        try check(buyer != seller, .selfDealing, "a firm cannot invoice itself")
        _ = try state.activeMember(buyer, roles: .firm)
    }

    /// The decoder already yields a distinct ascending set; a body built in memory may not be, and the
    /// invoice must hold exactly what its canonical encoding says.
    private static func distinctAscending(_ ids: [PieceID]) -> [PieceID] {
        var result = [PieceID]()
        for id in ids.sorted() where result.last != id { result.append(id) }
        return result
    }

    /// A piece the seller may sell now: its own, in stock, free of pledges and of other invoices.
    private static func sellablePiece(_ id: PieceID, seller: MemberID, _ state: StateView) throws(LedgerError)
        -> Piece
    {
        let piece = try state.piece(id)
        try check(piece.owner == seller, .notOwner, "piece \(id) is not the seller's")
        try check(piece.status == .active, .pieceNotActive, "piece \(id) is no longer in stock")
        try check(piece.pledgedTo == nil, .piecePledged, "piece \(id) secures a loan and cannot be sold")
        try check(piece.onInvoice == nil, .pieceLocked, "piece \(id) is already on an invoice")
        return piece
    }

    /// A piece of an unconfirmed, uncancelled invoice: nothing may move, pledge or sell a piece while it is
    /// locked to an invoice, so anything else is a bug elsewhere in the ledger.
    private static func lockedPiece(_ id: PieceID, on invoice: InvoiceID, _ state: StateView) -> Piece {
        guard let piece = state.record(Piece.self, id.hash) else {
            preconditionFailure("invoice \(invoice) names a missing piece \(id)")
        }
        precondition(piece.onInvoice == invoice, "piece \(id) of unconfirmed invoice \(invoice) is not locked to it")
        return piece
    }

    /// The invoice of an open dispute: it exists, and points back at the dispute, since only one is open.
    private static func disputedInvoice(of dispute: Dispute, _ state: StateView) -> Invoice {
        guard let invoice = state.record(Invoice.self, dispute.invoice.hash) else {
            preconditionFailure("dispute \(dispute.id) names a missing invoice \(dispute.invoice)")
        }
        precondition(invoice.openDispute == dispute.id, "open dispute \(dispute.id) is not its invoice's")
        return invoice
    }

    /// A dispute only lowers an invoice, and never below what was already paid.
    private static func checkAdjustment(_ amount: Money, of invoice: Invoice) throws(LedgerError) {
        try check(
            amount.currency == invoice.amount.currency, .currencyMismatch,
            "invoice \(invoice.id) is in \(invoice.amount.currency), not \(amount.currency)")
        try check(amount.isPositive, .invalidAmount, "an adjusted amount must be positive")
        try check(
            amount.minorUnits >= invoice.paid.minorUnits, .invalidAmount,
            "\(amount) is below the \(invoice.paid) already paid")
        try check(
            amount.minorUnits <= invoice.amount.minorUnits, .invalidAmount,
            "a dispute lowers an invoice: \(amount) is above \(invoice.amount)")
    }

    /// Pieces still waiting on a cancelled invoice go back to the seller's free stock; pieces the buyer
    /// already received by confirming stay the buyer's.
    private static func unlockPieces(of invoice: Invoice, _ state: inout StateView) {
        for id in invoice.pieces {
            guard var piece = state.record(Piece.self, id.hash) else {
                preconditionFailure("invoice \(invoice.id) names a missing piece \(id)")
            }
            guard piece.onInvoice == invoice.id else { continue }
            precondition(piece.owner == invoice.seller, "piece \(id) locked to \(invoice.id) left its seller")
            piece.onInvoice = nil
            state.put(piece, id: id.hash)
        }
    }

    /// Refunds are part of the gross, in its currency.
    private static func checkSettlementAmounts(gross: Money, refunds: Money) throws(LedgerError) {
        try check(gross.isPositive, .invalidAmount, "gross sales must be positive")
        try check(!refunds.isNegative, .invalidAmount, "refunds cannot be negative")
        try check(
            refunds.currency == gross.currency, .currencyMismatch,
            "refunds are in \(refunds.currency), gross in \(gross.currency)")
        try check(refunds.minorUnits <= gross.minorUnits, .invalidAmount, "refunds \(refunds) exceed gross \(gross)")
    }
}
