import FacetCore

/// A seller invoices a buyer (absent for a consumer sale) for pieces it owns, or for none.
public struct IssueInvoice: Hashable, Sendable, CanonicalCodable {
    public var buyer: MemberID?
    public var amount: Money
    public var dueAt: Timestamp
    public var pieces: [PieceID]
    public var channel: SalesChannel

    public init(buyer: MemberID?, amount: Money, dueAt: Timestamp, pieces: [PieceID], channel: SalesChannel) {
        self.buyer = buyer
        self.amount = amount
        self.dueAt = dueAt
        self.pieces = pieces.canonicalSet()
        self.channel = channel
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.optional(buyer)
        encoder.encode(amount)
        encoder.encode(dueAt)
        encoder.sortedSet(pieces)
        encoder.encode(channel)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        buyer = try decoder.optional()
        amount = try decoder.decode()
        dueAt = try decoder.decode()
        pieces = try decoder.sortedSet(max: Limits.maxPiecesPerInvoice)
        channel = try decoder.decode()
    }
}

/// The named buyer confirms an invoice; its pieces become the buyer's.
public struct ConfirmInvoice: Hashable, Sendable, CanonicalCodable {
    public var invoice: InvoiceID

    public init(invoice: InvoiceID) {
        self.invoice = invoice
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(invoice)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        invoice = try decoder.decode()
    }
}

/// The buyer, or a bank confirming the transfer, records a payment (partial allowed).
public struct PayInvoice: Hashable, Sendable, CanonicalCodable {
    public var invoice: InvoiceID
    public var amount: Money

    public init(invoice: InvoiceID, amount: Money) {
        self.invoice = invoice
        self.amount = amount
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(invoice)
        encoder.encode(amount)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        invoice = try decoder.decode()
        amount = try decoder.decode()
    }
}

/// The buyer or the seller disputes an invoice.
public struct RaiseDispute: Hashable, Sendable, CanonicalCodable {
    public var invoice: InvoiceID
    public var reason: String

    public init(invoice: InvoiceID, reason: String) {
        self.invoice = invoice
        self.reason = reason
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(invoice)
        encoder.text(reason)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        invoice = try decoder.decode()
        reason = try decoder.text()
    }
}

/// A conciliator resolves a dispute.
public struct ResolveDispute: Hashable, Sendable, CanonicalCodable {
    public var dispute: DisputeID
    public var outcome: DisputeOutcome
    public var note: String

    public init(dispute: DisputeID, outcome: DisputeOutcome, note: String) {
        self.dispute = dispute
        self.outcome = outcome
        self.note = note
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(dispute)
        encoder.encode(outcome)
        encoder.text(note)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        dispute = try decoder.decode()
        outcome = try decoder.decode()
        note = try decoder.text()
    }
}

/// A livestream or e-commerce platform attests a seller's settled sales for a period.
public struct SettlePlatformSales: Hashable, Sendable, CanonicalCodable {
    public var seller: MemberID
    public var periodStart: Timestamp
    public var periodEnd: Timestamp
    public var gross: Money
    public var orders: UInt32
    public var refunds: Money

    public init(
        seller: MemberID, periodStart: Timestamp, periodEnd: Timestamp, gross: Money, orders: UInt32, refunds: Money
    ) {
        self.seller = seller
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.gross = gross
        self.orders = orders
        self.refunds = refunds
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(seller)
        encoder.encode(periodStart)
        encoder.encode(periodEnd)
        encoder.encode(gross)
        encoder.u32(orders)
        encoder.encode(refunds)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        seller = try decoder.decode()
        periodStart = try decoder.decode()
        periodEnd = try decoder.decode()
        gross = try decoder.decode()
        orders = try decoder.u32()
        refunds = try decoder.decode()
    }
}
