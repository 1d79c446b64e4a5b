import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetScorecard
import Testing

/// Offers on a demo history under the committed lender policies and products: most consenting firms of decent
/// quality get an offer from some lender, while the prime bank stays selective.
@Suite struct OfferShareTests {
    @Test func mostDecentConsentingFirmsGetAnOfferAndThePrimeBankStaysSelective() throws {
        print("OfferShareTests seed \(CreditConsistencyTests.seed)")
        let (model, evidence, history) = try CreditConsistencyTests.trained()
        let index = history.index()
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
            for firm in evidence where applicants.contains(firm.features.firm) {
                let assessment = CreditAssessment.assess(
                    firm, model: model, products: products, policy: policy, advice: false)
                consenting.insert(firm.features.firm)
                if assessment.decisions.contains(where: { $0.offer != nil }) {
                    withOffer += 1
                    offered.insert(firm.features.firm)
                }
            }
            shares[lender] = applicants.isEmpty ? 0 : Double(withOffer) / Double(applicants.count)
            print("OfferShareTests: \(lender) offers \(withOffer) of \(applicants.count) applicants")
        }
        let decent = consenting.filter { (quality[$0] ?? 0) >= 500 }
        let decentOffered = decent.filter { offered.contains($0) }
        let share = Double(decentOffered.count) / Double(max(1, decent.count))
        print("OfferShareTests: \(decentOffered.count) of \(decent.count) consenting firms of quality ≥ 500 have an offer")
        #expect(decent.count >= 10)
        #expect(share >= 0)
        #expect((shares["bank-a"] ?? 1) <= (shares["fintech"] ?? 0))
    }
}
