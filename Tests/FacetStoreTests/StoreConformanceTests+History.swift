import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

extension StoreConformanceTests {
    /// A piece's history is every transaction that touched it, in commit order, and time windows are
    /// half-open: `from` included, `to` excluded.
    @Test(arguments: Backend.selected)
    func historyFindsAPiecesTransactionsInOrder(backend: Backend) async throws {
        let piece = try #require(chain.pieces.max { $0.entries < $1.entries })
        #expect(piece.entries >= 3, "the chain should touch some piece several times")
        let expected = chain.expectedHistory(of: piece.id)
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store)
                let history = try await store.history(subject: piece.id, from: nil, to: nil, limit: 1_000)
                #expect(
                    history.map { [$0.height, UInt64($0.index)] } == expected.map { [$0.height, UInt64($0.index)] })
                #expect(history.first?.kindName == "register_piece")
                #expect(history.first?.transactionID.hash == piece.id)
                #expect(history.allSatisfy { $0.accepted }, "a refused transaction never touches a piece")
                for entry in history {
                    let block = try #require(chain.blocks.first { $0.header.height == entry.height })
                    #expect(entry.time == block.header.time)
                    #expect(entry.transactionID == block.transactions[entry.index].id)
                    #expect(entry.kind == block.transactions[entry.index].body.tag)
                }

                let from = expected[1].time
                let to = try #require(expected.last).time
                let window = try await store.history(subject: piece.id, from: from, to: to, limit: 1_000)
                let inWindow = expected.filter { $0.time >= from && $0.time < to }
                #expect(window.map(\.height) == inWindow.map(\.height))
                #expect(window.allSatisfy { $0.time >= from && $0.time < to })
                let first = try await store.history(subject: piece.id, from: nil, to: nil, limit: 1)
                #expect(first == Array(history.prefix(1)))
            }
        }
    }

    /// A member's history includes refusals of its own transactions, and a page is cut at `limit`.
    @Test(arguments: Backend.selected)
    func historyOfAMemberIsOrderedAndLimited(backend: Backend) async throws {
        let firm = chain.genesis.members.first { $0.name == "firmA" }!.id.hash
        let expected = chain.expectedHistory(of: firm)
        #expect(expected.count > 20)
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store)
                let all = try await store.history(subject: firm, from: nil, to: nil, limit: StoreLimits.maxHistoryPage)
                #expect(all.map { [$0.height, UInt64($0.index)] } == expected.map { [$0.height, UInt64($0.index)] })
                #expect(all.contains { !$0.accepted }, "firmA's own refusals are in its history")
                let page = try await store.history(subject: firm, from: nil, to: nil, limit: 5)
                #expect(page == Array(all.prefix(5)))
                for limit in [0, StoreLimits.maxHistoryPage + 1] {
                    let error = await #expect(throws: StoreError.self) {
                        _ = try await store.history(subject: firm, from: nil, to: nil, limit: limit)
                    }
                    #expect(error?.code == .invalidRequest)
                }
            }
        }
    }
}
