import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetScorecard
import FacetTestTraits
import Testing

/// A scorecard trained on the ledger's own loans, as `facet credit train --from-ledger` does: the borrowers'
/// features before each loan opened and its outcome, from a demo history through the feature index.
@Suite(.onOwnThread) struct LedgerTrainingTests {
    @Test func aScorecardTrainsOnTheLedgersLoansAndRanksThemAsTheHiddenTruthDoes() throws {
        let history = try FeatureDemoHistory(firms: 80, months: 14, seed: 11, defaultRatePermille: 300)
        let rows = history.index().trainingRows()
        let bads = rows.filter(\.bad).count
        try #require(rows.count >= 50 && bads >= 8, "\(rows.count) closed loans, \(bads) defaults")

        let dataset = Dataset(inferringFeaturesOf: rows.map(\.features), targets: rows.map { $0.bad ? 1 : 0 })
        let settings = TrainingSettings(reasonTexts: FeatureName.reasonTexts, date: "2026-11-21")
        let model = try ScorecardTrainer(settings: settings).train(dataset, target: "defaulted")
        #expect(!model.features.isEmpty)
        #expect(model.features.allSatisfy { FeatureName.all.contains($0.binning.name) })
        // Every range feature's bad rate moves one way across its bins.
        for feature in model.features {
            let rates = feature.binning.bins.filter { $0.kind == .range && $0.count > 0 }.map {
                Double($0.bads) / Double($0.count)
            }
            let rising = zip(rates, rates.dropFirst()).allSatisfy { $0 <= $1 }
            let falling = zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }
            #expect(rising || falling, "\(feature.binning.name): \(rates)")
        }
        // Reason texts are the firm-facing words, and the same training gives the same model.
        #expect(model.features.allSatisfy { $0.reason == FeatureName.reasonTexts[$0.binning.name] })
        let again = try ScorecardTrainer(settings: settings).train(dataset, target: "defaulted")
        #expect(try again.contentHash() == model.contentHash())

        // The model ranks loans better than chance, and so does the generator's hidden default probability.
        let scores = model.score(rows: rows.map(\.features)).map(\.score)
        let outcomes: [UInt8] = rows.map { $0.bad ? 1 : 0 }
        #expect(Discrimination.auc(scores: scores, bads: outcomes) > 0.6)
        let truth = history.generator.groundTruth
        var probability = [String: Double]()
        for firm in truth.firms { probability[firm.id] = firm.defaultProbability }
        let oracle = Discrimination.auc(scores: rows.map { -(probability[$0.firm.hex] ?? 0) }, bads: outcomes)
        #expect(oracle > 0.5)
    }
}
