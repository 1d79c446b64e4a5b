import ArgumentParser
import FacetCore
import FacetLedger
import FacetSimulation
import FacetStore
import Foundation

/// `facet-soak`: the crash-test driver the storage tests launch, a test-only executable (it was `facet store soak`,
/// and left the `facet` binary with the test support it needs).
@main
enum Store {
    static func main() async { await Soak.main() }

    /// Commits the blocks of a seeded simulation to a store, printing `committed HEIGHT` after each commit
    /// returns (unbuffered), so a test that kills it at any moment knows which heights must have survived.
    /// Run again on the same store, it regenerates the same chain, checks the stored head against it, and goes
    /// on from there.
    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "facet-soak", abstract: "Commit a seeded simulated chain to a store (crash testing).")

        @Option(help: "sqlite:PATH or postgres://USER@HOST:PORT/DATABASE") var store: String
        @Option(help: "Seed of the simulated chain.") var seed: UInt64 = 1
        @Option(help: "Height to stop at.") var blocks: UInt64 = 100
        @Option(help: "Transactions per block.") var blockSize = 20

        func run() async throws {
            let location = try StoreLocation(parsing: store)
            var chain = SimulatedChain(seed: seed, blockSize: blockSize)
            try await location.withStore { store in
                try await store.migrate()
                let loaded = try await store.loadState(genesis: chain.genesis)
                chain.advance(to: loaded.state.height)
                guard chain.state.stateRoot == loaded.state.stateRoot, chain.lastBlockID == loaded.headBlockID else {
                    throw ValidationError("the store at height \(loaded.state.height) is not seed \(seed)'s chain")
                }
                Self.say("resumed \(chain.height)")
                while chain.height < blocks {
                    let block = chain.next()
                    try await store.commit(
                        BlockCommit(
                            outcome: block.outcome, executedOn: block.stateBefore, header: block.header,
                            certificate: block.certificate, transactions: block.transactions))
                    Self.say("committed \(block.header.height)")
                }
            }
        }

        /// Straight to the file descriptor: a line printed is a line the test sees, even after SIGKILL.
        static func say(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
