import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// The golden bundle in `contracts/vectors/` (which `verify_bundle.py` also checks) verifies, and is exactly what
/// the builder makes today. Run with `FACET_WRITE_VECTORS=1` to rewrite it after a deliberate format change.
@Suite struct GoldenBundleTests {
    static let bundlePath = "vectors/bundle.json"
    static let genesisPath = "vectors/bundle-genesis.json"

    static func build() throws -> (bundle: Data, genesis: Data) {
        let trail = ChainFixture.auditTrail()
        return (trail.chain.bundle(for: trail.invoice).jsonData(), try trail.chain.genesis.jsonData())
    }

    @Test func theCommittedGoldenBundleVerifies() throws {
        if ProcessInfo.processInfo.environment["FACET_WRITE_VECTORS"] == "1" {
            let built = try Self.build()
            try built.bundle.write(to: ContractFiles.url(Self.bundlePath))
            try built.genesis.write(to: ContractFiles.url(Self.genesisPath))
        }
        let genesis = try Genesis(json: ContractFiles.data(Self.genesisPath))
        try genesis.validate()
        let bundle = try ProofBundle(json: ContractFiles.data(Self.bundlePath))
        let record = try bundle.verify(genesis: genesis).get()
        #expect(record.kind == "issue_invoice")
        #expect(record.height == 13)
        #expect(bundle.validatorChain.count == 1)
    }

    @Test func theBuilderStillMakesTheGoldenBundle() throws {
        let built = try Self.build()
        #expect(
            built.bundle == (try ContractFiles.data(Self.bundlePath)),
            "the builder's bundle differs from contracts/vectors/bundle.json; rerun with FACET_WRITE_VECTORS=1")
        #expect(built.genesis == (try ContractFiles.data(Self.genesisPath)))
    }
}
