/// What training may choose: binning, selection thresholds, the regression, scaling, grades, reason texts.
public struct TrainingSettings: Sendable {
    public var binning: BinningSettings
    /// Features with a training IV below this are dropped.
    public var minIV: Double
    /// Of two WoE columns correlated beyond this (absolute Pearson), the one with the lower IV is dropped.
    public var maxCorrelation: Double
    public var regression: LogisticRegression
    public var scaling: PointsScaling
    public var masterScale: MasterScale
    /// Plain-language reason text per feature name; others get `"<feature> lowered the score"`.
    public var reasonTexts: [String: String]
    /// The training date the caller states (the pure engine reads no clock).
    public var date: String
    /// The eligible features and their declared directions; nil lets every feature in and either direction stand.
    public var specification: ModelSpecification?
    /// Forward selection by cross-validated AUC in place of the correlation filter; nil keeps the filter.
    public var stepwise: StepwiseSelection?

    public init(
        binning: BinningSettings = BinningSettings(), minIV: Double = 0.02, maxCorrelation: Double = 0.8,
        regression: LogisticRegression = LogisticRegression(), scaling: PointsScaling = PointsScaling(),
        masterScale: MasterScale = .geometric(), reasonTexts: [String: String] = [:], date: String = "",
        specification: ModelSpecification? = nil, stepwise: StepwiseSelection? = nil
    ) {
        self.binning = binning
        self.minIV = minIV
        self.maxCorrelation = maxCorrelation
        self.regression = regression
        self.scaling = scaling
        self.masterScale = masterScale
        self.reasonTexts = reasonTexts
        self.date = date
        self.specification = specification
        self.stepwise = stepwise
    }
}

/// Trains a scorecard: bins every feature, keeps the informative and uncorrelated ones (or, with `stepwise`, those
/// forward selection by cross-validated AUC chooses), fits a logistic regression on their WoE, drops features whose
/// coefficient has the wrong sign and refits, then scales to points, calibrates the PD on the training scores and
/// records the training summary.
///
/// With WoE = ln(%good/%bad), a higher WoE must lower the odds of bad, so every coefficient must be ≤ 0; a positive
/// one would make a riskier bin earn more points. The feature with the largest positive coefficient is dropped
/// and the model refitted until none is left.
public struct ScorecardTrainer: Sendable {
    public var settings: TrainingSettings

    public init(settings: TrainingSettings = TrainingSettings()) {
        self.settings = settings
    }

    public func train(
        _ dataset: Dataset, target: String = "bad", progress: (String) -> Void = { _ in }
    ) throws(ScorecardError) -> ScorecardModel {
        let bads = dataset.badCount
        guard bads > 0, bads < dataset.targets.count else {
            throw ScorecardError(
                .insufficientData, "training needs both goods and bads (\(bads) of \(dataset.targets.count) are bad)")
        }
        // A feature with a declared direction stays monotone: a peak or valley would contradict the declaration.
        var monotoneSettings = settings.binning
        monotoneSettings.shapes = nil
        var binnings = [FeatureBinning]()
        for (offset, feature) in dataset.features.enumerated() {
            let declared = settings.specification?.direction(of: feature.name) != nil
            let binner = Binner(settings: declared ? monotoneSettings : settings.binning)
            let binning = binner.bin(dataset, feature: feature.name, kind: feature.kind)
            binnings.append(binning)
            progress("binned \(offset + 1)/\(dataset.features.count): \(feature.name) (IV \(rounded(binning.iv)))")
        }
        var dropped = [ScorecardModel.DroppedFeature]()
        let columns = binnings.map { woeColumn($0, dataset) }
        let candidates = eligible(binnings, dropped: &dropped)
        var kept: [Int]
        if let selection = settings.stepwise {
            kept = stepwise(
                candidates, binnings, columns: columns, targets: dataset.targets, selection: selection,
                dropped: &dropped, progress)
        } else {
            kept = select(candidates, binnings, columns: columns, dropped: &dropped)
        }
        let fit = try fitWithRightSigns(&kept, binnings, columns: columns, dataset, dropped: &dropped, progress)
        let factor = settings.scaling.factor
        var features = [ScorecardModel.Feature]()
        for (position, index) in kept.enumerated() {
            var binning = binnings[index]
            let coefficient = fit.coefficients[position]
            for bin in binning.bins.indices {
                binning.bins[bin].points = -factor * coefficient * binning.bins[bin].woe
            }
            let reason = settings.reasonTexts[binning.name] ?? "\(binning.name) lowered the score"
            let direction = settings.specification?.direction(of: binning.name)
            features.append(.init(binning: binning, coefficient: coefficient, reason: reason, direction: direction))
        }
        var model = ScorecardModel(
            format: ScorecardModel.formatName, target: target, features: features, intercept: fit.intercept,
            scaling: settings.scaling, basePoints: settings.scaling.offset - factor * fit.intercept,
            calibration: Calibration(a: 0, b: 0), masterScale: settings.masterScale, binningSettings: settings.binning,
            training: .init(
                rows: dataset.rows.count, bads: bads, date: settings.date, auc: 0, gini: 0, ks: 0,
                scoreBandEdges: [], scoreBandShares: [], dropped: dropped),
            hash: nil)
        progress("scoring the training rows")
        let scores = dataset.rows.map { model.score($0).score }
        model.calibration = calibrate(scores: scores, targets: dataset.targets)
        model.training.auc = Discrimination.auc(scores: scores, bads: dataset.targets)
        model.training.gini = 2 * model.training.auc - 1
        model.training.ks = Discrimination.ks(scores: scores, bads: dataset.targets)
        model.training.scoreBandEdges = Self.quantileEdges(scores, bands: 10)
        model.training.scoreBandShares = Self.shares(scores, edges: model.training.scoreBandEdges)
        return try model.sealed()
    }

    /// The logistic fit of outcomes on training scores; when it does not converge to finite numbers (a score that
    /// separates goods from bads perfectly), the scaling's own PD, `1 / (1 + odds(score))`.
    func calibrate(scores: [Double], targets: [UInt8]) -> Calibration {
        let fit = LogisticRegression(
            ridge: 0, maxIterations: settings.regression.maxIterations, tolerance: settings.regression.tolerance
        ).fit(columns: [scores], targets: targets)
        let a = fit.intercept
        let b = fit.coefficients[0]
        guard fit.converged, a.isFinite, b.isFinite, b < 0 else {
            let scaling = settings.scaling
            return Calibration(a: scaling.offset / scaling.factor, b: -1 / scaling.factor)
        }
        return Calibration(a: a, b: b)
    }

    /// Indices of the features the specification allows (eligible, learned direction as declared) that pass the
    /// IV threshold, ranked by IV, then name.
    func eligible(_ binnings: [FeatureBinning], dropped: inout [ScorecardModel.DroppedFeature]) -> [Int] {
        var candidates = [Int]()
        for (index, binning) in binnings.enumerated() {
            if let refusal = settings.specification?.refusal(binning) {
                dropped.append(.init(name: binning.name, reason: refusal, iv: binning.iv))
            } else if binning.iv < settings.minIV {
                dropped.append(.init(name: binning.name, reason: "IV below \(settings.minIV)", iv: binning.iv))
            } else {
                candidates.append(index)
            }
        }
        candidates.sort {
            binnings[$0].iv > binnings[$1].iv
                || (binnings[$0].iv == binnings[$1].iv && binnings[$0].name < binnings[$1].name)
        }
        return candidates
    }

    /// Of `candidates` (ranked), those not too correlated with a feature ranked before them, in that ranking.
    func select(
        _ candidates: [Int], _ binnings: [FeatureBinning], columns: [[Double]],
        dropped: inout [ScorecardModel.DroppedFeature]
    ) -> [Int] {
        var kept = [Int]()
        for index in candidates {
            let rival = kept.first { abs(Self.pearson(columns[$0], columns[index])) > settings.maxCorrelation }
            if let rival {
                let reason = Self.correlationReason(binnings[rival].name)
                dropped.append(.init(name: binnings[index].name, reason: reason, iv: binnings[index].iv))
            } else {
                kept.append(index)
            }
        }
        return kept
    }

    /// Fits on the kept features' WoE, dropping the feature with the largest positive coefficient and refitting
    /// until every coefficient is ≤ 0. A sign flipped by correlation is handled before a feature is lost for good:
    /// when a feature is dropped for its sign, the features `select` dropped as correlated with it come back (in IV
    /// order, each unless it is too correlated with one still kept), so the correlated feature stands in for it.
    func fitWithRightSigns(
        _ kept: inout [Int], _ binnings: [FeatureBinning], columns: [[Double]], _ dataset: Dataset,
        dropped: inout [ScorecardModel.DroppedFeature], _ progress: (String) -> Void
    ) throws(ScorecardError) -> LogisticRegression.Fit {
        while !kept.isEmpty {
            progress("fitting the regression on \(kept.count) features")
            let fit = settings.regression.fit(columns: kept.map { columns[$0] }, targets: dataset.targets)
            var worst: (position: Int, coefficient: Double)? = nil
            for (position, coefficient) in fit.coefficients.enumerated() where coefficient > 0 {
                if coefficient > worst?.coefficient ?? 0 { worst = (position, coefficient) }
            }
            guard let position = worst?.position else { return fit }
            let index = kept.remove(at: position)
            dropped.append(
                .init(name: binnings[index].name, reason: "coefficient with the wrong sign", iv: binnings[index].iv))
            reinstate(correlatedWith: binnings[index].name, &kept, binnings, columns: columns, dropped: &dropped)
        }
        throw ScorecardError(.noFeatures, "no feature passes selection (IV ≥ \(settings.minIV), right sign)")
    }

    /// Brings back the features dropped as correlated with `name`, highest IV first, each unless it is too
    /// correlated with a feature still kept.
    func reinstate(
        correlatedWith name: String, _ kept: inout [Int], _ binnings: [FeatureBinning], columns: [[Double]],
        dropped: inout [ScorecardModel.DroppedFeature]
    ) {
        let reason = Self.correlationReason(name)
        for entry in dropped where entry.reason == reason {
            guard let index = binnings.firstIndex(where: { $0.name == entry.name }) else { continue }
            guard !kept.contains(where: { abs(Self.pearson(columns[$0], columns[index])) > settings.maxCorrelation })
            else { continue }
            kept.append(index)
            dropped.removeAll { $0.name == entry.name }
        }
    }

    static func correlationReason(_ rival: String) -> String { "correlated with \(rival)" }

    func woeColumn(_ binning: FeatureBinning, _ dataset: Dataset) -> [Double] {
        dataset.rows.map { row in binning.bins[binning.binIndex(for: row[binning.name] ?? .missing)].woe }
    }

    /// Pearson correlation, 0 when either column is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "paired columns")
        guard !x.isEmpty else { return 0 }
        var meanX = 0.0
        var meanY = 0.0
        for (a, b) in zip(x, y) {
            meanX += a
            meanY += b
        }
        meanX /= Double(x.count)
        meanY /= Double(y.count)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - meanX) * (b - meanY)
            sxx += (a - meanX) * (a - meanX)
            syy += (b - meanY) * (b - meanY)
        }
        guard sxx > 0, syy > 0 else { return 0 }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Interior cut points at the values of ranks `k·n/bands` (k = 1…bands−1) of the sorted values, repeats removed;
    /// band i holds `edges[i−1] <= x < edges[i]`.
    public static func quantileEdges(_ values: [Double], bands: Int) -> [Double] {
        let sorted = values.sorted()
        guard let first = sorted.first else { return [] }
        var edges = [Double]()
        for k in 1..<max(bands, 1) {
            let cut = sorted[k * sorted.count / bands]
            if cut > first && cut != edges.last { edges.append(cut) }
        }
        return edges
    }

    /// The share of `values` in each band of `edges` (one more band than edges).
    public static func shares(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for value in values { counts[band(value, edges: edges)] += 1 }
        return counts.map { values.isEmpty ? 0 : Double($0) / Double(values.count) }
    }

    static func band(_ value: Double, edges: [Double]) -> Int {
        var index = 0
        while index < edges.count && value >= edges[index] { index += 1 }
        return index
    }

    private func rounded(_ value: Double) -> String { "\((value * 10_000).rounded() / 10_000)" }
}
