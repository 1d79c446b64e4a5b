import ArgumentParser
import FacetBench
import FacetSimulation
import FacetStore

extension Bench {
    /// Commit throughput of a store: blocks of a seeded simulation are generated first, then only the commits
    /// are timed, so the figure is the store's alone.
    struct Store: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store", abstract: "Time block commits against a store (a fresh one: it must be empty).")

        @Option(help: "sqlite:PATH or postgres://USER@HOST:PORT/DATABASE") var store: String
        @Option(help: "Blocks to commit.") var blocks = 20
        @Option(help: "Transactions per block.") var blockSize = 500
        @Option(help: "Seed of the simulated chain.") var seed: UInt64 = 1

        func run() async throws {
            let location = try StoreLocation(parsing: store)
            print("generating \(blocks) blocks of \(blockSize) transactions…")
            var chain = SimulatedChain(seed: seed, blockSize: blockSize)
            let commits = (0..<blocks).map { _ in
                let block = chain.next()
                return BlockCommit(
                    outcome: block.outcome, executedOn: block.stateBefore, header: block.header,
                    certificate: block.certificate, transactions: block.transactions)
            }
            try await location.withStore { store in
                try await store.migrate()
                let clock = ContinuousClock()
                var samples = [Duration]()
                for commit in commits {
                    let start = clock.now
                    try await store.commit(commit)
                    samples.append(clock.now - start)
                }
                let total = samples.reduce(Duration.zero, +)
                let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
                let sorted = samples.sorted()
                print("\(location): \(blocks) blocks of \(blockSize) transactions in \(format(seconds)) s")
                print("  \(Int(Double(blocks * blockSize) / seconds)) transactions/s committed")
                print("  median \(Percentile.of(sorted, 50)), worst \(Percentile.of(sorted, 100)) per block")
            }
        }

        private func format(_ value: Double) -> String { "\((value * 1000).rounded() / 1000)" }
    }
}
