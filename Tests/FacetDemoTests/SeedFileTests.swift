import FacetCore
import FacetDemo
import FacetLedger
import Foundation
import Testing

@Suite struct SeedFileTests {
    @Test func theSeedFilesDecodeIntoTheDemoConsortium() throws {
        let seed = try ConsortiumSeed.decode(DemoHistory.seedFile("consortium.json"))
        let settings = try GeneratorSettings.decode(DemoHistory.seedFile("settings.json"))
        #expect(settings.months == 24)
        #expect(settings.firms == 330)
        let consortium = try DemoConsortium(seed: seed, settings: settings)
        #expect(consortium.genesis.validatorSet.count == 4)
        #expect(consortium.founders(with: .lender).count == 3)
        #expect(consortium.founders(with: .guarantor).count == 1)
        #expect(consortium.founders(with: .bank).count == 2)
        #expect(consortium.founders(with: .warehouse).count == 2)
        #expect(seed.lenders.map(\.riskAppetite).sorted() == ["high", "low", "medium"])
        #expect(seed.clusters.map(\.name) == ["Panyu", "Shuibei", "Pingzhou", "Donghai"])
        #expect(consortium.genesis.time.rfc3339 == "2024-01-01T00:00:00Z")
        _ = try WorldState(genesis: consortium.genesis)
    }

    @Test func anUnknownFieldIsRefusedWithItsPath() throws {
        var text = try #require(String(data: DemoHistory.seedFile("consortium.json"), encoding: .utf8))
        text = text.replacingOccurrences(
            of: "\"riskAppetite\": \"low\"", with: "\"riskApetite\": \"low\", \"riskAppetite\": \"low\"")
        let error = #expect(throws: DemoError.self) { try ConsortiumSeed.decode(Data(text.utf8)) }
        #expect(error?.code == .malformed)
        #expect(error?.reason.contains("lenders[0].riskApetite") == true)
    }

    @Test func aMissingFieldAndABadValueAreRefused() throws {
        let missing = #expect(throws: DemoError.self) {
            try GeneratorSettings.decode(Data(#"{"months": 3, "firms": 2, "seed": 1}"#.utf8))
        }
        #expect(missing?.code == .malformed)
        #expect(missing?.reason.contains("missing field") == true)
        let bad =
            #"{"start": "2024-01-01T00:00:00Z", "months": 0, "firms": 2, "defaultRatePermille": 70, "fraudSharePermille": 0, "seed": 1}"#
        let invalid = #expect(throws: DemoError.self) { try GeneratorSettings.decode(Data(bad.utf8)) }
        #expect(invalid?.code == .invalid)
        #expect(invalid?.reason.contains("months") == true)
    }

    @Test func clusterSharesMustAddUp() throws {
        var seed = try ConsortiumSeed.decode(DemoHistory.seedFile("consortium.json"))
        seed.clusters[0].firmSharePermille += 1
        let error = #expect(throws: DemoError.self) { try seed.validate() }
        #expect(error?.code == .invalid)
    }

    @Test func demoKeysFollowTheSeedAndTheName() {
        let key = DemoKeys.key(seed: 7, name: "Lingnan Diamond Exchange (demo)")
        #expect(key.publicKey == DemoKeys.key(seed: 7, name: "Lingnan Diamond Exchange (demo)").publicKey)
        #expect(key.publicKey != DemoKeys.key(seed: 8, name: "Lingnan Diamond Exchange (demo)").publicKey)
        #expect(key.publicKey != DemoKeys.key(seed: 7, name: "Nanhai Gems and Jade Exchange (demo)").publicKey)
    }
}
