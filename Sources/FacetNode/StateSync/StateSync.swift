import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
import FacetStore
import Logging

/// What a finished state sync did.
public struct StateSyncReport: Sendable {
    public let manifest: SnapshotManifest
    /// Chunks found staged and verified when the run started (a resumed download), and fetched by this run.
    public let resumedChunks: Int
    public let fetchedChunks: Int
}

/// A joining node's state sync: the thin driver of a `StateSyncMachine` over a running peer transport, the staging
/// folder and the store. It ends once the store holds the snapshot's state (`LedgerStore.importSnapshot`, one
/// database transaction), or throws when cancelled or when the store fails; after either, running it again resumes
/// from the chunks staged. Block sync from the snapshot's height on is consensus's, started next on the same store.
public struct StateSync: Sendable {
    public let genesis: Genesis
    public let store: any LedgerStore
    public let staging: SnapshotStaging
    public let trust: SnapshotTrust
    public let settings: StateSyncMachine.Settings
    public let tick: Duration
    public let logger: Logger
    /// Called after each chunk is staged with (chunks staged, chunks in all).
    public var progress: @Sendable (Int, Int) -> Void

    public init(
        genesis: Genesis, store: any LedgerStore, staging: SnapshotStaging, trust: SnapshotTrust,
        settings: StateSyncMachine.Settings = StateSyncMachine.Settings(), tick: Duration = .milliseconds(100),
        logger: Logger, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) {
        self.genesis = genesis
        self.store = store
        self.staging = staging
        self.trust = trust
        self.settings = settings
        self.tick = tick
        self.logger = logger
        self.progress = progress
    }

    /// The trust a node has from its genesis, or in the block its operator names.
    public static func trust(genesis: Genesis, trustedBlock: SnapshotTrust.TrustedBlock?) -> SnapshotTrust {
        SnapshotTrust(
            chainID: genesis.params.chainID, validators: genesis.validatorSet, trustedBlock: trustedBlock)
    }

    private enum Input: Sendable {
        case peer(PeerMessage)
        case tick
    }

    /// What one run tracks while it carries out the machine's actions.
    private struct Run {
        let transport: PeerTransport
        var staged = 0
        var total = 0
        var fetched = 0
        var finished: SnapshotManifest?
    }

    /// Runs over `transport` (started, and stopped by the caller) until the snapshot is in the store. It consumes the
    /// transport's inbound stream, which ends with the run: one run per transport.
    public func run(over transport: PeerTransport) async throws -> StateSyncReport {
        let clock = ContinuousClock()
        let started = clock.now
        var machine = StateSyncMachine(trust: trust, settings: settings)
        let resumed = staging.load()
        if let resumed {
            logger.info(
                "resuming a snapshot download",
                metadata: [
                    "ledger.height": "\(resumed.manifest.height)",
                    "snapshot.staged": "\(resumed.have.count)/\(resumed.manifest.chunkHashes.count)",
                ])
        }
        var run = Run(
            transport: transport, staged: resumed?.have.count ?? 0, total: resumed?.manifest.chunkHashes.count ?? 0)
        let (inputs, continuation) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingNewest(1_024))
        var peers = transport.connectedPeers.sorted()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in transport.inbound { continuation.yield(.peer(message)) }
            }
            group.addTask { [tick] in
                while !Task.isCancelled {
                    try await Task.sleep(for: tick)
                    continuation.yield(.tick)
                }
            }
            defer { group.cancelAll() }
            var iterator = inputs.makeAsyncIterator()
            var pending = machine.handle(
                .start(peers: peers, resumed: resumed?.manifest, have: resumed?.have ?? []), at: clock.now - started)
            while run.finished == nil {
                while !pending.isEmpty {
                    let action = pending.removeFirst()
                    if let answer = try await perform(action, &run) {
                        pending += machine.handle(answer, at: clock.now - started)
                    }
                }
                guard run.finished == nil else { break }
                try Task.checkCancellation()
                guard let input = await iterator.next() else { throw CancellationError() }
                try Task.checkCancellation()
                switch input {
                case .tick:
                    let now = transport.connectedPeers.sorted()
                    if now != peers {
                        peers = now
                        pending += machine.handle(.peers(peers), at: clock.now - started)
                    }
                    pending += machine.handle(.tick, at: clock.now - started)
                case .peer(let message):
                    guard let event = Self.event(message) else { continue }
                    pending += machine.handle(event, at: clock.now - started)
                }
            }
        }
        guard let finished = run.finished else { throw CancellationError() }
        return StateSyncReport(
            manifest: finished,
            resumedChunks: resumed.map { $0.manifest.hash == finished.hash ? $0.have.count : 0 } ?? 0,
            fetchedChunks: run.fetched)
    }

    /// A state-sync answer as the machine's event; nil for anything else a validator sends (votes, status).
    private static func event(_ message: PeerMessage) -> StateSyncMachine.Event? {
        guard let decoded = try? ValidatorMessage(canonicalBytes: message.payload, limit: ValidatorMessage.maxBytes)
        else { return nil }
        switch decoded {
        case .snapshotManifest(let manifest):
            return .manifest(manifest, from: message.from)
        case .chunk(let manifest, let index, let bytes):
            return .chunk(manifest: manifest, index: Int(index), bytes: bytes, from: message.from)
        default:
            return nil
        }
    }

    private func perform(_ action: StateSyncMachine.Action, _ run: inout Run) async throws -> StateSyncMachine.Event? {
        switch action {
        case .requestManifest(let peer):
            // A full outbox drops a request; the machine's timeout asks again.
            _ = run.transport.send(ValidatorMessage.snapshotRequest.canonicalBytes, to: peer)
        case .requestChunk(let manifest, let index, let peer):
            let request = ValidatorMessage.chunkRequest(manifest: manifest, index: UInt32(index))
            _ = run.transport.send(request.canonicalBytes, to: peer)
        case .persistManifest(let manifest):
            logger.info(
                "downloading a snapshot",
                metadata: [
                    "ledger.height": "\(manifest.height)", "snapshot.chunks": "\(manifest.chunkHashes.count)",
                    "snapshot.records": "\(manifest.recordCount)",
                ])
            try staging.reset(to: manifest)
            run.staged = 0
            run.total = manifest.chunkHashes.count
        case .persistChunk(let index, let bytes):
            try staging.store(chunk: bytes, index: index)
            run.fetched += 1
            run.staged += 1
            progress(run.staged, run.total)
        case .assemble(let manifest):
            return .assembled(try await adopt(manifest))
        case .finished(let manifest):
            staging.remove()
            run.finished = manifest
        case .penalized(let peer, let reason):
            logger.warning(
                "state-sync peer set aside", metadata: ["peer.id": "\(peer.hex.prefix(8))", "sync.reason": "\(reason)"])
        }
        return nil
    }

    /// Assembles and checks the staged snapshot; imports it when it is the certified state. A store failure is
    /// thrown (nothing was written; a rerun resumes), a bad snapshot is the machine's to judge.
    private func adopt(_ manifest: SnapshotManifest) async throws -> SnapshotRejection? {
        let state: WorldState
        do throws(SnapshotRejection) {
            state = try StateSnapshot.assemble(manifest, chunks: try staged(manifest))
        } catch {
            logger.warning("snapshot refused", metadata: ["sync.reason": "\(error)"])
            return error
        }
        try await store.importSnapshot(header: manifest.header, certificate: manifest.certificate, state: state)
        logger.info(
            "state synced",
            metadata: ["ledger.height": "\(manifest.height)", "ledger.state_root": "\(manifest.header.stateRoot)"])
        return nil
    }

    private func staged(_ manifest: SnapshotManifest) throws(SnapshotRejection) -> [[UInt8]] {
        do {
            return try staging.chunks(of: manifest)
        } catch {
            throw SnapshotRejection(.badChunk, "a staged chunk is missing: \(error)")
        }
    }
}
