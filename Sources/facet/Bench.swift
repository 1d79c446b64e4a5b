import ArgumentParser
import FacetBench

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Facet on this machine (run with `swift run -c release`).",
        subcommands: [
            StateRoot.self, Store.self, Node.self, Consensus.self, Ledger.self, Credit.self, Verify.self, Memory.self,
            StateSync.self,
        ]
    )

    /// `facet bench state-root`: its options, checked, as a `BenchStateRootRun` (FacetBench), which measures.
    struct StateRoot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state-root", abstract: "Time a block's state-root update against states of several sizes.")

        @Option(parsing: .upToNextOption, help: "State sizes (entries).") var entries: [Int] = [10_000, 1_000_000]
        @Option(help: "Changed keys per block (half updates, half inserts).") var changes = 100
        @Option(help: "Blocks timed per size; the median is reported.") var repetitions = 50
        @Option(help: "Seed of the random keys.") var seed: UInt64 = 1

        func run() throws {
            var run = BenchStateRootRun()
            run.entries = entries
            run.changes = changes
            run.repetitions = repetitions
            run.seed = seed
            try run.run()
        }
    }
}
