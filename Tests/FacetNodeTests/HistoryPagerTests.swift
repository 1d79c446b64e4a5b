@testable import FacetAPI
import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport
import Testing

@testable import FacetNode

/// Paging a subject's history by block time gives what one large read gives, and stops (flagged) at its bound or
/// when a page cannot move past a block time.
@Suite struct HistoryPagerTests {
    @Test func pagesMatchOneReadAndStopAtTheBound() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let card = IdentityCard(category: .gold, weight: 2, fineness: 999)
            for _ in 0..<7 {
                _ = try await node.submit([f.sign("firmA", .registerPiece(.init(card: card, certificate: nil)))])
                try await node.commitBlock()
            }
            let firm = f.id("firmA").hash
            let all = try await node.store.history(subject: firm, from: nil, to: nil, limit: 100)
            #expect(all.count == 7)
            let paged = try await HistoryPager(store: node.store, pageSize: 2).entries(
                subject: firm, from: nil, to: nil)
            #expect(paged.entries == all && !paged.truncated)
            let bounded = try await HistoryPager(store: node.store, pageSize: 2, maxEntries: 5)
                .entries(subject: firm, from: nil, to: nil)
            #expect(bounded.entries == Array(all.prefix(5)) && bounded.truncated)
            let kinds = try await HistoryPager(store: node.store, pageSize: 3)
                .entries(subject: firm, from: all[2].time, to: all[5].time, kinds: [10])
            #expect(kinds.entries == Array(all[2..<5]) && !kinds.truncated)
        }
    }

    @Test func moreThanAPageAtOneBlockTimeIsFlaggedNotLooped() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let card = IdentityCard(category: .gold, weight: 2, fineness: 999)
            let time = node.clock.now()
            for _ in 0..<3 {
                _ = try await node.submit([f.sign("firmB", .registerPiece(.init(card: card, certificate: nil)))])
                _ = try await node.node.produceBlock(time: time, maxTransactions: 10, maxBytes: 1 << 20)
            }
            let page = try await HistoryPager(store: node.store, pageSize: 2)
                .entries(subject: f.id("firmB").hash, from: nil, to: nil)
            #expect(page.entries.count == 2 && page.truncated)
        }
    }
}
