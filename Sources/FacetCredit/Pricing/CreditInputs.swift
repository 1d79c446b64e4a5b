import FacetCore
import FacetLedger

/// Everything a credit decision reads about one firm at one ledger height: the scorecard's PD and grade, the
/// verified revenue and cash flow, the firm's pieces and receivables, and the market's reference prices.
/// Amounts are minor units of the consortium's currency.
public struct CreditInputs: Hashable, Sendable {
    /// The time of the ledger height decided at: custody audits and invoice ages are measured to it.
    public var asOf: Timestamp
    public var pd: Double
    public var grade: String
    /// Verified revenue over the last 12 months.
    public var revenue12m: Int64
    /// Verified net operating cash flow, a month on average.
    public var monthlyCashFlow: Int64
    public var pieces: [CollateralPiece]
    public var receivables: [Receivable]
    public var prices: [PriceSeries]
    /// The tenor the firm asks for; nil for the longest the product and policy allow.
    public var requestedTenorDays: UInt32?

    public init(
        asOf: Timestamp, pd: Double, grade: String, revenue12m: Int64, monthlyCashFlow: Int64,
        pieces: [CollateralPiece] = [], receivables: [Receivable] = [], prices: [PriceSeries] = [],
        requestedTenorDays: UInt32? = nil
    ) {
        self.asOf = asOf
        self.pd = pd
        self.grade = grade
        self.revenue12m = revenue12m
        self.monthlyCashFlow = monthlyCashFlow
        self.pieces = pieces
        self.receivables = receivables
        self.prices = prices
        self.requestedTenorDays = requestedTenorDays
    }
}

/// A piece as collateral: its identity card and what the ledger says of its certification, custody and liens.
public struct CollateralPiece: Hashable, Sendable {
    public var id: PieceID
    public var card: IdentityCard
    /// The lab named on the certificate has signed the certification.
    public var certified: Bool
    /// The last inspection's verdict, nil if never inspected.
    public var inspectionPassed: Bool?
    /// In a warehouse's custody now.
    public var inWarehouse: Bool
    public var lastAudit: Timestamp?
    /// Secures a loan now.
    public var pledged: Bool
    /// On an unconfirmed invoice, being sold.
    public var onInvoice: Bool
    public var sold: Bool
    /// Attestors of the piece (its certifying lab, its inspector, its custodian) suspended since: their word weighs
    /// as the firm's own, so the facts they vouched for do not count. Ascending; shown to the lender.
    public var suspendedAttestors: [MemberID]

    public init(
        id: PieceID, card: IdentityCard, certified: Bool, inspectionPassed: Bool? = nil, inWarehouse: Bool,
        lastAudit: Timestamp? = nil, pledged: Bool = false, onInvoice: Bool = false, sold: Bool = false,
        suspendedAttestors: [MemberID] = []
    ) {
        self.id = id
        self.card = card
        self.certified = certified
        self.inspectionPassed = inspectionPassed
        self.inWarehouse = inWarehouse
        self.lastAudit = lastAudit
        self.pledged = pledged
        self.onInvoice = onInvoice
        self.sold = sold
        self.suspendedAttestors = suspendedAttestors
    }

    /// The piece as the ledger's state holds it. `isSuspended` says which members are suspended now: a lab,
    /// inspector or warehouse suspended after it attested the piece weighs as self-issued from the suspension on,
    /// so its certification, inspection or custody no longer counts (and the piece names it).
    public init(_ piece: Piece, isSuspended: (MemberID) -> Bool = { _ in false }) {
        let lab = piece.certified ? piece.certificate?.lab : nil
        let attestors = [lab, piece.inspection?.inspector, piece.custody?.warehouse].compactMap { $0 }
        let suspended = Set(attestors.filter(isSuspended))
        self.init(
            id: piece.id, card: piece.card, certified: piece.certified && !(lab.map(suspended.contains) ?? false),
            inspectionPassed: piece.inspection.flatMap { suspended.contains($0.inspector) ? nil : $0.passed },
            inWarehouse: piece.custody.map { !suspended.contains($0.warehouse) } ?? false,
            lastAudit: piece.lastAudit, pledged: piece.pledgedTo != nil, onInvoice: piece.onInvoice != nil,
            sold: piece.status == .sold, suspendedAttestors: suspended.sorted())
    }
}

/// An invoice the firm issued, as a receivable.
public struct Receivable: Hashable, Sendable {
    public var id: InvoiceID
    /// Nil for a sale to the public, which no buyer can confirm.
    public var buyer: MemberID?
    /// The amount still unpaid.
    public var outstanding: Int64
    public var issuedAt: Timestamp
    public var confirmed: Bool
    /// Has secured a loan (a receivable is financed at most once), or secures one now.
    public var financed: Bool
    public var disputed: Bool
    public var cancelled: Bool

    public init(
        id: InvoiceID, buyer: MemberID?, outstanding: Int64, issuedAt: Timestamp, confirmed: Bool,
        financed: Bool = false, disputed: Bool = false, cancelled: Bool = false
    ) {
        self.id = id
        self.buyer = buyer
        self.outstanding = outstanding
        self.issuedAt = issuedAt
        self.confirmed = confirmed
        self.financed = financed
        self.disputed = disputed
        self.cancelled = cancelled
    }

    /// The invoice as the ledger's state holds it.
    public init(_ invoice: Invoice) {
        self.init(
            id: invoice.id, buyer: invoice.buyer, outstanding: invoice.amount.minorUnits - invoice.paid.minorUnits,
            issuedAt: invoice.issuedAt, confirmed: invoice.confirmedAt != nil,
            financed: invoice.financed || invoice.pledgedTo != nil, disputed: invoice.openDispute != nil,
            cancelled: invoice.cancelled)
    }
}

/// An exchange's published reference price for a category and band, with its monthly history.
public struct PriceSeries: Hashable, Sendable {
    public var category: PieceCategory
    /// The band's label, e.g. `AU9999-PER-G` (per gram) or `1CT-G-VS2-PER-CT` (per carat of a 1 ct G VS2 stone).
    public var band: String
    /// The current price per gram or per carat, in minor units.
    public var pricePerUnit: Int64
    /// Month-end prices, oldest first, ending with the current one: the volatility add-on reads its log returns.
    public var monthlyHistory: [Int64]
    /// The exchange that published it (nil for a series built by hand, which counts as one publisher).
    public var publisher: MemberID?
    /// When the current price stops counting: its publication plus the genesis' `priceValidityMillis`. A valuation
    /// at or after it treats the price as stale. Nil for a series built by hand (never stale).
    public var validUntil: Timestamp?

    public init(
        category: PieceCategory, band: String, pricePerUnit: Int64, monthlyHistory: [Int64] = [],
        publisher: MemberID? = nil, validUntil: Timestamp? = nil
    ) {
        self.category = category
        self.band = band
        self.pricePerUnit = pricePerUnit
        self.monthlyHistory = monthlyHistory
        self.publisher = publisher
        self.validUntil = validUntil
    }

    /// Whether the price still counts at `time`.
    public func isFresh(at time: Timestamp) -> Bool { validUntil.map { time < $0 } ?? true }

    /// The series of one exchange's band from the ledger: `monthEnds` are the prices in force at each month's
    /// end, oldest first; the current price is `current`'s.
    public init(current: ReferencePrice, monthEnds: [ReferencePrice], validityMillis: Int64? = nil) {
        self.init(
            category: current.category, band: current.band.description, pricePerUnit: current.pricePerUnit.minorUnits,
            monthlyHistory: monthEnds.map(\.pricePerUnit.minorUnits) + [current.pricePerUnit.minorUnits],
            publisher: current.publisher,
            validUntil: validityMillis.map { Timestamp(uncheckedMillis: current.at.millis &+ $0) })
    }
}
