import FacetCore
import FacetCredit
import FacetLedger
import FacetScorecard
import FacetTestSupport
import Foundation
import Testing

/// A small hand-made scorecard and firms to assess with it against the committed products and bank-a's policy.
///
/// The model scores 600 points at 50:1 odds, 20 points to double them, with PD `1 / (1 + odds)` and the default
/// master scale: 640 is grade 2 (PD 0.50%), 620 grade 3 (0.99%), 610 grade 4 (1.39%), 600 grade 4 (1.96%), 590
/// grade 5 (2.75%). The prime bank (`PricingFixtures.primeBank`) lends to grade 4 and better, at PD 1.5% at most.
enum AssessmentFixtures {
    typealias F = PricingFixtures

    static let firm = F.member(7)

    static func range(_ label: String, _ lower: Double?, _ upper: Double?, _ points: Double) -> ScorecardBin {
        var bin = ScorecardBin(kind: .range, label: label, lower: lower, upper: upper)
        bin.points = points
        return bin
    }

    static func missing(_ points: Double) -> ScorecardBin {
        var bin = ScorecardBin(kind: .missing, label: "missing")
        bin.points = points
        return bin
    }

    static func feature(_ name: String, _ bins: [ScorecardBin]) -> ScorecardModel.Feature {
        .init(
            binning: FeatureBinning(name: name, kind: .numeric, bins: bins, iv: 0.5, direction: "descending"),
            coefficient: -1, reason: FeatureName.reasonTexts[name] ?? name)
    }

    /// Verified trade share (−20, 0, +20 at 0.4 and 0.6), buyer concentration (+10, 0, −15 at 0.3 and 0.5) and
    /// tenure (−10 below a year, +10 after), on 600 base points.
    static func model() throws -> ScorecardModel {
        var model = try ContractFiles.json(ScorecardModel.self, "models/facet-demo-sme-v1.json")
        model.scaling = PointsScaling()
        model.basePoints = 600
        model.calibration = Calibration(a: model.scaling.offset / model.scaling.factor, b: -1 / model.scaling.factor)
        model.masterScale = .geometric()
        model.features = [
            feature(
                FeatureName.verifiedTradeShare,
                [
                    range("< 0.4", nil, 0.4, -20), range("[0.4, 0.6)", 0.4, 0.6, 0), range(">= 0.6", 0.6, nil, 20),
                    missing(-30),
                ]),
            feature(
                FeatureName.buyerHHI,
                [
                    range("< 0.3", nil, 0.3, 10), range("[0.3, 0.5)", 0.3, 0.5, 0), range(">= 0.5", 0.5, nil, -15),
                    missing(-10),
                ]),
            feature(
                FeatureName.tenureMonths, [range("< 12", nil, 12, -10), range(">= 12", 12, nil, 10), missing(-10)]),
        ]
        model.hash = nil
        return try model.sealed()
    }

    /// A firm's features: verified share, concentration, tenure and revenue (yuan), the rest as a new index has them.
    static func features(
        share: Double = 0.7, hhi: Double = 0.2, tenure: Double = 24, revenue12m: Double = 100_000_000,
        revenue3m: Double = 25_000_000
    ) -> FirmFeatures {
        var features = FeatureIndex(genesis: LedgerFixture().genesis).features(of: firm, asOf: F.today)
        features.values[FeatureName.verifiedTradeShare] = .number(share)
        features.values[FeatureName.buyerHHI] = .number(hhi)
        features.values[FeatureName.tenureMonths] = .number(tenure)
        features.values[FeatureName.revenue12m] = .number(revenue12m)
        features.values[FeatureName.revenue3m] = .number(revenue3m)
        return features
    }

    static func evidence(
        _ features: FirmFeatures = features(), pieces: [CollateralPiece] = [], receivables: [Receivable] = []
    ) -> CreditEvidence {
        CreditEvidence(
            features: features, pieces: pieces, receivables: receivables, prices: F.prices, currency: .cny)
    }

    /// A 1 ct G VS2 natural diamond: 42,000 CNY at reference, 27,300 CNY lendable after the 35% haircut.
    static func diamond(_ n: UInt64, certified: Bool = true, inWarehouse: Bool) -> CollateralPiece {
        var piece = F.diamond(n)
        piece.certified = certified
        piece.inWarehouse = inWarehouse
        return piece
    }

    /// An invoice issued ten days ago to buyer `n`, 60,000 CNY outstanding.
    static func invoice(
        _ n: UInt64, buyer: UInt64?, confirmed: Bool, disputed: Bool = false, yuan: Int64 = 60_000
    ) -> Receivable {
        Receivable(
            id: F.invoice(n), buyer: buyer.map { F.member($0) }, outstanding: yuan * 100, issuedAt: F.day(19_990),
            confirmed: confirmed, disputed: disputed)
    }

    static func products() throws -> [CreditProduct] {
        try F.productNames.map { try F.product($0) }
    }

    static func assess(_ evidence: CreditEvidence, requestedTenorDays: UInt32? = nil) throws -> CreditAssessment {
        CreditAssessment.assess(
            evidence, model: try model(), products: try products(), policy: try F.primeBank(),
            requestedTenorDays: requestedTenorDays)
    }

    static func product(of decision: CreditDecision) -> String {
        decision.offer?.product ?? decision.decline?.product ?? ""
    }
}

@Suite struct CreditAssessmentTests {
    typealias A = AssessmentFixtures
    typealias F = PricingFixtures

    static func mixedEvidence() -> CreditEvidence {
        A.evidence(
            A.features(share: 0.45, hhi: 0.35, tenure: 6),
            pieces: [
                A.diamond(1, inWarehouse: true), A.diamond(2, inWarehouse: false), A.diamond(3, inWarehouse: false),
                A.diamond(4, certified: false, inWarehouse: false),
            ],
            receivables: [
                A.invoice(11, buyer: 101, confirmed: true), A.invoice(12, buyer: 102, confirmed: false),
                A.invoice(13, buyer: 103, confirmed: false), A.invoice(14, buyer: nil, confirmed: false),
            ])
    }

    @Test func anAssessmentIsAPureFunctionOfItsEvidence() throws {
        let evidence = Self.mixedEvidence()
        let first = try A.assess(evidence)
        let second = try A.assess(evidence)
        #expect(first == second)
        #expect(!first.advice.isEmpty)
        // The records' order is not part of the evidence's meaning: decisions and advice do not depend on it.
        var reordered = evidence
        reordered.pieces.reverse()
        reordered.receivables.reverse()
        let third = try A.assess(reordered)
        #expect(third.decisions == first.decisions)
        #expect(third.advice == first.advice)
    }

    @Test func theScoreAndReasonsAreTheModels() throws {
        let evidence = Self.mixedEvidence()
        let model = try A.model()
        let assessment = try A.assess(evidence)
        let expected = model.score(evidence.features.values)
        #expect(assessment.score == expected.score && assessment.score == 590)
        #expect(assessment.pd == expected.pd && assessment.grade == "5")
        #expect(assessment.reasons == expected.reasons)
        #expect(assessment.reasons.map(\.feature) == ["tenure_months", "verified_trade_share", "buyer_hhi"])
        #expect(assessment.modelHash == model.hash && assessment.modelHash.count == 64)
        #expect(assessment.firm == A.firm && assessment.asOf == F.today)
    }

    @Test func decisionsFollowThePolicysProductOrder() throws {
        let policy = try F.primeBank()
        let products = try A.products()
        let evidence = A.evidence()
        let assessment = CreditAssessment.assess(
            evidence, model: try A.model(), products: products.reversed(), policy: policy)
        // bank-a lists working capital, receivables, inventory pledge; the guarantee product it does not offer.
        #expect(assessment.decisions.map(A.product(of:)) == policy.products)
        #expect(policy.products == ["working-capital", "receivables", "inventory-pledge"])
        let partial = CreditAssessment.assess(
            evidence, model: try A.model(),
            products: try [F.product("inventory-pledge"), F.product("guarantee"), F.product("working-capital")],
            policy: policy)
        #expect(partial.decisions.map(A.product(of:)) == ["working-capital", "inventory-pledge"])
    }

    @Test func everyDecisionIsTheEnginesOnTheAssessmentsInputs() throws {
        let evidence = Self.mixedEvidence()
        let assessment = try A.assess(evidence, requestedTenorDays: 90)
        let policy = try F.primeBank()
        let inputs = CreditInputs(
            asOf: F.today, pd: assessment.pd, grade: assessment.grade, revenue12m: 10_000_000_000,
            monthlyCashFlow: 83_333_333, pieces: evidence.pieces, receivables: evidence.receivables, prices: F.prices,
            requestedTenorDays: 90)
        #expect(assessment.inputs == inputs)
        for (decision, id) in zip(assessment.decisions, policy.products) {
            #expect(decision == CreditEngine.decide(inputs, product: try F.product(id), policy: policy))
        }
    }

    @Test func revenueBecomesMinorUnitsRoundedDownAndBounded() throws {
        let jpy = try Currency("JPY")
        #expect(CreditAssessment.minorUnits(1234.56, currency: .cny) == 123_456)
        #expect(CreditAssessment.minorUnits(0.29, currency: .cny) == 29)
        #expect(CreditAssessment.minorUnits(1234.567, currency: .cny) == 123_456)
        #expect(CreditAssessment.minorUnits(1234.9, currency: jpy) == 1_234)
        #expect(CreditAssessment.minorUnits(-5, currency: .cny) == 0)
        #expect(CreditAssessment.minorUnits(.nan, currency: .cny) == 0)
        #expect(CreditAssessment.minorUnits(.infinity, currency: .cny) == Limits.maxAmountMinorUnits)
        #expect(CreditAssessment.minorUnits(1e30, currency: .cny) == Limits.maxAmountMinorUnits)
    }

    @Test func cashFlowIsAMarginOnTheLowerRunRate() {
        // 10% of min(900,000 / 3, 3,600,000 / 12) yuan: 30,000 yuan a month.
        #expect(CreditAssessment.monthlyCashFlow(revenue3m: 90_000_000, revenue12m: 360_000_000) == 3_000_000)
        // A recent spike does not raise it above the year's pace; a fall lowers it.
        #expect(CreditAssessment.monthlyCashFlow(revenue3m: 300_000_000, revenue12m: 360_000_000) == 3_000_000)
        #expect(CreditAssessment.monthlyCashFlow(revenue3m: 30_000_000, revenue12m: 360_000_000) == 1_000_000)
        #expect(CreditAssessment.monthlyCashFlow(revenue3m: -1, revenue12m: 360_000_000) == 0)
    }
}
