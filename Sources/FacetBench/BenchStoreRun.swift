import FacetSimulation
import FacetStore

/// Commit throughput of a store: blocks of a seeded simulation are generated first, then only the commits
/// are timed, so the figure is the store's alone.
package struct BenchStoreRun: Sendable {
    package var store: String
    package var blocks: Int = 20
    package var blockSize: Int = 500
    package var seed: UInt64 = 1

    package init(store: String) { self.store = store }

    package func run() async throws {
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
