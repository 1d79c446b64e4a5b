/// A gains table: the book split into score deciles from the riskiest (lowest score) up, each with its bad rate and
/// the running totals a credit committee reads to set a cut-off (the share of all bads caught so far, the
/// cumulative bad rate, and KS, the gap between the shares of bads and goods so far).
public struct GainsRow: Codable, Hashable, Sendable {
    /// 1 for the riskiest tenth.
    public var decile: Int
    public var lowestScore: Double
    public var highestScore: Double
    public var rows: Int
    public var bads: Int
    public var badRate: Double
    /// The bad rate of this decile and all riskier ones together.
    public var cumulativeBadRate: Double
    /// The share of all bads in this decile and the riskier ones.
    public var cumulativeBadShare: Double
    public var cumulativeGoodShare: Double
    /// `cumulativeBadShare − cumulativeGoodShare`: its largest value is the book's KS.
    public var ks: Double

    /// Deciles of `scores` by rank (rows sorted by score, ties by position; decile d holds ranks
    /// `(d−1)·n/10 ..< d·n/10`), so every decile has a tenth of the rows, give or take one; empty ones are left out.
    public static func deciles(scores: [Double], bads: [UInt8]) -> [GainsRow] {
        precondition(scores.count == bads.count, "one outcome per score")
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let totalBads = bads.reduce(0) { $0 + Int($1) }
        let totalGoods = bads.count - totalBads
        var table = [GainsRow]()
        var seenRows = 0
        var seenBads = 0
        for decile in 1...10 {
            let slice = order[(decile - 1) * order.count / 10..<decile * order.count / 10]
            guard let first = slice.first, let last = slice.last else { continue }
            let sliceBads = slice.reduce(0) { $0 + Int(bads[$1]) }
            seenRows += slice.count
            seenBads += sliceBads
            let badShare = totalBads == 0 ? 0 : Double(seenBads) / Double(totalBads)
            let goodShare = totalGoods == 0 ? 0 : Double(seenRows - seenBads) / Double(totalGoods)
            table.append(
                GainsRow(
                    decile: decile, lowestScore: scores[first], highestScore: scores[last], rows: slice.count,
                    bads: sliceBads, badRate: Double(sliceBads) / Double(slice.count),
                    cumulativeBadRate: Double(seenBads) / Double(seenRows), cumulativeBadShare: badShare,
                    cumulativeGoodShare: goodShare, ks: badShare - goodShare))
        }
        return table
    }
}
