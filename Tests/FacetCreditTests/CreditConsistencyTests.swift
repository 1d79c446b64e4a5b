import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetScorecard
import FacetTestSupport
import FacetTestTraits
import Testing

/// The check a lender's reviewer and a firm would make by reading, run over every firm of a demo history: each
/// reason names a feature that lowered the score, with its value on the side of the best range its declared
/// direction calls worse, and each advice moves an eligible, actionable feature in its declared direction. The
/// declarations are `FeatureName.specification`, read here independently of what the model carries.
@Suite(.onOwnThread) struct CreditConsistencyTests {
    static let seed: UInt64 = 11

    /// The ledger model trained on a demo history under the ledger specification, the feature index at its end,
    /// and each member firm's evidence there.
    static func trained() throws -> (model: ScorecardModel, evidence: [CreditEvidence], history: FeatureDemoHistory) {
        let history = try FeatureDemoHistory(firms: 80, months: 14, seed: seed, defaultRatePermille: 300)
        let index = history.index()
        let rows = index.trainingRows()
        let dataset = Dataset(inferringFeaturesOf: rows.map(\.features), targets: rows.map { $0.bad ? 1 : 0 })
        let settings = TrainingSettings(
            reasonTexts: FeatureName.reasonTexts, date: "2026-11-21", specification: FeatureName.specification)
        let model = try ScorecardTrainer(settings: settings).train(dataset, target: "defaulted")
        return (model, try evidence(history, index), history)
    }

    /// Each member firm's evidence at the end of the history, as a node assembles it.
    static func evidence(_ history: FeatureDemoHistory, _ index: FeatureIndex) throws -> [CreditEvidence] {
        let time = try #require(index.time)
        return history.memberFirms.map { firm in
            CreditEvidence(
                features: index.features(of: firm, asOf: time),
                pieces: index.stock(of: firm).compactMap { history.state.record(Piece.self, $0.hash) }
                    .map { piece in CollateralPiece(piece) { _ in false } },
                receivables: index.openReceivables(of: firm).compactMap { history.state.record(Invoice.self, $0.hash) }
                    .map(Receivable.init),
                prices: index.priceSeries(asOf: time), currency: index.figuresCurrency ?? .cny)
        }
    }

    @Test func theLedgerModelUsesOnlyEligibleFeaturesInTheirDeclaredDirection() throws {
        print("CreditConsistencyTests seed \(Self.seed)")
        let model = try Self.trained().model
        let specification = FeatureName.specification
        #expect(!specification.isEligible(FeatureName.consentedLenders))
        #expect(!specification.isEligible(FeatureName.loanOffers12m))
        #expect(!model.features.isEmpty)
        for feature in model.features {
            #expect(specification.isEligible(feature.name), "\(feature.name)")
            #expect(feature.direction == specification.direction(of: feature.name), "\(feature.name)")
            // Points never rise in the direction the declaration calls riskier.
            var points = feature.binning.bins.filter { $0.kind == .range }.map(\.points)
            if feature.direction == .higherIsSafer { points.reverse() }
            #expect(zip(points, points.dropFirst()).allSatisfy { $0.0 >= $0.1 }, "\(feature.name): \(points)")
        }
        let dropped = Set(model.training.dropped.map(\.name))
        #expect(dropped.contains(FeatureName.consentedLenders) && dropped.contains(FeatureName.loanOffers12m))
    }

    @Test func everyReasonAndAdviceAgreesWithTheFeaturesValueAndDeclaredDirection() throws {
        print("CreditConsistencyTests seed \(Self.seed)")
        let (model, evidence, _) = try Self.trained()
        try Self.check(model, evidence)
    }

    /// The same check with the committed demo model (the one `facet devnet` registers) over the firms of a demo
    /// history at the seed files' settings, fewer firms.
    @Test func theCommittedDemoModelsReasonsAndAdviceAgreeToo() throws {
        print("CreditConsistencyTests seed 20240101")
        let history = try FeatureDemoHistory(firms: 100, months: 18, seed: 20_240_101)
        let model = try ContractFiles.json(ScorecardModel.self, "models/facet-demo-sme-v1.json")
        try Self.check(model, try Self.evidence(history, history.index()))
    }

    static func check(_ model: ScorecardModel, _ evidence: [CreditEvidence]) throws {
        let policy = try PricingFixtures.policy("bank-b")
        let products = try PricingFixtures.productNames.map(PricingFixtures.product)
        let specification = FeatureName.specification
        var reasons = 0
        var advised = 0
        for firm in evidence {
            let assessment = CreditAssessment.assess(firm, model: model, products: products, policy: policy)
            for reason in assessment.reasons {
                reasons += 1
                let feature = try #require(model.features.first { $0.name == reason.feature })
                #expect(reason.text == FeatureName.reasonTexts[reason.feature])
                #expect(reason.pointsBelowBest > 0)
                let bin = feature.binning.binIndex(for: firm.features.values[reason.feature] ?? .missing)
                guard feature.binning.bins[bin].kind == .range, let declared = specification.direction(of: feature.name)
                else { continue }
                // The best range lies on the safer side of the firm's value: below it when higher is riskier.
                let ranges = feature.binning.bins.indices.filter { feature.binning.bins[$0].kind == .range }
                let points = feature.binning.bins.map(\.points)
                let best = try #require(ranges.max { points[$0] < points[$1] })
                #expect(declared == .higherIsRiskier ? best < bin : best > bin, "\(feature.name) at bin \(bin)")
            }
            for advice in assessment.advice {
                guard let name = advice.feature, let from = advice.currentValue, let to = advice.targetValue else {
                    continue
                }
                advised += 1
                let declared = try #require(specification.direction(of: name), "\(name) is not eligible")
                #expect(name != FeatureName.consentedLenders && name != FeatureName.loanOffers12m)
                switch declared {
                case .higherIsRiskier: #expect(to < from && advice.text.hasPrefix("Lower"), "\(advice.text)")
                case .higherIsSafer: #expect(to > from && advice.text.hasPrefix("Raise"), "\(advice.text)")
                }
            }
        }
        print("CreditConsistencyTests: \(evidence.count) firms, \(reasons) reasons, \(advised) feature advice")
        #expect(reasons > 0)
        #expect(advised > 0)
    }
}
