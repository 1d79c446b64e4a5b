import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

extension StoreConformanceTests {
    @Test(arguments: Backend.selected)
    func rerunningMigrationsIsANoOp(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store, upTo: 2)
                let head = try await store.head()
                try await store.migrate()
                try await store.migrate()
                #expect(try await store.schemaVersion() == StoreMigration.latest)
                #expect(try await store.head() == head)
            }
            try await scratch.open { store in
                try await store.migrate()
                #expect(try await store.head()?.height == 2)
            }
        }
    }

    /// Closing and reopening (a node restart) changes no answer.
    @Test(arguments: Backend.selected)
    func aReopenedStoreGivesTheSameAnswers(backend: Backend) async throws {
        let piece = try #require(chain.pieces.first).id
        let transaction = chain.commits[10].transactions[3].id
        try await ScratchStore.with(backend) { scratch in
            let before = try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store)
                return try await Answers(store, chain: chain, piece: piece, transaction: transaction)
            }
            let after = try await scratch.open { store in
                try await store.migrate()
                return try await Answers(store, chain: chain, piece: piece, transaction: transaction)
            }
            #expect(after == before)
            #expect(after.head?.height == UInt64(chain.commits.count))
        }
    }

    @Test(arguments: Backend.selected)
    func aClosedStoreRefusesCalls(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await store.close()
                let error = await #expect(throws: StoreError.self) { _ = try await store.head() }
                #expect(error?.code == .closed)
                try await store.close()
            }
        }
    }

    @Test(arguments: Backend.selected)
    func anotherGenesisIsRefused(backend: Backend) async throws {
        let other = SimulatedChain(seed: 99, blockSize: 1).genesis
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store, upTo: 1)
                let error = await #expect(throws: StoreError.self) { _ = try await store.loadState(genesis: other) }
                #expect(error?.code == .wrongChain)
            }
        }
    }

    /// Readers running while blocks are committed always see a whole block: the head they read has its block,
    /// and the state they load matches its header.
    @Test(arguments: Backend.selected)
    func readsDuringCommitsSeeWholeBlocks(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await chain.commitAll(to: store) }
                    for _ in 0..<2 {
                        group.addTask {
                            var last: UInt64 = 0
                            while last < UInt64(chain.commits.count) {
                                let loaded = try await store.loadState(genesis: chain.genesis)
                                let height = loaded.state.height
                                #expect(height >= last)
                                if height > 0 {
                                    let header = chain.blocks[Int(height) - 1].header
                                    #expect(loaded.state.stateRoot == header.stateRoot)
                                    #expect(try await store.block(at: height)?.header == header)
                                }
                                last = height
                                try await Task.sleep(for: .milliseconds(5))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}

/// A sample of a store's answers, compared before and after a restart.
struct Answers: Equatable {
    let head: StoreHead?
    let stateRoot: Hash256
    let headBlockID: Hash256
    let middle: StoredBlock?
    let latest: StoredBlock?
    let transaction: StoredTransaction?
    let history: [HistoryEntry]
    let node: Hash256?

    init(_ store: any LedgerStore, chain: TestChain, piece: Hash256, transaction: TransactionID) async throws {
        head = try await store.head()
        let loaded = try await store.loadState(genesis: chain.genesis)
        stateRoot = loaded.state.stateRoot
        headBlockID = loaded.headBlockID
        middle = try await store.block(at: UInt64(chain.commits.count / 2))
        latest = try await store.latestBlock()
        self.transaction = try await store.transaction(transaction)
        history = try await store.history(subject: piece, from: nil, to: nil, limit: 100)
        node = try await store.logNode(level: 2, index: 1)
    }
}
