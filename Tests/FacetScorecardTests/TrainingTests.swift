import FacetScorecard
import Foundation
import Testing

@Suite struct TrainingTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5]

    /// Every range bin of every numeric feature has a strictly monotonic bad rate, enough rows, a good and a bad.
    @Test(arguments: seeds) func binsAreMonotonic(seed: UInt64) throws {
        let data = SyntheticBook.make(seed: seed)
        let binner = Binner(settings: SyntheticBook.settings.binning)
        for feature in data.features where feature.kind == .numeric {
            let binning = binner.bin(data, feature: feature.name, kind: .numeric)
            let ranges = binning.bins.filter { $0.kind == .range }
            let rates = ranges.map(\.badRate)
            let pairs = zip(rates, rates.dropFirst())
            switch binning.direction {
            case "ascending": #expect(pairs.allSatisfy { $0 < $1 }, "seed \(seed) \(feature.name) \(rates)")
            case "descending": #expect(pairs.allSatisfy { $0 > $1 }, "seed \(seed) \(feature.name) \(rates)")
            default: #expect(ranges.count == 1)
            }
            #expect(ranges.count <= 8)
            if ranges.count > 1 {
                for bin in ranges {
                    #expect(bin.goods > 0 && bin.bads > 0)
                    #expect(Double(bin.count) >= 0.05 * Double(data.rows.count))
                }
            }
            let binned: Int = binning.bins.reduce(0) { $0 + $1.count }
            #expect(binned == data.rows.count)
        }
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(data)
        for feature in model.features where feature.binning.kind == .numeric {
            let points = feature.binning.bins.filter { $0.kind == .range }.map(\.points)
            let woes = feature.binning.bins.filter { $0.kind == .range }.map(\.woe)
            // Points follow WoE in the same order: the coefficient is never positive.
            #expect(feature.coefficient <= 0)
            for (a, b) in zip(zip(woes, woes.dropFirst()), zip(points, points.dropFirst())) {
                #expect((a.0 < a.1) == (b.0 <= b.1) || a.0 == a.1 || feature.coefficient == 0)
            }
        }
    }

    @Test func specialAndMissingValuesHaveTheirOwnBins() throws {
        let data = SyntheticBook.make(seed: 11)
        let binning = Binner(settings: SyntheticBook.settings.binning).bin(data, feature: "dpd", kind: .numeric)
        #expect(binning.bins[binning.binIndex(for: .number(-999))].kind == .special)
        #expect(binning.bins[binning.binIndex(for: .missing)].kind == .missing)
        #expect(binning.bins[binning.binIndex(for: .number(1e9))].kind == .range)
        #expect(binning.bins.filter { $0.kind == .special }.first?.count ?? 0 > 0)
        let region = Binner(settings: SyntheticBook.settings.binning).bin(data, feature: "region", kind: .categorical)
        #expect(region.bins[region.binIndex(for: .text("never seen"))].kind == .other)
        #expect(region.bins[region.binIndex(for: .text("rare3"))].kind == .other)
        #expect(region.bins[region.binIndex(for: .text("panyu"))].kind == .categories)
        let rates = region.bins.filter { $0.kind == .categories }.map(\.badRate)
        #expect(rates == rates.sorted())
    }

    @Test func trainingFindsTheSignalAndDropsNoise() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 3))
        let names = model.features.map(\.name)
        #expect(names.contains("income") && names.contains("dpd") && names.contains("region"))
        #expect(!names.contains("noise"))
        #expect(model.training.dropped.contains { $0.name == "noise" })
        #expect(model.training.auc > 0.7)
        #expect(model.training.rows == 2_000)
        #expect(model.training.date == "2026-01-31")
        #expect(abs(model.training.scoreBandShares.reduce(0, +) - 1) < 1e-9)
        // The logistic calibration on the training scores is calibrated in the large (a property of the MLE).
        let data = SyntheticBook.make(seed: 3)
        let pds = model.score(rows: data.rows).map(\.pd)
        #expect(abs(pds.reduce(0, +) - Double(data.badCount)) < 1e-6)
    }

    /// A copy of a feature has WoE correlation 1 with it: one of the pair goes (the name sorting later on equal IV).
    @Test func correlatedFeaturesAreDropped() throws {
        let data = SyntheticBook.make(seed: 7)
        let rows = data.rows.map { row in
            var copy = row
            copy["income_copy"] = row["income"]
            return copy
        }
        let doubled = Dataset(
            features: data.features + [(name: "income_copy", kind: .numeric)], rows: rows, targets: data.targets)
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(doubled)
        #expect(model.features.map(\.name).contains("income"))
        #expect(!model.features.map(\.name).contains("income_copy"))
        #expect(model.training.dropped.contains { $0.name == "income_copy" && $0.reason == "correlated with income" })
        #expect(abs(ScorecardTrainer.pearson([1, 2, 3], [2, 4, 7]) - 0.9933992677987828) < 1e-12)  // numpy corrcoef
    }

    /// Risk rises with `x1 − 0.3·x2` where `x2 = x1 + v`: alone, x2 looks risky (its WoE falls as it rises), but
    /// beside x1 it lowers risk, so its coefficient on WoE comes out positive and training drops it and refits.
    @Test func wrongSignFeaturesAreDroppedAndTheModelRefitted() throws {
        let data = SyntheticBook.collinear(seed: 99, nearCopy: false)
        let model = try ScorecardTrainer(settings: TrainingSettings(maxCorrelation: 0.95)).train(data)
        #expect(model.features.map(\.name) == ["x1"])
        #expect(model.training.dropped.map(\.reason) == ["coefficient with the wrong sign"])
        #expect(model.features.allSatisfy { $0.coefficient <= 0 })
    }

    /// The whole chain agrees: a row's score is `offset + factor · ln(odds good:bad)` with the regression's odds.
    @Test func pointsAddUpToTheRegressionsOdds() throws {
        let data = SyntheticBook.make(seed: 8)
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(data)
        for row in data.rows.prefix(50) {
            var eta = model.intercept
            for feature in model.features {
                eta +=
                    feature.coefficient
                    * feature.binning.bins[feature.binning.binIndex(for: row[feature.name] ?? .missing)].woe
            }
            #expect(abs(model.score(row).score - model.scaling.score(odds: exp(-eta))) < 1e-9)
        }
    }

    /// A feature that separates goods from bads perfectly still gives a finite model that saves and loads.
    @Test func perfectSeparationStaysFinite() throws {
        var rows = [FeatureRow]()
        var targets = [UInt8]()
        for index in 0..<200 {
            rows.append(["x": .text(index < 40 ? "ring" : "plain")])  // categories may be pure (smoothed WoE)
            targets.append(index < 40 ? 1 : 0)
        }
        let data = Dataset(features: [(name: "x", kind: .categorical)], rows: rows, targets: targets)
        let model = try ScorecardTrainer().train(data)
        let results = model.score(rows: rows)
        #expect(results.allSatisfy { $0.score.isFinite && $0.pd.isFinite })
        #expect(try ScorecardModel.load(json: model.fileJSON()) == model)
        #expect(model.training.auc == 1)
    }

    @Test func singleAndBatchScoresAreIdentical() throws {
        let data = SyntheticBook.make(seed: 4)
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(data)
        let batch = model.score(rows: data.rows)
        for (row, result) in zip(data.rows, batch) {
            let single = model.score(row)
            #expect(single == result)
            #expect(single.score.bitPattern == result.score.bitPattern && single.pd.bitPattern == result.pd.bitPattern)
        }
    }

    @Test func trainingIsDeterministic() throws {
        let first = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 5))
        let second = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 5))
        #expect(first.hash == second.hash)
        #expect(first.hash?.count == 64)
    }

    @Test func reasonCodesAreTheBiggestShortfalls() throws {
        var settings = SyntheticBook.settings
        settings.reasonTexts = ["dpd": "Payments are often late"]
        let model = try ScorecardTrainer(settings: settings).train(SyntheticBook.make(seed: 2))
        let result = model.score(["income": .number(1), "dpd": .number(89), "region": .text("shuibei")])
        #expect(!result.reasons.isEmpty && result.reasons.count <= 4)
        let shortfalls = result.reasons.map(\.pointsBelowBest)
        #expect(shortfalls == shortfalls.sorted(by: >))
        #expect(result.reasons.allSatisfy { $0.pointsBelowBest > 0 })
        #expect(result.reasons.first { $0.feature == "dpd" }?.text == "Payments are often late")
        #expect(result.reasons.first { $0.feature == "income" }?.text == "income lowered the score")
        let best = model.features.reduce(model.basePoints) { $0 + $1.bestPoints }
        #expect(abs(result.score + shortfalls.reduce(0, +) - best) < 1e-9 || model.features.count > 4)
        // PD falls as the score rises, and the grade follows the master scale.
        let pd = model.calibration.probability(score: result.score)
        #expect(result.pd == pd)
        #expect(result.grade == model.masterScale.grade(pd: pd))
        #expect(model.calibration.probability(score: 700) < model.calibration.probability(score: 500))
    }

    @Test func modelJSONRoundTripKeepsTheHash() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 1))
        let json = try model.fileJSON()
        let loaded = try ScorecardModel.load(json: json)
        #expect(loaded == model)
        #expect(try loaded.contentHash() == model.hash)
        let data = SyntheticBook.make(seed: 1)
        #expect(loaded.score(rows: data.rows) == model.score(rows: data.rows))
    }

    @Test func tamperedOrMalformedModelsAreRefused() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 1))
        var tampered = model
        tampered.basePoints += 1
        let tamperedJSON = try JSONEncoder().encode(tampered)
        #expect(throws: ScorecardError.self) { try ScorecardModel.load(json: Array(tamperedJSON)) }
        do {
            _ = try ScorecardModel.load(json: Array(tamperedJSON))
        } catch { #expect(error.code == .modelHashMismatch) }
        do {
            _ = try ScorecardModel.load(json: Array("{\"format\":1}".utf8))
            Issue.record("a malformed model loaded")
        } catch { #expect(error.code == .modelMalformed) }
        var shapeless = model
        shapeless.features[0].binning.bins.removeAll { $0.kind == .missing }
        do {
            _ = try ScorecardModel.load(json: try shapeless.sealed().fileJSON())
            Issue.record("a model without a missing bin loaded")
        } catch { #expect(error.code == .modelMalformed) }
    }

    @Test func trainingErrors() throws {
        let data = SyntheticBook.make(seed: 1, rows: 200)
        let noisy = Dataset(features: [(name: "noise", kind: .numeric)], rows: data.rows, targets: data.targets)
        do {
            _ = try ScorecardTrainer(settings: TrainingSettings(minIV: 5)).train(noisy)
            Issue.record("trained without features")
        } catch { #expect(error.code == .noFeatures) }
        let allGood = Dataset(features: data.features, rows: data.rows, targets: data.targets.map { _ in 0 })
        do {
            _ = try ScorecardTrainer().train(allGood)
            Issue.record("trained without bads")
        } catch { #expect(error.code == .insufficientData) }
    }

    @Test func everyCodeIsInTheCatalog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let catalog = try String(contentsOf: root.appendingPathComponent("contracts/errors.md"), encoding: .utf8)
        for code in ScorecardError.Code.allCases {
            #expect(catalog.contains("| `\(code.rawValue)` |"), "\(code.rawValue) missing from contracts/errors.md")
        }
    }
}
