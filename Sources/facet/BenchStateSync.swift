import ArgumentParser
import FacetBench
import FacetConsensus
import FacetCore

extension Bench {
    /// `facet bench state-sync`: its options, checked, as a `BenchStateSyncRun` (FacetBench), which measures.
    struct StateSync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state-sync", abstract: "Time joining by state sync against replaying every block.")

        @Option(help: "Blocks of the generated ledger.") var blocks = 200
        @Option(help: "Transactions per block.") var blockSize = 100
        @Option(help: "Seed of the simulated chain.") var seed: UInt64 = 1
        @Option(help: "Chunk size of the snapshot, bytes.") var chunkBytes: Int = SnapshotManifest.maxChunkBytes

        func validate() throws {
            guard blocks >= 1 else { throw ValidationError("--blocks must be at least 1") }
        }

        func run() async throws {
            var run = BenchStateSyncRun()
            run.blocks = blocks
            run.blockSize = blockSize
            run.seed = seed
            run.chunkBytes = chunkBytes
            try await run.run()
        }
    }
}
