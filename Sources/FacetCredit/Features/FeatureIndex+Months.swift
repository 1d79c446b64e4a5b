import FacetCore
import FacetLedger

/// One firm's sales in one 30-day month, split by who vouched for them, for a chart a lender reads beside the
/// revenue features. The three parts add up to the month's gross, counted as the revenue features count it
/// (livestream sales once, by the better of the invoices and the platform's settlement):
///
/// - `buyerConfirmed`: the vouched amount of the firm's invoices — confirmed by the buyer, or paid by the buyer or a
///   bank — with livestream invoices' vouched amount when it exceeds the platform's settlement;
/// - `platformSettled`: the platform's settled net sales, when that exceeds the livestream invoices' vouched amount;
/// - `selfIssued`: the rest of the gross, invoices nobody but the firm attests (`gross − vouched`).
///
/// Amounts are in the index's currency, major units, like the features.
public struct MonthlyRevenue: Hashable, Sendable {
    /// The month's number, counted in 30-day months from the Unix epoch (`FeatureIndex.month(of:)`).
    public let month: Int64
    public let buyerConfirmed: Double
    public let platformSettled: Double
    public let selfIssued: Double
    /// The month's revenue as the revenue features weigh it.
    public let weighted: Double

    /// The month's first instant.
    public var start: Timestamp { Timestamp(uncheckedMillis: month * FeatureIndex.monthMillis) }
    /// Everything the firm's invoices and settlements claim for the month.
    public var gross: Double { buyerConfirmed + platformSettled + selfIssued }
}

extension FeatureIndex {
    /// The firm's revenue in each of the `months` 30-day months ending with `asOf`'s month, oldest first, one entry
    /// per month (zeros for a month without sales), so a chart has a point for every month of the window the
    /// revenue features read. `months` is 1 to 12: older buckets are pruned.
    public func monthlyRevenue(of firm: MemberID, asOf: Timestamp, months: Int = 12) -> [MonthlyRevenue] {
        precondition((1...12).contains(months), "the revenue window is 1 to 12 months")
        let last = FeatureIndex.month(of: asOf)
        let state = firms[firm]
        return ((last - Int64(months) + 1)...last).map { month in
            guard let bucket = state?.buckets[month] else {
                return MonthlyRevenue(month: month, buyerConfirmed: 0, platformSettled: 0, selfIssued: 0, weighted: 0)
            }
            let platformCounts = bucket.platformNet > bucket.livestream.vouched
            let buyerConfirmed = bucket.invoices.vouched + (platformCounts ? 0 : bucket.livestream.vouched)
            let platformSettled = platformCounts ? bucket.platformNet : 0
            return MonthlyRevenue(
                month: month, buyerConfirmed: buyerConfirmed, platformSettled: platformSettled,
                selfIssued: max(0, bucket.gross - bucket.vouched), weighted: bucket.revenue(settings.weights))
        }
    }
}
