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

    /// One test, so that rewriting the files happens before they are read.
    @Test func theCommittedGoldenBundleVerifiesAndIsWhatTheBuilderMakes() throws {
        let trail = ChainFixture.auditTrail()
        let built = (
            bundle: trail.chain.bundle(for: trail.invoice).jsonData(), genesis: try trail.chain.genesis.jsonData()
        )
        if ProcessInfo.processInfo.environment["FACET_WRITE_VECTORS"] == "1" {
            try built.bundle.write(to: ContractFiles.url(Self.bundlePath))
            try built.genesis.write(to: ContractFiles.url(Self.genesisPath))
        }
        let genesisFile = try ContractFiles.data(Self.genesisPath)
        let bundleFile = try ContractFiles.data(Self.bundlePath)
        let genesis = try Genesis(json: genesisFile)
        try genesis.validate()
        let bundle = try ProofBundle(json: bundleFile)
        let record = try bundle.verify(genesis: genesis).get()
        #expect(record.kind == "issue_invoice")
        #expect(record.height == 13)
        #expect(record.transactionID == trail.invoice)
        #expect(bundle.validatorChain.count == 1)
        #expect(
            built.bundle == bundleFile,
            "the builder's bundle differs from contracts/vectors/bundle.json; rerun with FACET_WRITE_VECTORS=1")
        #expect(built.genesis == genesisFile)
    }
}
