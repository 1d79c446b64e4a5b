import FacetConsensus
import FacetCore
import FacetLedger
import FacetNode
import FacetSimulation
import FacetStore
import Foundation

/// What a joining validator spends to reach the head of a generated ledger of a stated size: replaying every
/// block (verify the certificate, re-execute with signature checks, commit to SQLite, as block sync does) against
/// state sync (the server builds the snapshot; the joiner checks the manifest, checks and stages every chunk,
/// assembles and verifies the state root, imports it into SQLite in one transaction, and loads it back). In one
/// process: the network transfer is not in the state-sync figure; the line after it says what the serving quota
/// allows for it.
package struct BenchStateSyncRun: Sendable {
    package var blocks: Int = 200
    package var blockSize: Int = 100
    package var seed: UInt64 = 1
    package var chunkBytes: Int = SnapshotManifest.maxChunkBytes

    package init() {}
    package func run() async throws {
        let clock = ContinuousClock()
        print("generating \(blocks) blocks of \(blockSize) transactions (seed \(seed))…")
        var chain = SimulatedChain(seed: seed, blockSize: blockSize)
        let generated = (0..<blocks).map { _ in chain.next() }
        guard let last = generated.last else { throw BenchFailure("--blocks must be at least 1") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "facet-bench-state-sync-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // Replay: what block sync does for each block from 1.
        let replayStart = clock.now
        let replayed = try await StoreLocation.sqlite(path: folder.appendingPathComponent("replay.sqlite").path)
            .withStore { store in
                try await store.migrate()
                var state = try WorldState(genesis: chain.genesis)
                var previous = chain.genesis.hash
                let executor = BlockExecutor()
                for block in generated {
                    let check = block.certificate.verify(
                        header: block.header, validators: state.validators.set(at: block.header.height))
                    guard check == .valid else {
                        throw BenchFailure("block \(block.header.height)'s certificate: \(check)")
                    }
                    // The executor and the header check of `BlockBuilder.checkExecution`, without its refusal
                    // cap, which the simulated chain does not apply when it builds blocks.
                    let outcome = executor.execute(block.transactions, on: state, time: block.header.time)
                    let expected = BlockHeader(
                        outcome: outcome, executedOn: state, previousBlockID: previous,
                        proposer: block.header.proposer)
                    guard expected.id == block.header.id else {
                        throw BenchFailure("block \(block.header.height) does not execute to its header")
                    }
                    try await store.commit(
                        BlockCommit(
                            outcome: outcome, executedOn: state, header: block.header,
                            certificate: block.certificate, transactions: block.transactions))
                    state.commit(outcome)
                    previous = block.header.id
                }
                return state.stateRoot
            }
        let replay = clock.now - replayStart

        // State sync: the server's build, then the joiner's checks, staging, assembly and import.
        let buildStart = clock.now
        let snapshot = StateSnapshot.build(
            state: chain.state, header: last.header, certificate: last.certificate, chunkBytes: chunkBytes)
        let build = clock.now - buildStart
        let joinStart = clock.now
        let trust = FacetNode.StateSync.trust(genesis: chain.genesis, trustedBlock: nil)
        try trust.check(snapshot.manifest)
        let staging = SnapshotStaging(folder: folder.appendingPathComponent("state-sync"))
        try staging.reset(to: snapshot.manifest)
        for (index, bytes) in snapshot.chunks.enumerated() {
            guard StateSnapshot.chunkMatches(bytes, index: index, of: snapshot.manifest) else {
                throw BenchFailure("chunk \(index) does not match")
            }
            try staging.store(chunk: bytes, index: index)
        }
        let synced = try await StoreLocation.sqlite(path: folder.appendingPathComponent("synced.sqlite").path)
            .withStore { store in
                try await store.migrate()
                let state = try StateSnapshot.assemble(
                    snapshot.manifest, chunks: try staging.chunks(of: snapshot.manifest))
                try await store.importSnapshot(
                    header: snapshot.manifest.header, certificate: snapshot.manifest.certificate, state: state)
                return try await store.loadState(genesis: chain.genesis).state.stateRoot
            }
        let join = clock.now - joinStart
        guard replayed == last.header.stateRoot, synced == last.header.stateRoot else {
            throw BenchFailure("a root differs from the head's")
        }

        let bytes = snapshot.chunks.reduce(0) { $0 + $1.count }
        let quotaBytesPerSecond = Double(ValidatorMachine.snapshotRequestsPerSecond * chunkBytes)
        print(
            "ledger: \(blocks) blocks, \(blocks * blockSize) transactions; state at height \(last.header.height): "
                + "\(snapshot.manifest.recordCount) rows, \(bytes) bytes in \(snapshot.chunks.count) chunks")
        print("replay (verify, execute, commit every block):  \(seconds(replay)) s")
        print(
            "state sync: build \(seconds(build)) s (server) + join \(seconds(join)) s "
                + "(check, stage, assemble, import, load) = \(seconds(build + join)) s")
        print(
            "  transfer not included: at the serving quota (\(ValidatorMachine.snapshotRequestsPerSecond) chunks/s "
                + "per peer) at most \(String(format: "%.2f", Double(bytes) / quotaBytesPerSecond)) s from one peer"
        )
        print("  ratio replay / state sync: \(String(format: "%.1f", seconds(replay) / seconds(build + join)))")
    }

    private func seconds(_ duration: Duration) -> Double {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return (value * 1000).rounded() / 1000
    }
}
