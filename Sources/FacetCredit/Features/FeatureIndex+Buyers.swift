import FacetCore

/// One named buyer's part of a firm's weighted revenue over a window: what `buyer_hhi` squares and sums.
public struct BuyerShare: Hashable, Sendable {
    public let buyer: MemberID
    /// Weighted revenue from invoices naming this buyer (major units of the index's currency).
    public let revenue: Double
    /// `revenue` over the revenue of every named buyer in the window.
    public let share: Double
}

extension FeatureIndex {
    /// Each named buyer's share of the firm's weighted revenue over the `months` 30-day months ending with `asOf`'s
    /// month, largest first (ties by buyer id), summed over the same buckets `buyer_hhi` reads, so the squares of
    /// the shares add up to that feature. Sales to no named buyer (retail, platform settlements) are not in it.
    /// `months` is 1 to 12: older buckets are pruned.
    public func buyerShares(of firm: MemberID, asOf: Timestamp, months: Int = 12) -> [BuyerShare] {
        precondition((1...12).contains(months), "the concentration window is 1 to 12 months")
        let last = FeatureIndex.month(of: asOf)
        var byBuyer = [MemberID: Double]()
        for month in (last - Int64(months) + 1)...last {
            guard let bucket = firms[firm]?.buckets[month] else { continue }
            for buyer in bucket.byBuyer.keys.sorted() { byBuyer[buyer, default: 0] += bucket.byBuyer[buyer] ?? 0 }
        }
        let buyers = byBuyer.keys.sorted()
        let total = buyers.reduce(0) { $0 + max(0, byBuyer[$1] ?? 0) }
        guard total > 0 else { return [] }
        return
            buyers
            .map { BuyerShare(buyer: $0, revenue: max(0, byBuyer[$0] ?? 0), share: max(0, byBuyer[$0] ?? 0) / total) }
            .sorted { ($0.revenue, $1.buyer) > ($1.revenue, $0.buyer) }
    }
}
