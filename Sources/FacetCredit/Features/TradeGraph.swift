import FacetCore
import FacetLedger

/// A directed pair of firms: wholesale invoices from `seller` to `buyer`.
struct TradeEdge: Hashable, Comparable, Sendable {
    let seller: MemberID
    let buyer: MemberID

    static func < (a: TradeEdge, b: TradeEdge) -> Bool {
        a.seller != b.seller ? a.seller < b.seller : a.buyer < b.buyer
    }
}

/// The weighted flow along an edge in one month, with its largest invoices.
struct EdgeFlow: Hashable, Sendable {
    var weighted: Double = 0
    var invoices: TopRecords

    init(limit: Int) { invoices = TopRecords(limit: limit) }

    mutating func add(_ id: Hash256, _ now: Double, minus before: Double) {
        weighted += now - before
        invoices.set(id, now)
    }
}
