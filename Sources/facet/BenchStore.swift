import ArgumentParser
import FacetBench
import FacetCore

extension Bench {
    /// `facet bench store`: its options, checked, as a `BenchStoreRun` (FacetBench), which measures.
    struct Store: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store", abstract: "Time block commits against a store (a fresh one: it must be empty).")

        @Option(help: "sqlite:PATH or postgres://USER@HOST:PORT/DATABASE") var store: String
        @Option(help: "Blocks to commit.") var blocks = 20
        @Option(help: "Transactions per block.") var blockSize = 500
        @Option(help: "Seed of the simulated chain.") var seed: UInt64 = 1

        func run() async throws {
            var run = BenchStoreRun(store: store)
            run.blocks = blocks
            run.blockSize = blockSize
            run.seed = seed
            try await run.run()
        }
    }
}
