import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

extension StoreConformanceTests {
    /// A commit that does not extend the head is refused and writes nothing; the right one is then accepted.
    @Test(arguments: Backend.selected)
    func refusedCommitsChangeNothing(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await expectRefused(store, chain.commits[1], "block 2 on an empty store")
                try await chain.commitAll(to: store, upTo: 3)
                let head = try await store.head()
                let root = try await store.loadState(genesis: chain.genesis).state.stateRoot

                try await expectRefused(store, chain.commits[4], "a height skipped")
                try await expectRefused(store, chain.commits[2], "a height repeated")
                try await expectRefused(store, chain.commits[0], "a height far behind")
                try await expectRefused(store, Self.relinked(chain.commits[3], to: .zero), "a wrong previous block")
                try await expectRefused(
                    store, Self.relinked(chain.commits[3], to: chain.blocks[1].header.id), "an older previous block")

                #expect(try await store.head() == head)
                #expect(try await store.loadState(genesis: chain.genesis).state.stateRoot == root)
                #expect(try await store.block(at: 4) == nil)
                #expect(try await store.transaction(chain.commits[3].transactions[0].id) == nil)
                try await store.commit(chain.commits[3])
                #expect(try await store.head()?.height == 4)
            }
        }
    }

    /// A commit that fails half-way (here: its last table refuses a duplicate row) leaves no trace in the
    /// tables written before: the block, its transactions, records and log nodes are all rolled back.
    @Test(arguments: Backend.selected)
    func aCommitFailingHalfWayWritesNothing(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store, upTo: 5)
                let head = try await store.head()
                let good = chain.commits[5]
                let entry = try #require(good.index.first)
                let broken = BlockCommit(
                    header: good.header, certificate: good.certificate, transactions: good.transactions,
                    results: good.results, changes: good.changes, logNodes: good.logNodes, index: good.index + [entry],
                    validatorChange: good.validatorChange)
                let error = await #expect(throws: StoreError.self) { try await store.commit(broken) }
                #expect(error?.code == .statementFailed)

                #expect(try await store.head() == head)
                #expect(try await store.block(at: 6) == nil)
                #expect(try await store.transaction(good.transactions[0].id) == nil)
                if let leaf = good.logNodes.first {
                    #expect(try await store.logNode(level: leaf.level, index: leaf.index) == nil)
                }
                let loaded = try await store.loadState(genesis: chain.genesis)
                #expect(loaded.state.stateRoot == chain.blocks[4].header.stateRoot)
                try await store.commit(good)
                #expect(try await store.head()?.height == 6)
            }
        }
    }

    private func expectRefused(_ store: any LedgerStore, _ commit: BlockCommit, _ what: Comment) async throws {
        let error = await #expect(throws: StoreError.self, what) { try await store.commit(commit) }
        #expect(error?.code == .heightMismatch, what)
    }

    /// The same block claiming another previous block (with a certificate for the new header).
    static func relinked(_ commit: BlockCommit, to previous: Hash256) -> BlockCommit {
        var header = commit.header
        header.previousBlockID = previous
        let certificate = CommitCertificate(height: header.height, round: 0, blockID: header.id, signatures: [])
        return BlockCommit(
            header: header, certificate: certificate, transactions: commit.transactions, results: commit.results,
            changes: commit.changes, logNodes: commit.logNodes, index: commit.index)
    }
}
