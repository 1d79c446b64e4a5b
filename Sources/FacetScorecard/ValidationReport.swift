/// How a model performs on a book: discrimination, accuracy of its PDs, calibration by grade, and how far the
/// book has drifted from the training population (population stability per feature and for the score).
public struct ValidationReport: Codable, Hashable, Sendable {
    public struct Band: Codable, Hashable, Sendable {
        public var name: String
        public var rows: Int
        public var bads: Int
        /// Mean predicted PD of the band's rows.
        public var predictedPD: Double
        /// Share of the band's rows that are bad.
        public var observedRate: Double
    }

    public struct BinReport: Codable, Hashable, Sendable {
        /// The bin as people read it: a range's cut points rounded (`CutLabels`); the model file keeps them exact.
        public var label: String
        public var goods: Int
        public var bads: Int
        public var share: Double
        public var trainingShare: Double
        public var woe: Double
        public var points: Double
    }

    public struct FeatureReport: Codable, Hashable, Sendable {
        public var name: String
        /// The direction the model's specification declared ("higher is riskier"), if any.
        public var direction: String?
        /// The bad rate's shape across the range bins: ascending, descending, flat, peak or valley (empty for a
        /// categorical feature).
        public var shape: String
        public var trainingIV: Double
        /// IV on this book with the model's bins (WoE recomputed from this book's counts).
        public var iv: Double
        public var psi: Double
        public var bins: [BinReport]
    }

    public var modelHash: String
    public var rows: Int
    public var bads: Int
    public var auc: Double
    public var gini: Double
    public var ks: Double
    public var brier: Double
    public var calibration: [Band]
    public var features: [FeatureReport]
    /// Stability of the score over the training score deciles.
    public var scorePSI: Double
    public var scoreBandShares: [Double]
    public var trainingScoreBandShares: [Double]
    /// The ROC curve (share of goods, share of bads at or below a score), at most 201 points.
    public var roc: [[Double]]
    /// Score histogram: `histogramEdges` has one more entry than the counts.
    public var histogramEdges: [Double]
    public var histogramGoods: [Int]
    public var histogramBads: [Int]
    /// The book by score decile, riskiest first, with cumulative bad rate and KS.
    public var gains: [GainsRow]
    /// The features training left out, with why.
    public var dropped: [ScorecardModel.DroppedFeature]

    /// `Σ (actual − expected) · ln(actual / expected)`, each share floored at 0.0001 so an empty bin stays finite.
    public static func psi(expected: [Double], actual: [Double]) -> Double {
        precondition(expected.count == actual.count, "one share per bin on each side")
        var sum = 0.0
        for (e, a) in zip(expected, actual) {
            let expectedShare = max(e, 0.0001)
            let actualShare = max(a, 0.0001)
            sum += (actualShare - expectedShare) * (actualShare / expectedShare).logValue
        }
        return sum
    }
}

extension ScorecardModel {
    /// Scores `dataset` and measures the model on it.
    public func validate(_ dataset: Dataset, progress: (String) -> Void = { _ in }) throws(ScorecardError)
        -> ValidationReport
    {
        let bads = dataset.badCount
        guard !dataset.rows.isEmpty else { throw ScorecardError(.insufficientData, "the book has no rows") }
        progress("scoring \(dataset.rows.count) rows")
        let results = score(rows: dataset.rows)
        let scores = results.map(\.score)
        let pds = results.map(\.pd)
        progress("measuring")
        var calibrationBands = [ValidationReport.Band]()
        for grade in masterScale.grades {
            var rows = 0
            var badRows = 0
            var pdSum = 0.0
            for (result, target) in zip(results, dataset.targets) where result.grade == grade.name {
                rows += 1
                badRows += Int(target)
                pdSum += result.pd
            }
            calibrationBands.append(
                .init(
                    name: grade.name, rows: rows, bads: badRows, predictedPD: rows == 0 ? 0 : pdSum / Double(rows),
                    observedRate: rows == 0 ? 0 : Double(badRows) / Double(rows)))
        }
        var featureReports = [ValidationReport.FeatureReport]()
        for (position, feature) in features.enumerated() {
            var goods = [Int](repeating: 0, count: feature.binning.bins.count)
            var badCounts = goods
            for (result, target) in zip(results, dataset.targets) {
                let index = result.binIndices[position]
                if target == 1 { badCounts[index] += 1 } else { goods[index] += 1 }
            }
            let iv = WeightOfEvidence.compute(goods: goods, bads: badCounts).iv
            let shares = zip(goods, badCounts).map { Double($0 + $1) / Double(dataset.rows.count) }
            let labels = CutLabels.labels(feature.binning)
            let bins = feature.binning.bins.enumerated().map { index, bin in
                ValidationReport.BinReport(
                    label: labels[index], goods: goods[index], bads: badCounts[index], share: shares[index],
                    trainingShare: bin.share, woe: bin.woe, points: bin.points)
            }
            featureReports.append(
                .init(
                    name: feature.name, direction: feature.direction?.words, shape: feature.binning.direction,
                    trainingIV: feature.binning.iv, iv: iv,
                    psi: ValidationReport.psi(expected: feature.binning.bins.map(\.share), actual: shares), bins: bins))
        }
        let bandShares = ScorecardTrainer.shares(scores, edges: training.scoreBandEdges)
        let roc = Discrimination.roc(scores: scores, bads: dataset.targets)
        let stride = max(1, roc.count / 200)
        var rocPoints = [[Double]]()
        for (index, point) in roc.enumerated() where index % stride == 0 || index == roc.count - 1 {
            rocPoints.append([point.falsePositive, point.truePositive])
        }
        let histogram = Self.histogram(scores: scores, bads: dataset.targets)
        let auc = Discrimination.auc(scores: scores, bads: dataset.targets)
        return ValidationReport(
            modelHash: hash ?? "", rows: dataset.rows.count, bads: bads, auc: auc, gini: 2 * auc - 1,
            ks: Discrimination.ks(scores: scores, bads: dataset.targets),
            brier: Discrimination.brier(probabilities: pds, bads: dataset.targets), calibration: calibrationBands,
            features: featureReports,
            scorePSI: ValidationReport.psi(expected: training.scoreBandShares, actual: bandShares),
            scoreBandShares: bandShares, trainingScoreBandShares: training.scoreBandShares, roc: rocPoints,
            histogramEdges: histogram.edges, histogramGoods: histogram.goods, histogramBads: histogram.bads,
            gains: GainsRow.deciles(scores: scores, bads: dataset.targets), dropped: training.dropped)
    }

    /// 20 equal-width bins from the lowest to the highest score.
    static func histogram(scores: [Double], bads: [UInt8]) -> (edges: [Double], goods: [Int], bads: [Int]) {
        guard let low = scores.min(), let high = scores.max() else { return ([], [], []) }
        let count = 20
        let width = high > low ? (high - low) / Double(count) : 1
        let edges = (0...count).map { low + Double($0) * width }
        var goods = [Int](repeating: 0, count: count)
        var badCounts = goods
        for (score, bad) in zip(scores, bads) {
            let index = min(count - 1, Int((score - low) / width))
            if bad == 1 { badCounts[index] += 1 } else { goods[index] += 1 }
        }
        return (edges, goods, badCounts)
    }
}
