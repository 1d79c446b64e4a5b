import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// State sync over real TCP between real nodes: three validators of four commit; the fourth, with an empty SQLite
/// store, state-syncs from their snapshot, is cancelled mid-download, reopens its store and resumes from the chunks it
/// staged, and then runs consensus from the snapshot's height: it block-syncs and follows new blocks.
@Suite struct StateSyncNetworkTests {
    @Test(.timeLimit(.minutes(5)))
    func aFreshValidatorStateSyncsResumesAfterACancelAndFollowsNewBlocks() async throws {
        let fixture = LedgerFixture(seed: 41)
        let paths = (0..<4).map { _ in APITestNode.temporaryPath() }
        let staging = SnapshotStaging(folder: URL(fileURLWithPath: paths[3] + ".state-sync"))
        defer { staging.remove() }
        var settings = networkSettings
        // Small chunks, so the genesis consortium's rows span several; one snapshot for the whole test.
        settings.snapshotChunkBytes = 1024
        settings.snapshotInterval = 1_000_000
        try await withNetwork(paths) { validators in
            for (name, path) in zip(["v1", "v2", "v3"], paths) {
                validators.append(
                    try await NetworkValidator.start(name, fixture: fixture, path: path, settings: settings))
            }
            connect(validators.map(\.transport))
            try await waitForHeight(2, validators)
            // Rows beyond the genesis: pieces registered, so the synced state is not the genesis state.
            var signer = fixture
            let pieces = (1...6).map { weight in
                signer.sign(
                    "firmA",
                    .registerPiece(
                        .init(card: IdentityCard(category: .gold, weight: weight, fineness: 999), certificate: nil)))
            }
            for piece in pieces { _ = try await validators[0].node.submit(piece.canonicalBytes) }
            try await waitUntil("the pieces are committed") {
                let size = await validators[0].node.state.log.size
                return await validators[0].node.mempoolCount == 0 && size >= 6
            }
            try await waitForHeight(await validators[0].height + 1, validators)
            let grown = await validators[0].node.state.stateRoot
            #expect(grown != (try WorldState(genesis: fixture.genesis)).stateRoot)

            // The joiner: a transport open to the genesis validators (a new one per run, as a restarted process has),
            // and an empty store.
            let key = fixture.actor("v4").key
            let logger = NetworkValidator.logger("v4")
            func joinerTransport() async throws -> PeerTransport {
                let transport = PeerTransport(
                    member: MemberID(initialKey: key.publicKey), key: key, chainID: fixture.genesis.params.chainID,
                    config: peerConfig(port: 0), allowed: allowList(fixture), logger: logger)
                try await transport.start()
                connect(validators.map(\.transport) + [transport])
                return transport
            }
            var transport = try await joinerTransport()
            let trust = StateSync.trust(genesis: fixture.genesis, trustedBlock: nil)
            let machineSettings = StateSyncMachine.Settings(
                discoveryWindow: .milliseconds(300), requestTimeout: .seconds(5), penalty: .seconds(1))

            // First run: cancelled from inside once two chunks are staged, as a kill would stop it.
            var store: any LedgerStore = try await SQLiteLedgerStore.open(path: paths[3], logger: logger)
            try await store.migrate()
            let first = StateSync(
                genesis: fixture.genesis, store: store, staging: staging, trust: trust, settings: machineSettings,
                logger: logger
            ) { staged, _ in
                if staged >= 2 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            let cancelled = await Task { [transport] in try await first.run(over: transport) }.result
            #expect(throws: CancellationError.self) { try cancelled.get() }
            let partial = try #require(staging.load(), "the download is staged")
            let total = partial.manifest.chunkHashes.count
            #expect(partial.have.count >= 2 && partial.have.count < total, "\(partial.have.count) of \(total) staged")
            #expect(try await store.head() == nil, "nothing is applied before every chunk verified")
            try await store.close()
            await transport.stop()
            transport = try await joinerTransport()

            // The restart: the store reopened, the download resumed from what was staged.
            store = try await SQLiteLedgerStore.open(path: paths[3], logger: logger)
            try await store.migrate()
            let second = StateSync(
                genesis: fixture.genesis, store: store, staging: staging, trust: trust, settings: machineSettings,
                logger: logger)
            let report = try await second.run(over: transport)
            #expect(report.manifest.hash == partial.manifest.hash)
            #expect(report.resumedChunks == partial.have.count)
            #expect(report.fetchedChunks == total - partial.have.count, "only the missing chunks are fetched")
            #expect(staging.load() == nil, "the staging folder is removed once the state is in the store")

            // The store holds the source's block H with its state root and log root.
            let height = report.manifest.height
            let head = try #require(try await store.head())
            let source = try #require(try await validators[0].store.block(at: height))
            #expect(head.height == height && head.blockID == source.header.id)
            #expect(head.stateRoot == source.header.stateRoot && head.logRoot == source.header.logRoot)
            #expect(try await store.syncBase() == height)
            #expect(try await store.block(at: height) == nil, "no block at or below the sync base is served")
            await transport.stop()
            try await store.close()

            // The joiner starts as a validator on the synced store, block-syncs from H + 1 and follows new blocks.
            let joined = try await NetworkValidator.start("v4", fixture: fixture, path: paths[3], settings: settings)
            validators.append(joined)
            connect(validators.map(\.transport))
            let target = await ConsensusNetworkTests.maxHeight(validators) + 3
            try await waitForHeight(target, validators, within: .seconds(120))
            for check in stride(from: height + 1, through: target, by: 1) {
                let theirs = try #require(try await validators[0].store.block(at: check))
                let ours = try #require(try await joined.store.block(at: check), "v4 has block \(check)")
                #expect(ours.header.id == theirs.header.id, "one block at height \(check)")
            }
            let state = await joined.node.state
            let reference = try #require(try await validators[0].store.block(at: state.height))
            #expect(state.stateRoot == reference.header.stateRoot && state.log.root == reference.header.logRoot)
        }
    }
}

/// What the API of a state-synced node answers about the blocks it does not hold.
@Suite struct StateSyncAPITests {
    @Test func blocksAtOrBelowTheSyncBaseAnswer410AndLaterOnesAreServed() async throws {
        var ledger = LedgerFixture(validators: 1)
        var previous = ledger.genesis.hash
        var last: (BlockHeader, CommitCertificate)?
        for _ in 1...2 {
            let before = ledger.state
            let outcome = ledger.run([])
            let header = BlockHeader(
                outcome: outcome, executedOn: before, previousBlockID: previous, proposer: ledger.id("v1"))
            let precommit = CommitCertificate.precommit(
                height: header.height, round: 0, blockID: header.id, chainID: header.chainID,
                validator: ledger.id("v1"),
                key: ledger.actor("v1").key)
            last = (
                header, CommitCertificate(height: header.height, round: 0, blockID: header.id, signatures: [precommit])
            )
            previous = header.id
        }
        let (header, certificate) = try #require(last)
        let state = ledger.state
        var signer = ledger
        let piece = signer.sign(
            "firmA",
            .registerPiece(.init(card: IdentityCard(category: .gold, weight: 5, fineness: 999), certificate: nil)))
        try await APITestNode.with(
            ledger,
            producer: BlockProducerService<ContinuousClock>.Limits(
                maxTransactions: 10, maxBytes: 1 << 20, interval: .seconds(3_600)),
            prepare: { store in
                try await store.migrate()
                try await store.importSnapshot(header: header, certificate: certificate, state: state)
            }
        ) { api in
            #expect(await api.node.head.height == 2)
            for height in [1, 2] {
                let before = try await api.client.get("/v1/blocks/\(height)")
                #expect(before.status == 410 && before.code == "chain.before_sync_base", "block \(height): \(before)")
            }
            let ahead = try await api.client.get("/v1/blocks/3")
            #expect(ahead.status == 404 && ahead.code == "api.not_found")
            _ = try await api.submit([piece])
            let committed = try #require(try await api.commitBlock())
            #expect(committed.height == 3 && committed.previousBlockID == header.id)
            #expect(try await api.client.get("/v1/blocks/3").status == 200)
        }
    }
}
