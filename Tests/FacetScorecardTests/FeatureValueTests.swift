import FacetScorecard
import Testing

@Suite struct FeatureValueTests {
    @Test func onlyANumberHasANumber() {
        #expect(FeatureValue.number(2.5).number == 2.5)
        #expect(FeatureValue.text("2.5").number == nil)
        #expect(FeatureValue.missing.number == nil)
    }
}
