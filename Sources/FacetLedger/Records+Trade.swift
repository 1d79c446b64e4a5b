import FacetCore

public enum SalesChannel: UInt8, CanonicalEnum, CaseIterable {
    case wholesale = 1, retail = 2, livestream = 3, export = 4
}

/// An invoice from a seller. `buyer` is absent for a sale to a consumer outside the ledger; such an invoice
/// cannot be confirmed by a buyer, and its pieces leave the seller's stock at once.
public struct Invoice: Hashable, Sendable, CanonicalCodable {
    public var id: InvoiceID
    public var seller: MemberID
    public var buyer: MemberID?
    public var amount: Money
    public var paid: Money
    public var issuedAt: Timestamp
    public var dueAt: Timestamp
    public var pieces: [PieceID]
    public var channel: SalesChannel
    public var confirmedAt: Timestamp?
    public var lastPaymentAt: Timestamp?
    public var openDispute: DisputeID?
    public var cancelled: Bool
    /// The loan this receivable secures now.
    public var pledgedTo: LoanID?
    /// True once the invoice has secured any loan: a receivable is financed at most once.
    public var financed: Bool

    public init(
        id: InvoiceID, seller: MemberID, buyer: MemberID?, amount: Money, issuedAt: Timestamp,
        dueAt: Timestamp, pieces: [PieceID], channel: SalesChannel
    ) {
        self.id = id
        self.seller = seller
        self.buyer = buyer
        self.amount = amount
        self.paid = Money.zero(amount.currency)
        self.issuedAt = issuedAt
        self.dueAt = dueAt
        self.pieces = pieces
        self.channel = channel
        self.confirmedAt = nil
        self.lastPaymentAt = nil
        self.openDispute = nil
        self.cancelled = false
        self.pledgedTo = nil
        self.financed = false
    }

    public var outstanding: Money { (try? amount.subtracting(paid)) ?? Money.zero(amount.currency) }
    public var isSettled: Bool { paid.minorUnits >= amount.minorUnits }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(seller)
        encoder.optional(buyer)
        encoder.encode(amount)
        encoder.encode(paid)
        encoder.encode(issuedAt)
        encoder.encode(dueAt)
        encoder.sortedSet(pieces)
        encoder.encode(channel)
        encoder.optional(confirmedAt)
        encoder.optional(lastPaymentAt)
        encoder.optional(openDispute)
        encoder.bool(cancelled)
        encoder.optional(pledgedTo)
        encoder.bool(financed)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        seller = try decoder.decode()
        buyer = try decoder.optional()
        amount = try decoder.decode()
        paid = try decoder.decode()
        issuedAt = try decoder.decode()
        dueAt = try decoder.decode()
        pieces = try decoder.sortedSet(max: Limits.maxPiecesPerInvoice)
        channel = try decoder.decode()
        confirmedAt = try decoder.optional()
        lastPaymentAt = try decoder.optional()
        openDispute = try decoder.optional()
        cancelled = try decoder.bool()
        pledgedTo = try decoder.optional()
        financed = try decoder.bool()
    }
}

public enum DisputeOutcome: Hashable, Sendable, CanonicalCodable {
    /// The invoice stands as issued.
    case dismissed
    /// The invoice's amount becomes the given one (not below what was paid).
    case adjusted(Money)
    /// The invoice is void; pieces still waiting on it go back to the seller's free stock.
    case cancelled

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .dismissed: encoder.u8(1)
        case .adjusted(let amount):
            encoder.u8(2)
            encoder.encode(amount)
        case .cancelled: encoder.u8(3)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.u8() {
        case 1: self = .dismissed
        case 2: self = .adjusted(try decoder.decode())
        case 3: self = .cancelled
        case let other: throw CoreError(.unknownTag, "unknown dispute outcome \(other)")
        }
    }
}

public struct Dispute: Hashable, Sendable, CanonicalCodable {
    public var id: DisputeID
    public var invoice: InvoiceID
    public var raisedBy: MemberID
    public var reason: String
    public var raisedAt: Timestamp
    public var outcome: DisputeOutcome?
    public var resolvedBy: MemberID?
    public var resolvedAt: Timestamp?

    public init(id: DisputeID, invoice: InvoiceID, raisedBy: MemberID, reason: String, raisedAt: Timestamp) {
        self.id = id
        self.invoice = invoice
        self.raisedBy = raisedBy
        self.reason = reason
        self.raisedAt = raisedAt
        self.outcome = nil
        self.resolvedBy = nil
        self.resolvedAt = nil
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(invoice)
        encoder.encode(raisedBy)
        encoder.text(reason)
        encoder.encode(raisedAt)
        encoder.optional(outcome)
        encoder.optional(resolvedBy)
        encoder.optional(resolvedAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        invoice = try decoder.decode()
        raisedBy = try decoder.decode()
        reason = try decoder.text()
        raisedAt = try decoder.decode()
        outcome = try decoder.optional()
        resolvedBy = try decoder.optional()
        resolvedAt = try decoder.optional()
    }
}

/// A platform's attestation of a seller's settled sales over a period. One per (platform, seller, start).
public struct PlatformSettlement: Hashable, Sendable, CanonicalCodable {
    public var platform: MemberID
    public var seller: MemberID
    public var periodStart: Timestamp
    public var periodEnd: Timestamp
    public var gross: Money
    public var orders: UInt32
    public var refunds: Money

    public init(
        platform: MemberID, seller: MemberID, periodStart: Timestamp, periodEnd: Timestamp,
        gross: Money, orders: UInt32, refunds: Money
    ) {
        self.platform = platform
        self.seller = seller
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.gross = gross
        self.orders = orders
        self.refunds = refunds
    }

    /// The state key: one settlement per platform, seller and period start.
    public var key: Hash256 {
        var encoder = CanonicalEncoder()
        encoder.encode(platform)
        encoder.encode(seller)
        encoder.encode(periodStart)
        return SHA256Hash.digest(encoder.bytes)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(platform)
        encoder.encode(seller)
        encoder.encode(periodStart)
        encoder.encode(periodEnd)
        encoder.encode(gross)
        encoder.u32(orders)
        encoder.encode(refunds)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        platform = try decoder.decode()
        seller = try decoder.decode()
        periodStart = try decoder.decode()
        periodEnd = try decoder.decode()
        gross = try decoder.decode()
        orders = try decoder.u32()
        refunds = try decoder.decode()
    }
}

/// An exchange's reference price for one category and band (for example "1.00-1.49ct/D-F/VS"), per gram
/// for metals, jade, pearls and crystal, per carat for stones.
public struct ReferencePrice: Hashable, Sendable, CanonicalCodable {
    public var publisher: MemberID
    public var category: PieceCategory
    public var band: Label
    public var pricePerUnit: Money
    public var at: Timestamp

    public init(publisher: MemberID, category: PieceCategory, band: Label, pricePerUnit: Money, at: Timestamp) {
        self.publisher = publisher
        self.category = category
        self.band = band
        self.pricePerUnit = pricePerUnit
        self.at = at
    }

    public static func key(publisher: MemberID, category: PieceCategory, band: Label) -> Hash256 {
        var encoder = CanonicalEncoder()
        encoder.encode(publisher)
        encoder.encode(category)
        encoder.encode(band)
        return SHA256Hash.digest(encoder.bytes)
    }

    public var key: Hash256 { ReferencePrice.key(publisher: publisher, category: category, band: band) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(publisher)
        encoder.encode(category)
        encoder.encode(band)
        encoder.encode(pricePerUnit)
        encoder.encode(at)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        publisher = try decoder.decode()
        category = try decoder.decode()
        band = try decoder.decode()
        pricePerUnit = try decoder.decode()
        at = try decoder.decode()
    }
}
