import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport

/// A simulated chain and its commits, generated once and shared by the conformance tests (read-only).
struct TestChain: Sendable {
    let genesis: Genesis
    let blocks: [SimulatedBlock]
    let commits: [BlockCommit]
    let finalState: WorldState

    static let standard = TestChain(seed: 7, height: 24, blockSize: 16)

    init(seed: UInt64, height: Int, blockSize: Int) {
        var chain = SimulatedChain(seed: seed, blockSize: blockSize)
        var blocks = [SimulatedBlock]()
        for _ in 0..<height { blocks.append(chain.next()) }
        genesis = chain.genesis
        self.blocks = blocks
        commits = blocks.map { block in
            BlockCommit(
                outcome: block.outcome, executedOn: block.stateBefore, header: block.header,
                certificate: block.certificate, transactions: block.transactions)
        }
        finalState = chain.state
    }

    /// Every (height, position) whose index entries name `subject`, in commit order.
    func expectedHistory(of subject: Hash256) -> [(height: UInt64, index: Int, time: Timestamp)] {
        commits.flatMap { commit in
            commit.index.filter { $0.subject == subject }.map {
                (height: commit.height, index: $0.position, time: commit.header.time)
            }
        }
    }

    /// The pieces registered on this chain, with how many history entries each has.
    var pieces: [(id: Hash256, entries: Int)] {
        let registered = blocks.flatMap { block in
            zip(block.transactions, block.outcome.results).compactMap { transaction, result -> Hash256? in
                guard result.accepted, case .registerPiece = transaction.body else { return nil }
                return transaction.id.hash
            }
        }
        return registered.map { (id: $0, entries: expectedHistory(of: $0).count) }
    }

    func commitAll(to store: any LedgerStore, upTo height: Int? = nil) async throws {
        for commit in commits.prefix(height ?? commits.count) { try await store.commit(commit) }
    }
}
