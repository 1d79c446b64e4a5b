import ArgumentParser
import FacetBench
import FacetCore

extension Bench {
    /// `facet bench node`: its options, checked, as a `BenchNodeRun` (FacetBench), which measures.
    struct Node: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node",
            abstract: "Committed tx/s and submit-to-commit latency of one node for a stream of signed invoices.")

        @Option(help: "sqlite:PATH or postgres://USER@HOST:PORT/DATABASE (a fresh, empty store).") var store: String
        @Option(help: "Invoices to submit.") var transactions = 20_000
        @Option(help: "Block interval in milliseconds.") var blockMillis = 100
        @Option(help: "Most transactions per block.") var maxBlock = 5_000

        func run() async throws {
            var run = BenchNodeRun(store: store)
            run.transactions = transactions
            run.blockMillis = blockMillis
            run.maxBlock = maxBlock
            try await run.run()
        }
    }
}
