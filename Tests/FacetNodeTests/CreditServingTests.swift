import FacetConsensus
import FacetCore
import FacetCredit
import FacetLedger
import FacetNode
import FacetStore
import FacetTestSupport
import Testing

/// Credit serving answers a whole applicants list from one height, outside the ledger actor: blocks committing while
/// lists are built never give a list whose rows are of different heights, and every list is the one built at its
/// height with nothing committing.
@Suite struct CreditServingTests {
    /// What an applicants list says, comparable: its height and each firm's evidence and earlier features.
    struct Summary: Equatable, Sendable {
        var height: UInt64
        var rows: [Row]

        struct Row: Equatable, Sendable {
            var firm: MemberID
            var evidence: CreditEvidence
            var earlier: FirmFeatures?
        }

        init(_ applicants: CreditServing.Applicants) {
            height = applicants.height
            rows = applicants.firms.map { Row(firm: $0.firm.id, evidence: $0.evidence, earlier: $0.earlier) }
        }
    }

    @Test func anApplicantsListIsOfOneHeightWhileBlocksCommit() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            let lender = try #require(await node.node.record(Member.self, f.id("lender").hash))
            let blocks = try await node.node.certifiedBlocks(from: 1, limit: 1_000)
            let final = try #require(blocks.last?.block.header.height)
            let now = node.clock.now()
            let trendDays = 90

            // The oracle: each height's list, built after that block with nothing committing.
            var expected = [UInt64: Summary]()
            // Before the block registering the model, lists are refused (`credit.no_model`).
            try await Self.follow(f, blocks) { credit in
                if let list = try? credit.applicants(of: lender, now: now, trendDays: trendDays) {
                    expected[list.height] = Summary(list)
                }
            }
            #expect(expected[final]?.rows.isEmpty == false, "the scenario's firm applies to the lender")

            // The same blocks committed by one task while another builds lists as fast as it can.
            var seen = [Summary]()
            try await Self.follow(f, blocks) { _ in } concurrently: { credit in
                var lists = [Summary]()
                while true {
                    if let list = try? credit.applicants(of: lender, now: now, trendDays: trendDays) {
                        lists.append(Summary(list))
                        if list.height == final { return lists }
                    } else if credit.progress() == (final, final) {
                        // Refused at the last height: the oracle's list for it is then missing below.
                        return lists
                    }
                    await Task.yield()
                }
            } collect: { seen = $0 }
            #expect(seen.last?.height == final, "the last list is of the last block")
            // The first list with a row of another height, or unlike the oracle's at its height (by height, to keep
            // a failure's message short).
            let wrong = seen.first { list in
                list.rows.contains { $0.evidence.features.height != list.height } || list != expected[list.height]
            }
            let wrongHeight = wrong?.height
            let why =
                "the list at height \(wrongHeight ?? 0) has rows of heights "
                + "\(wrong?.rows.map(\.evidence.features.height) ?? []) or differs from the one built at its height "
                + "with nothing committing"
            #expect(wrongHeight == nil, Comment(rawValue: why))
        }
    }

    /// A read computes outside the lock commits take: from inside its body, the lock is free (a commit would not wait
    /// for the page), and the view stays at the height it was taken at.
    @Test func aReadDoesNotHoldTheLockWhileItComputes() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let blocks = try await node.node.certifiedBlocks(from: 1, limit: 1_000)
            let final = try #require(blocks.last?.block.header.height)
            var checked = false
            try await Self.follow(scenario.fixture, blocks) { credit in
                let (viewHeight, progress) = try credit.read { view in (view.height, credit.progress()) }
                #expect(viewHeight == progress.height && progress.height == progress.head)
                checked = checked || viewHeight == final
            }
            #expect(checked, "a read at the last height ran")
        }
    }

    /// Commits `blocks` to a fresh node with credit serving attached, calling `afterEach` after every block; with
    /// `concurrently`, that runs beside the commits and its result goes to `collect`.
    static func follow(
        _ fixture: LedgerFixture, _ blocks: [CertifiedBlock],
        afterEach: (CreditServing) throws -> Void,
        concurrently: (@Sendable (CreditServing) async -> [Summary])? = nil,
        collect: ([Summary]) -> Void = { _ in }
    ) async throws {
        let path = APITestNode.temporaryPath()
        defer { APITestNode.removeStore(at: path) }
        let store = try await SQLiteLedgerStore.open(path: path)
        let other = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: fixture.actor("v1").key,
            mempool: Mempool.Bounds(maxCount: 100, maxBytes: 1 << 20), logger: APITestNode.logger)
        let credit = CreditServing(library: try APICreditTests.library(), genesis: fixture.genesis)
        await credit.attach(to: other)
        if let concurrently {
            async let lists = concurrently(credit)
            for block in blocks {
                _ = try await other.applyCertified(block.block, certificate: block.certificate)
                await Task.yield()
            }
            collect(await lists)
        } else {
            for block in blocks {
                _ = try await other.applyCertified(block.block, certificate: block.certificate)
                try afterEach(credit)
            }
        }
        try await store.close()
    }
}
