import FacetCore
import FacetDevnet
import FacetLedger
import FacetNode
import FacetSimulation
import FacetStore
import Foundation
import Logging

/// `facet bench memory`'s store: N varied, valid transactions (`BenchLedgerStream`, one stream per client)
/// committed in-process by a lone validator's `LedgerNode` on SQLite, in blocks of at most `maxBlock`. Signs a chunk
/// on all cores while the previous chunk commits, so at most two chunks are held at once, whatever N.
package struct BenchMemoryBuild {
    package static let clients = 8
    package static let signersPerClient = 8
    package static let maxBlock = 5_000
    /// Transactions signed at once: bounds this process's memory (two chunks in flight).
    package static let chunk = 40_000
    /// Transaction ids remembered for the proof reads.
    package static let sampledIDs = 200

    package struct Built {
        package let transactions: Int
        package let height: UInt64
        package let duration: Duration
        package let ids: [TransactionID]
    }

    package let layout: DevnetLayout
    package let genesis: Genesis
    package let validatorKey: SigningKey
    package let due: Timestamp
    package let progress: BenchLedgerProgress

    /// The validator's key: fixed, so a reused folder's `validator.key` is the same.
    package static func validatorKey() -> SigningKey { LedgerFixture.key(seed: 7, name: "bench-memory-validator") }

    /// Writes the genesis, the key and the lone validator's `node.json` (API and peer ports as given).
    package static func prepare(layout: DevnetLayout, progress: BenchLedgerProgress) throws -> BenchMemoryBuild {
        let now = SystemNodeClock().now()
        let key = validatorKey()
        let signerKeys = (0..<clients).map { BenchLedgerStream.keys(client: $0, signers: signersPerClient) }
        let genesis = BenchLedgerStream.genesis(
            validatorKeys: [key], signerKeys: signerKeys, time: Timestamp(uncheckedMillis: now.millis - 1_000))
        try layout.write(
            genesis: genesis, validatorKeys: [key], memberKeys: [],
            configure: { config in
                config.block.intervalMillis = 1_000
                config.block.maxTransactions = maxBlock
                config.block.maxBytes = Limits.maxBlockBytes
                config.logLevel = "warning"
            })
        return BenchMemoryBuild(
            layout: layout, genesis: genesis, validatorKey: key,
            due: Timestamp(uncheckedMillis: now.millis + 365 * Timestamp.millisPerDay), progress: progress)
    }

    /// Builds the store: sign a chunk, submit and commit it block by block, repeat. Any refusal is a bug.
    package func build(transactions total: Int) async throws -> Built {
        let path = layout.validatorFolder(0).appendingPathComponent("ledger.sqlite").path
        var logger = Logger(label: "facet.bench.memory")
        logger.logLevel = .warning
        let store: SQLiteLedgerStore
        do {
            store = try await SQLiteLedgerStore.open(path: path, logger: logger)
        } catch {
            throw BenchFailure("cannot open the store \(path): \(error)")
        }
        do {
            let built = try await commitAll(total: total, store: store, logger: logger)
            try await store.close()
            return built
        } catch {
            try? await store.close()
            throw error
        }
    }

    private func commitAll(total: Int, store: SQLiteLedgerStore, logger: Logger) async throws -> Built {
        let node: LedgerNode
        do {
            node = try await LedgerNode(
                genesis: genesis, store: store, validatorKey: validatorKey,
                mempool: .init(maxCount: 2 * Self.maxBlock, maxBytes: 256 << 20), logger: logger)
        } catch {
            throw BenchFailure("cannot open the in-process node: \(error)")
        }
        let signer = BenchMemorySigner(
            streams: (0..<Self.clients).map {
                BenchLedgerStream(
                    chainID: genesis.params.chainID, client: $0,
                    keys: BenchLedgerStream.keys(client: $0, signers: Self.signersPerClient), due: due)
            })
        let clock = ContinuousClock()
        let started = clock.now
        var state = Progress(total: total, started: started, lastReport: started)
        let stride = max(1, total / Self.sampledIDs)
        var ids = [TransactionID]()
        var logSize = try await store.head()?.logSize ?? 0
        var lastTime = genesis.time
        var current = await signer.sign(count: min(Self.chunk, total))
        var signed = current.count
        progress.line("building a store of \(total) transactions in \(layout.validatorFolder(0).path)…")
        while !current.isEmpty {
            let nextCount = min(Self.chunk, total - signed)
            // Sign the next chunk on the other cores while this one commits.
            async let next = signer.sign(count: nextCount)
            var rest = current[...]
            while !rest.isEmpty {
                let block = Array(rest.prefix(Self.maxBlock))
                rest = rest.dropFirst(block.count)
                for (offset, transaction) in block.enumerated() where (state.committed + offset) % stride == 0 {
                    if ids.count < Self.sampledIDs { ids.append(transaction.id) }
                }
                lastTime = Timestamp(uncheckedMillis: max(SystemNodeClock().now().millis, lastTime.millis + 1))
                logSize = try await commit(block, at: lastTime, logSize: logSize, node: node, store: store)
                state.committed += block.count
                state.report(progress, now: clock.now)
            }
            current = await next
            signed += current.count
        }
        let height = await node.head.height
        return Built(transactions: state.committed, height: height, duration: clock.now - started, ids: ids)
    }

    /// Submits one block's transactions and commits them; returns the transparency log's new size, which grows
    /// by exactly the block's count when every transaction was accepted.
    private func commit(
        _ block: [Transaction], at time: Timestamp, logSize: UInt64, node: LedgerNode, store: SQLiteLedgerStore
    ) async throws -> UInt64 {
        if let refusal = await node.submit(block, forward: false).first {
            throw BenchFailure(
                "a \(block[refusal.position].body.kind) was refused at submit (a bug in the bench's stream): "
                    + "\(refusal.error)")
        }
        let header: BlockHeader?
        do {
            header = try await node.produceBlock(
                time: time, maxTransactions: Self.maxBlock, maxBytes: Limits.maxBlockBytes)
        } catch {
            throw BenchFailure("a block failed to commit: \(error)")
        }
        guard let header, Int(header.transactionCount) == block.count else {
            throw BenchFailure(
                "a block took \(header.map { "\($0.transactionCount)" } ?? "no") of the \(block.count) submitted "
                    + "transactions")
        }
        if header.logSize - logSize != UInt64(block.count) {
            let stored = try await store.blocks(from: header.height, limit: 1).first
            if let stored, let index = stored.results.firstIndex(where: { !$0.accepted }) {
                throw BenchFailure(
                    "block \(header.height) refused a \(stored.transactions[index].body.kind) (a bug in the bench's "
                        + "stream): \(stored.results[index])")
            }
            throw BenchFailure("block \(header.height) accepted \(header.logSize - logSize) of \(block.count)")
        }
        return header.logSize
    }

    /// Committed so far, reported every 2 s with the rate and the time left.
    private struct Progress {
        let total: Int
        let started: ContinuousClock.Instant
        var lastReport: ContinuousClock.Instant
        var committed = 0

        mutating func report(_ progress: BenchLedgerProgress, now: ContinuousClock.Instant) {
            guard now - lastReport >= .seconds(2) || committed == total else { return }
            lastReport = now
            let elapsed = max(BenchFormat.seconds(now - started), 0.001)
            let rate = Double(committed) / elapsed
            let eta = rate > 0 ? Double(total - committed) / rate : 0
            progress.line(
                "  \(committed)/\(total) committed, \(Int(rate)) tx/s, "
                    + "\(BenchFormat.fixed(elapsed, 0)) s elapsed, ETA \(BenchFormat.fixed(eta, 0)) s")
        }
    }
}

/// The clients' streams, signed on every core (`BenchLedgerStream.advance`). One `sign` at a time.
package final class BenchMemorySigner: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [BenchLedgerStream]

    package init(streams: [BenchLedgerStream]) {
        self.streams = streams
    }

    /// The next `count` transactions, the streams' in turn (each stream's own order kept), on a background queue.
    package func sign(count: Int) async -> [Transaction] {
        guard count > 0 else { return [] }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.signNow(count: count))
            }
        }
    }

    private func signNow(count: Int) -> [Transaction] {
        let clients = lock.withLock { streams.count }
        let counts = (0..<clients).map { count / clients + ($0 < count % clients ? 1 : 0) }
        let signed = BenchLedgerStream.advance(lock.withLock { streams }, counts: counts) { $0.nextTransaction() }
        lock.withLock { streams = signed.streams }
        let parts = signed.items
        // Round-robin across clients: every block mixes them, and each client's order is kept.
        var merged = [Transaction]()
        merged.reserveCapacity(count)
        for index in 0..<(parts.map(\.count).max() ?? 0) {
            for part in parts where index < part.count { merged.append(part[index]) }
        }
        return merged
    }
}
