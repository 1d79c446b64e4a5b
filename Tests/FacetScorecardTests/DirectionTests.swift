import FacetScorecard
import Foundation
import Testing

/// A model's specification: only eligible features are used, a feature whose learned direction contradicts its
/// declaration is dropped with its reason, and a kept feature carries its direction, which reason codes follow.
@Suite struct DirectionTests {
    @Test func trainingEnforcesTheSpecification() throws {
        // In the synthetic book income lowers risk and days past due raise it; the specification declares income
        // the wrong way round, leaves `noise` out, and lets `region` in without a direction (it is categorical).
        let specification = ModelSpecification(features: [
            .init(name: "income", direction: .higherIsRiskier), .init(name: "dpd", direction: .higherIsRiskier),
            .init(name: "region", direction: nil),
        ])
        var settings = SyntheticBook.settings
        settings.specification = specification
        settings.minIV = 0
        let model = try ScorecardTrainer(settings: settings).train(SyntheticBook.make(seed: 4))
        #expect(model.features.map(\.name).sorted() == ["dpd", "region"])
        let dropped = Dictionary(uniqueKeysWithValues: model.training.dropped.map { ($0.name, $0.reason) })
        #expect(dropped["income"]?.contains("contradicts the declared one (higher is riskier)") == true)
        #expect(dropped["noise"] == "not eligible in the model's specification")
        let dpd = try #require(model.features.first { $0.name == "dpd" })
        #expect(dpd.direction == .higherIsRiskier)
        #expect(model.features.first { $0.name == "region" }?.direction == nil)
        // Points follow the declaration: more days past due never earn more points.
        let ranges = dpd.binning.bins.filter { $0.kind == .range }.map(\.points)
        #expect(ranges.count >= 2)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.0 >= $0.1 })
        // Declared the right way, income stays.
        settings.specification?.features[0].direction = .higherIsSafer
        let right = try ScorecardTrainer(settings: settings).train(SyntheticBook.make(seed: 4))
        #expect(right.features.map(\.name).contains("income"))
    }

    @Test func aDeclaredDirectionSurvivesTheModelFile() throws {
        var settings = SyntheticBook.settings
        settings.specification = ModelSpecification(features: [.init(name: "dpd", direction: .higherIsRiskier)])
        let model = try ScorecardTrainer(settings: settings).train(SyntheticBook.make(seed: 6))
        let loaded = try ScorecardModel.load(json: try model.fileJSON())
        #expect(loaded.features.map(\.direction) == [.higherIsRiskier])
        let json = String(decoding: try model.fileJSON(), as: UTF8.self)
        #expect(json.contains("\"direction\" : \"higher_is_riskier\""))
    }

    /// A value in the best range is not a reason even when the missing bin earns more, so "sales depend on few
    /// buyers" is never said of a firm in the least concentrated range.
    @Test func aReasonMeasuresARangeAgainstTheBestRange() {
        var bins = [
            ScorecardBin(kind: .range, label: "< 0.2", upper: 0.2),
            ScorecardBin(kind: .range, label: ">= 0.2", lower: 0.2),
            ScorecardBin(kind: .missing, label: "missing"),
        ]
        bins[0].points = 5
        bins[1].points = 0
        bins[2].points = 20
        let binning = FeatureBinning(name: "buyer_hhi", kind: .numeric, bins: bins, iv: 0.1, direction: "ascending")
        let declared = ScorecardModel.Feature(
            binning: binning, coefficient: -1, reason: "Sales depend on few buyers", direction: .higherIsRiskier)
        #expect(declared.shortfall(at: 0) == 0)
        #expect(declared.shortfall(at: 1) == 5)
        #expect(declared.shortfall(at: 2) == 0)  // the missing bin is the best of all
        let undeclared = ScorecardModel.Feature(binning: binning, coefficient: -1, reason: "x")
        #expect(undeclared.shortfall(at: 0) == 15)
    }
}

/// A sign flipped by correlation: the features dropped as correlated with a feature that then loses its sign are
/// tried in its place before training gives up on them.
@Suite struct CollinearityTests {
    @Test func aFeatureDroppedForCorrelationIsTriedAgainWhenItsRivalLosesItsSign() throws {
        print("CollinearityTests seed 99")
        // x2 and its near copy x3 carry u + v, whose effect beyond x1 = u runs the wrong way.
        let data = SyntheticBook.collinear(seed: 99, nearCopy: true)
        let model = try ScorecardTrainer(settings: TrainingSettings(maxCorrelation: 0.95)).train(data)
        #expect(model.features.map(\.name) == ["x1"])
        // Neither copy is left "correlated with" the other: the second was refitted after the first lost its sign.
        let reasons = Dictionary(uniqueKeysWithValues: model.training.dropped.map { ($0.name, $0.reason) })
        #expect(reasons["x2"] == "coefficient with the wrong sign")
        #expect(reasons["x3"] == "coefficient with the wrong sign")
    }
}

/// Forward selection by cross-validated AUC: a correlated feature is left out for adding nothing or for flipping a
/// sign beside one already chosen, and the model says which.
@Suite struct StepwiseSelectionTests {
    @Test func aSignFlippedByCorrelationIsRefusedBeforeTheFeatureIsAdded() throws {
        print("StepwiseSelectionTests seed 99")
        let data = SyntheticBook.collinear(seed: 99, nearCopy: true)
        let settings = TrainingSettings(maxCorrelation: 0.95, stepwise: StepwiseSelection())
        let model = try ScorecardTrainer(settings: settings).train(data)
        #expect(model.features.map(\.name) == ["x1"])
        let reasons = Dictionary(uniqueKeysWithValues: model.training.dropped.map { ($0.name, $0.reason) })
        // Beside x1, the WoE of u + v pushes risk the wrong way: refused, naming x1, never fitted into the model.
        for copy in ["x2", "x3"] {
            let reason = try #require(reasons[copy])
            #expect(reason.hasPrefix("coefficient with the wrong sign beside x1 (WoE correlation "), "\(reason)")
        }
    }

    @Test func aRedundantCopyAndNoiseAddNoCrossValidatedAUCAndAreLeftOut() throws {
        print("StepwiseSelectionTests seed 5")
        var rng = SplitMix(seed: 5)
        var rows = [FeatureRow]()
        var targets = [UInt8]()
        for _ in 0..<3_000 {
            let u = rng.normal()
            let w = rng.normal()
            let eta = -2 + 1.2 * u + 0.8 * w
            rows.append([
                "income": .number(u), "income_copy": .number(u + 0.02 * rng.normal()), "tenure": .number(w),
                "noise": .number(rng.normal()),
            ])
            targets.append(rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
        }
        let names = ["income", "income_copy", "tenure", "noise"]
        let data = Dataset(features: names.map { (name: $0, kind: .numeric) }, rows: rows, targets: targets)
        // The IV threshold at 0 lets the noise reach selection, so selection itself must leave it out.
        let stepwise = try ScorecardTrainer(
            settings: TrainingSettings(minIV: 0, stepwise: StepwiseSelection(folds: 4, minGain: 0.002))
        ).train(data)
        let chosen = Set(stepwise.features.map(\.name))
        #expect(chosen.contains("tenure"))
        #expect(chosen.contains("income") != chosen.contains("income_copy"), "one copy of income: \(chosen)")
        #expect(!chosen.contains("noise"))
        for dropped in stepwise.training.dropped where ["income", "income_copy", "noise"].contains(dropped.name) {
            let known =
                dropped.reason.hasPrefix("adds less than 0.002 to the cross-validated AUC")
                || dropped.reason.contains("wrong sign")
            #expect(known, "\(dropped.name): \(dropped.reason)")
        }
        #expect(stepwise.training.dropped.contains { $0.name == "noise" })
        // Folds are stratified: each holds a quarter of the bads and of the goods, give or take one.
        let folds = ScorecardTrainer.stratifiedFolds(targets, count: 4)
        for fold in 0..<4 {
            let bads = zip(folds, targets).filter { $0.0 == fold && $0.1 == 1 }.count
            #expect(abs(bads * 4 - targets.filter { $0 == 1 }.count) <= 4, "fold \(fold): \(bads) bads")
        }
    }
}
