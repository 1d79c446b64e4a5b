/// Measures of how well a score separates bads from goods, and how close probabilities come to outcomes.
/// Scores follow the scorecard convention: higher is safer.
public enum Discrimination {
    /// The probability that a random good scores above a random bad, ties counted half (the Mann–Whitney U over
    /// `goods × bads`, with average ranks for tied scores). 0.5 when either class is empty.
    public static func auc(scores: [Double], bads: [UInt8]) -> Double {
        precondition(scores.count == bads.count, "one outcome per score")
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var goodRankSum = 0.0
        var goods = 0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end + 2) / 2  // ranks are 1-based
            for position in start...end where bads[order[position]] == 0 {
                goodRankSum += averageRank
                goods += 1
            }
            start = end + 1
        }
        let badCount = scores.count - goods
        guard goods > 0, badCount > 0 else { return 0.5 }
        let u = goodRankSum - Double(goods) * Double(goods + 1) / 2
        return u / (Double(goods) * Double(badCount))
    }

    /// `2 · AUC − 1`.
    public static func gini(scores: [Double], bads: [UInt8]) -> Double { 2 * auc(scores: scores, bads: bads) - 1 }

    /// Kolmogorov–Smirnov: the largest gap between the cumulative score distributions of bads and goods, taken
    /// after each group of equal scores. 0 when either class is empty.
    public static func ks(scores: [Double], bads: [UInt8]) -> Double {
        let curve = cumulative(scores: scores, bads: bads)
        var best = 0.0
        for point in curve { best = max(best, abs(point.badShare - point.goodShare)) }
        return best
    }

    /// The ROC curve from the riskiest score up: each point is (share of bads, share of goods) at or below a
    /// threshold, starting at (0, 0) and ending at (1, 1).
    public static func roc(scores: [Double], bads: [UInt8]) -> [(falsePositive: Double, truePositive: Double)] {
        [(0, 0)] + cumulative(scores: scores, bads: bads).map { ($0.goodShare, $0.badShare) }
    }

    /// Mean squared difference between predicted probabilities of default and outcomes.
    public static func brier(probabilities: [Double], bads: [UInt8]) -> Double {
        precondition(probabilities.count == bads.count, "one outcome per probability")
        guard !bads.isEmpty else { return 0 }
        var sum = 0.0
        for (pd, bad) in zip(probabilities, bads) {
            let error = pd - Double(bad)
            sum += error * error
        }
        return sum / Double(bads.count)
    }

    /// Shares of bads and goods at or below each distinct score, ascending.
    static func cumulative(scores: [Double], bads: [UInt8]) -> [(score: Double, badShare: Double, goodShare: Double)] {
        precondition(scores.count == bads.count, "one outcome per score")
        let totalBads = bads.reduce(0) { $0 + Int($1) }
        let totalGoods = bads.count - totalBads
        guard totalBads > 0, totalGoods > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var result = [(score: Double, badShare: Double, goodShare: Double)]()
        var seenBads = 0
        var seenGoods = 0
        for (position, index) in order.enumerated() {
            if bads[index] == 1 { seenBads += 1 } else { seenGoods += 1 }
            let last = position + 1 == order.count || scores[order[position + 1]] != scores[index]
            if last {
                result.append(
                    (scores[index], Double(seenBads) / Double(totalBads), Double(seenGoods) / Double(totalGoods)))
            }
        }
        return result
    }
}
