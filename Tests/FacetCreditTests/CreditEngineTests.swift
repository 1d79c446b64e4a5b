import FacetCredit
import Testing

@Suite struct CreditEngineTests {
    @Test func theFeatureDefinitionsHaveAVersion() {
        #expect(CreditEngine.featureVersion >= 1)
    }
}
