import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

/// The behaviour every `LedgerStore` backend must share, run against each of them on a fresh store.
@Suite struct StoreConformanceTests {
    let chain = TestChain.standard

    @Test(arguments: Backend.selected)
    func emptyStoreAnswersWithGenesis(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                #expect(try await store.schemaVersion() == 0)
                try await store.migrate()
                #expect(try await store.schemaVersion() == StoreMigration.latest)
                #expect(try await store.head() == nil)
                #expect(try await store.latestBlock() == nil)
                #expect(try await store.block(at: 1) == nil)
                #expect(try await store.transaction(chain.commits[0].transactions[0].id) == nil)
                #expect(try await store.logNode(level: 0, index: 0) == nil)
                let member = chain.genesis.members[0].id.hash
                #expect(try await store.history(subject: member, from: nil, to: nil, limit: 10).isEmpty)
                let loaded = try await store.loadState(genesis: chain.genesis)
                let genesisState = try WorldState(genesis: chain.genesis)
                #expect(loaded.state.stateRoot == genesisState.stateRoot)
                #expect(loaded.state.height == 0)
                #expect(loaded.headBlockID == chain.genesis.hash)
            }
        }
    }

    @Test(arguments: Backend.selected)
    func committedChainReadsBack(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store)
                try await expectHeadAndState(store)
                try await expectBlocksAndTransactions(store)
                try await expectLogNodesAndProofs(store)
            }
        }
    }

    private func expectHeadAndState(_ store: any LedgerStore) async throws {
        let last = try #require(chain.blocks.last).header
        let head = try #require(try await store.head())
        #expect(
            head
                == StoreHead(
                    height: last.height, blockID: last.id, stateRoot: last.stateRoot, time: last.time,
                    logSize: last.logSize, logRoot: last.logRoot))
        let loaded = try await store.loadState(genesis: chain.genesis)
        #expect(loaded.headBlockID == last.id)
        #expect(loaded.state.stateRoot == chain.finalState.stateRoot)
        #expect(loaded.state.records == chain.finalState.records)
        #expect(loaded.state.height == chain.finalState.height)
        #expect(loaded.state.time == chain.finalState.time)
        #expect(loaded.state.log == chain.finalState.log)
    }

    private func expectBlocksAndTransactions(_ store: any LedgerStore) async throws {
        var logIndex: UInt64 = 0
        for block in chain.blocks {
            let stored = try #require(try await store.block(at: block.header.height))
            #expect(stored.header == block.header)
            #expect(stored.certificate == block.certificate)
            #expect(stored.transactions == block.transactions)
            #expect(stored.results == block.outcome.results)
            for (position, transaction) in block.transactions.enumerated() {
                let result = block.outcome.results[position]
                let found = try #require(try await store.transaction(transaction.id))
                #expect(found.bytes == transaction.canonicalBytes)
                #expect(found.height == block.header.height && found.index == position)
                #expect(found.result == result)
                #expect(found.logIndex == (result.accepted ? logIndex : nil))
                #expect(try found.decoded() == transaction)
                if result.accepted { logIndex += 1 }
            }
        }
        #expect(try await store.latestBlock()?.header == chain.blocks.last?.header)
        #expect(try await store.block(at: UInt64(chain.blocks.count) + 1) == nil)
    }

    /// Every perfect node of the log is stored, and proofs from stored nodes equal proofs from memory.
    private func expectLogNodesAndProofs(_ store: any LedgerStore) async throws {
        var log = MerkleLog()
        var nodes = [MerkleNode]()
        for block in chain.blocks {
            for (transaction, result) in zip(block.transactions, block.outcome.results) where result.accepted {
                nodes += log.append(leafHash: MerkleTree.leafHash(transaction.canonicalBytes))
            }
        }
        #expect(log.size > 20, "the chain should accept enough transactions to exercise several levels")
        #expect(nodes == chain.commits.flatMap(\.logNodes))
        for node in nodes {
            #expect(try await store.logNode(level: node.level, index: node.index) == node.hash)
        }
        #expect(try await store.logNode(level: 0, index: log.size) == nil)
        #expect(try await store.logRoot(size: log.size) == log.root)
        for size in [1, log.size / 2, log.size - 1, log.size] where size > 0 {
            #expect(try await store.logRoot(size: size) == log.root(size: size))
            for index in [0, size / 3, size - 1] {
                #expect(
                    try await store.inclusionProof(index: index, size: size)
                        == log.inclusionProof(index: index, size: size))
            }
            #expect(
                try await store.consistencyProof(oldSize: size, newSize: log.size)
                    == log.consistencyProof(oldSize: size, newSize: log.size))
        }
        let beyond = await #expect(throws: StoreError.self) {
            _ = try await store.inclusionProof(index: 0, size: log.size + 1)
        }
        #expect(beyond?.code == .invalidRequest)
    }
}
