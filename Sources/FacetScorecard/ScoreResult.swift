/// A row's score with its probability of default, grade, and the reasons that cost it the most points.
public struct ScoreResult: Hashable, Sendable {
    /// A feature whose bin gave fewer points than that feature's best bin (its best range, for a value in a range
    /// of a feature with a declared direction).
    public struct Reason: Hashable, Sendable {
        public var feature: String
        public var text: String
        /// Points the applicant would gain in the feature's best bin.
        public var pointsBelowBest: Double
    }

    public var score: Double
    public var pd: Double
    public var grade: String
    /// Up to four, the largest shortfall first (ties by feature name); only features below their best bin.
    public var reasons: [Reason]
    /// The bin each model feature fell in, in the model's feature order.
    public var binIndices: [Int]
}

extension ScorecardModel {
    /// The number of reason codes a score carries at most.
    public static let maxReasons = 4

    /// Scores one row. A feature absent from the row counts as missing. The sum runs in the model's feature order.
    public func score(_ row: FeatureRow) -> ScoreResult {
        var total = basePoints
        var indices = [Int]()
        var shortfalls = [ScoreResult.Reason]()
        for feature in features {
            let index = feature.binning.binIndex(for: row[feature.name] ?? .missing)
            indices.append(index)
            let points = feature.binning.bins[index].points
            total += points
            let below = feature.shortfall(at: index)
            if below > 0 {
                shortfalls.append(
                    ScoreResult.Reason(feature: feature.name, text: feature.reason, pointsBelowBest: below))
            }
        }
        shortfalls.sort {
            $0.pointsBelowBest > $1.pointsBelowBest
                || ($0.pointsBelowBest == $1.pointsBelowBest && $0.feature < $1.feature)
        }
        let pd = calibration.probability(score: total)
        return ScoreResult(
            score: total, pd: pd, grade: masterScale.grade(pd: pd), reasons: Array(shortfalls.prefix(Self.maxReasons)),
            binIndices: indices)
    }

    /// Scores rows one by one with `score(_:)`, so every row gets exactly the numbers it would get alone.
    public func score(rows: [FeatureRow]) -> [ScoreResult] {
        rows.map { score($0) }
    }
}
