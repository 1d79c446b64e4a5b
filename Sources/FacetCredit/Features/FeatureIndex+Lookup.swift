import FacetCore
import FacetLedger

/// What a credit decision reads besides the features: which records to fetch from the state (the firm's stock and
/// open receivables) and the market's reference prices with their month-end history. All answers are sorted, so
/// every node asks for the same records in the same order.
extension FeatureIndex {
    /// Pieces the firm owns that are still in stock (pledged ones included), ascending.
    public func stock(of firm: MemberID) -> [PieceID] { (firms[firm]?.pieces ?? []).sorted() }

    /// Invoices the firm issued to a named buyer that are neither cancelled nor fully paid, ascending; with
    /// `issuedSince`, only those issued at or after it (older ones are past every product's aging cut-off, and a
    /// firm's stale unconfirmed invoices would otherwise grow every read).
    public func openReceivables(of firm: MemberID, issuedSince: Timestamp? = nil) -> [InvoiceID] {
        let open = firms[firm]?.openReceivables ?? []
        guard let issuedSince else { return open.sorted() }
        return open.filter { (invoices[$0]?.issuedAt ?? issuedSince) >= issuedSince }.sorted()
    }

    /// Lenders the firm has granted consent to and not revoked (expiry is the ledger's to judge), ascending.
    public func consents(of firm: MemberID) -> [MemberID] { (firms[firm]?.consents ?? []).sorted() }

    /// Firms that granted `lender` consent and have not revoked it, ascending: a lender's applicants.
    public func applicants(of lender: MemberID) -> [MemberID] {
        firms.filter { $0.value.consents.contains(lender) }.map(\.key).sorted()
    }

    /// Every exchange's reference price now for each category and band, with the prices in force at the end of each
    /// of the `months` complete months before `asOf`'s month (oldest first; months before the band's first price are
    /// left out). Each carries its exchange and when it goes stale (the genesis' price validity after publication).
    public func priceSeries(asOf: Timestamp, months: Int = 12) -> [PriceSeries] {
        let current = FeatureIndex.month(of: asOf)
        return priceBook.keys.sorted().compactMap { band in
            guard let track = priceBook[band], let latest = track.current, let at = track.at else { return nil }
            let history = (current - Int64(months)..<current).compactMap { track.price(atEndOf: $0) }
            return PriceSeries(
                category: band.category, band: band.band.description, pricePerUnit: latest,
                monthlyHistory: history + [latest], publisher: band.publisher,
                validUntil: Timestamp(uncheckedMillis: at.millis &+ priceValidityMillis))
        }
    }
}

/// One exchange's band of a category.
struct PriceBand: Hashable, Comparable, Sendable {
    let category: PieceCategory
    let band: Label
    let publisher: MemberID

    static func < (lhs: PriceBand, rhs: PriceBand) -> Bool {
        if lhs.category != rhs.category { return lhs.category.rawValue < rhs.category.rawValue }
        if lhs.band != rhs.band { return lhs.band.description < rhs.band.description }
        return lhs.publisher < rhs.publisher
    }
}

/// One band's prices: the latest with its time, and the last published in each month still read.
struct PriceTrack: Hashable, Sendable {
    var current: Int64?
    var at: Timestamp?
    var lastOfMonth: [Int64: Int64] = [:]

    mutating func publish(_ price: Int64, at time: Timestamp, month: Int64) {
        current = price
        at = time
        lastOfMonth[month] = price
    }

    /// The price in force at the end of `month`: the last one published in it or before it.
    func price(atEndOf month: Int64) -> Int64? {
        lastOfMonth.keys.filter { $0 <= month }.max().flatMap { lastOfMonth[$0] }
    }

    /// Drops months before `month`, carrying the price in force into it.
    mutating func prune(before month: Int64) {
        let carried = price(atEndOf: month - 1)
        lastOfMonth = lastOfMonth.filter { $0.key >= month }
        if let carried, lastOfMonth[month] == nil { lastOfMonth[month] = carried }
    }
}

extension FeatureIndex {
    /// The currency the figures are kept in: the settings', or the first one the index saw.
    public var figuresCurrency: Currency? { currency }
}
