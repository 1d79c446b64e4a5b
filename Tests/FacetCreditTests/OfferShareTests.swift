import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetScorecard
import FacetTestSupport
import Testing

/// Offers on a demo history under the committed lender policies and products: most consenting firms of decent
/// quality get an offer from some lender, while the prime bank stays selective.
@Suite struct OfferShareTests {
    static let seed: UInt64 = 20240101

    @Test func mostDecentConsentingFirmsGetAnOfferAndThePrimeBankStaysSelective() throws {
        print("OfferShareTests seed \(Self.seed)")
        // The demo's own settings (its default rate) and the committed model the devnet registers.
        let history = try FeatureDemoHistory(firms: 120, months: 24, seed: Self.seed)
        let model = try ContractFiles.json(ScorecardModel.self, "models/facet-demo-sme-v1.json")
        let index = history.index()
        let evidence = try CreditConsistencyTests.evidence(history, index)
        let quality = Dictionary(uniqueKeysWithValues: history.generator.firms.map { ($0.id, $0.quality) })
        let products = try PricingFixtures.productNames.map(PricingFixtures.product)
        var offered = Set<MemberID>()
        var consenting = Set<MemberID>()
        var shares = [String: Double]()
        for lender in PricingFixtures.lenderNames {
            let policy = try PricingFixtures.policy(lender)
            let member = try #require(history.generator.consortium.founders.first { $0.key == lender })
            let applicants = Set(index.applicants(of: member.id))
            var withOffer = 0
            var declines = [String: Int]()
            for firm in evidence where applicants.contains(firm.features.firm) {
                let assessment = CreditAssessment.assess(
                    firm, model: model, products: products, policy: policy, advice: false)
                consenting.insert(firm.features.firm)
                if assessment.decisions.contains(where: { $0.offer != nil }) {
                    withOffer += 1
                    offered.insert(firm.features.firm)
                } else if (quality[firm.features.firm] ?? 0) >= 500 {
                    for code in Set(assessment.decisions.flatMap { $0.decline?.codes ?? [] }) {
                        declines[code.rawValue, default: 0] += 1
                    }
                }
            }
            shares[lender] = applicants.isEmpty ? 0 : Double(withOffer) / Double(applicants.count)
            print("OfferShareTests: \(lender) offers \(withOffer) of \(applicants.count) applicants")
            let reasons = declines.keys.sorted().map { "\($0) \(declines[$0]!)" }.joined(separator: ", ")
            print("OfferShareTests: \(lender) declines decent firms for \(reasons)")
        }
        let decent = consenting.filter { (quality[$0] ?? 0) >= 500 }
        let decentOffered = decent.filter { offered.contains($0) }
        let share = Double(decentOffered.count) / Double(max(1, decent.count))
        print("OfferShareTests: \(decentOffered.count) of \(decent.count) consenting firms of quality ≥ 500 offered")
        #expect(decent.count >= 30)
        // Measured at seed 20240101: 54 of 66 decent firms (82 %); bank-a 3 of 25, bank-b 34 of 60, fintech 54 of 59.
        #expect(share >= 0.6, "\(share)")
        #expect((shares["bank-a"] ?? 1) <= 0.3, "the prime bank stays selective")
        #expect((shares["fintech"] ?? 0) >= 0.7, "\(shares)")
    }
}
