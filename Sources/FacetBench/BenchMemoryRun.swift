import FacetCore
import FacetDevnet
import FacetFiles
import FacetLedger
import FacetNode
import FacetSimulation
import FacetStore
import FacetWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A validator's resident memory over a large chain: builds a SQLite store of N committed transactions
/// in-process (`BenchMemoryBuild`), then starts a real `facet node start` on it and reads the child's
/// `/proc/PID/status` when it is ready and after some reads over HTTP. The target is ≤ 1 GiB resident at
/// 1,000,000 transactions.
package struct BenchMemoryRun: Sendable {
    package var transactions: Int = 1_000_000
    package var dir: String? = nil
    package var reuse: Bool = false
    package var json: Bool = false
    package var apiPort: Int = 7350
    package var peerPort: Int = 7450
    package var reads: Int = 200

    package init() {}

    package static let targetBytes: Int64 = 1 << 30

    package func run() async throws {
        let progress = BenchLedgerProgress(toStandardError: true)
        let folder =
            dir.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "facet-bench-memory-\(ProcessInfo.processInfo.processIdentifier)")
        let layout = DevnetLayout(folder: folder, validators: 1, apiPort: apiPort, peerPort: peerPort)
        var child: Process?
        do {
            let stored = try await store(layout: layout, progress: progress)
            progress.line("starting `facet node start` on the store…")
            let launched = try ValidatorProcesses.launch(layout: layout, index: 0)
            child = launched
            let report = try await measure(
                child: launched, stored: stored, layout: layout, progress: progress)
            ValidatorProcesses.stop([launched], grace: .seconds(10), say: progress.line)
            child = nil
            if dir == nil { try? FileManager.default.removeItem(at: folder) }
            print(json ? LocalFiles.json(report) : report.table())
        } catch {
            if let child { ValidatorProcesses.stop([child], grace: .seconds(10), say: progress.line) }
            if dir == nil { try? FileManager.default.removeItem(at: folder) }
            throw error
        }
    }

    /// What the store holds once built or found: its size, height and some transaction ids to prove.
    package struct Stored {
        package let transactions: Int
        package let height: UInt64
        package let build: Duration?
        package let ids: [TransactionID]
    }

    /// Builds the store, or with `--reuse` finds one holding enough; the in-process node and store are closed
    /// (and dropped) on return.
    private func store(layout: DevnetLayout, progress: BenchLedgerProgress) async throws -> Stored {
        let sqlite = layout.validatorFolder(0).appendingPathComponent("ledger.sqlite").path
        let exists = FileManager.default.fileExists(atPath: sqlite)
        if exists && dir != nil && !reuse {
            throw BenchFailure("\(sqlite) exists: pass --reuse to measure it, or remove \(layout.folder.path)")
        }
        if exists && reuse {
            guard FileManager.default.fileExists(atPath: layout.configPath(0).path) else {
                throw BenchFailure("\(layout.configPath(0).path) is missing: remove \(layout.folder.path)")
            }
            let found = try await Self.inspect(path: sqlite)
            guard found.transactions >= transactions else {
                throw BenchFailure(
                    "the store in \(layout.folder.path) holds \(found.transactions) transactions, fewer than "
                        + "\(transactions): remove the folder or lower --transactions")
            }
            try Self.rewritePorts(layout: layout)
            progress.line(
                "reusing \(sqlite): \(found.transactions) transactions, height \(found.height)")
            return found
        }
        if dir == nil { try? FileManager.default.removeItem(at: layout.folder) }
        try FileManager.default.createDirectory(at: layout.folder, withIntermediateDirectories: true)
        let builder = try BenchMemoryBuild.prepare(layout: layout, progress: progress)
        let built = try await builder.build(transactions: transactions)
        return Stored(transactions: built.transactions, height: built.height, build: built.duration, ids: built.ids)
    }

    /// A reused store's accepted transactions (its transparency log), height, and ids sampled from its blocks.
    private static func inspect(path: String) async throws -> Stored {
        let store: SQLiteLedgerStore
        do {
            store = try await SQLiteLedgerStore.open(path: path)
        } catch {
            throw BenchFailure("cannot open \(path): \(error)")
        }
        do {
            guard let head = try await store.head() else {
                try await store.close()
                return Stored(transactions: 0, height: 0, build: nil, ids: [])
            }
            var rng = SeededRandom(seed: 11)
            var ids = [TransactionID]()
            for _ in 0..<20 {
                let height = rng.next() % head.height + 1
                guard let block = try await store.blocks(from: height, limit: 1).first else { continue }
                ids += block.transactions.prefix(BenchMemoryBuild.sampledIDs / 20).map(\.id)
            }
            try await store.close()
            return Stored(transactions: Int(head.logSize), height: head.height, build: nil, ids: ids)
        } catch {
            try? await store.close()
            throw BenchFailure("cannot read \(path): \(error)")
        }
    }

    /// A reused folder keeps its store, but listens where this run says.
    private static func rewritePorts(layout: DevnetLayout) throws {
        let path = layout.configPath(0).path
        var config = try JSONDecoder().decode(NodeConfig.self, from: try LocalFiles.read(path))
        config.listen = layout.apiAddress(0)
        try LocalFiles.write(config.jsonData(), to: path)
    }

    /// Waits for the child, reads its memory, does some reads over HTTP, reads again.
    private func measure(
        child: Process, stored: Stored, layout: DevnetLayout, progress: BenchLedgerProgress
    ) async throws -> BenchMemoryReport {
        let launched = ContinuousClock.now
        try await waitUntilReady(child: child, height: stored.height, layout: layout, progress: progress)
        let startup = ContinuousClock.now - launched
        let pid = child.processIdentifier
        let ready = BenchMemoryUsage.read(pid: pid)
        let rollup = BenchMemoryUsage.smapsRollup(pid: pid)
        progress.line(
            "ready in \(BenchFormat.fixed(BenchFormat.seconds(startup), 1)) s, RSS \(BenchMemoryReport.mib(ready.rss))"
        )
        let readTime = try reads(height: stored.height, ids: stored.ids, progress: progress)
        let after = BenchMemoryUsage.read(pid: pid)
        let folder = layout.validatorFolder(0).appendingPathComponent("ledger.sqlite").path
        let sizes = ["", "-wal", "-shm"].map { Self.fileSize(folder + $0) }
        return BenchMemoryReport(
            transactions: stored.transactions, height: stored.height, storeBytes: sizes[0] + sizes[1],
            sqliteBytes: sizes[0], walBytes: sizes[1],
            buildSeconds: stored.build.map(BenchFormat.seconds),
            buildPerSecond: stored.build.map { Double(stored.transactions) / max(BenchFormat.seconds($0), 0.001) },
            startupSeconds: BenchFormat.seconds(startup), ready: ready, afterReads: after,
            readsSeconds: readTime, reads: reads, smapsRollupAtReady: rollup,
            peakRSSBytes: max(ready.peak, after.peak), targetBytes: Self.targetBytes)
    }

    /// Until `GET /v1/status` answers 200 with the built height (120 s at most), with progress every 2 s.
    private func waitUntilReady(
        child: Process, height: UInt64, layout: DevnetLayout, progress: BenchLedgerProgress
    ) async throws {
        let start = ContinuousClock.now
        let deadline = start + .seconds(120)
        var lastReport = start
        let connection = BenchHTTPConnection(port: apiPort)
        while ContinuousClock.now < deadline {
            guard child.isRunning else {
                throw BenchFailure(
                    "the validator exited with status \(child.terminationStatus) before it was ready: "
                        + Self.tail(layout.validatorFolder(0).appendingPathComponent("node.log")))
            }
            if let (status, body) = try? connection.get("/v1/status"), status == 200 {
                guard let parsed = try? JSONDecoder().decode(APIJSON.StatusBody.self, from: Data(body)) else {
                    throw BenchFailure("GET /v1/status: an answer without a height")
                }
                if parsed.height == height { return }
                if parsed.height > height {
                    throw BenchFailure("the validator is at height \(parsed.height), past the built \(height)")
                }
            }
            let now = ContinuousClock.now
            if now - lastReport >= .seconds(2) {
                lastReport = now
                let rss = BenchMemoryUsage.read(pid: child.processIdentifier).rss
                progress.line(
                    "  waiting for the validator: \(BenchFormat.fixed(BenchFormat.seconds(now - start), 0)) s, "
                        + "RSS \(BenchMemoryReport.mib(rss)) so far")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure(
            "the validator did not serve height \(height) within 120 s: "
                + Self.tail(layout.validatorFolder(0).appendingPathComponent("node.log")))
    }

    /// `reads` × (GET /v1/status, a random block, a remembered transaction's proof); every answer must be 200.
    private func reads(height: UInt64, ids: [TransactionID], progress: BenchLedgerProgress) throws -> Double {
        guard reads > 0 else { return 0 }
        progress.line("reading over HTTP: \(reads) statuses, random blocks and proofs…")
        let connection = BenchHTTPConnection(port: apiPort)
        var rng = SeededRandom(seed: 5)
        let start = ContinuousClock.now
        for index in 0..<reads {
            var paths = ["/v1/status"]
            if height > 0 { paths.append("/v1/blocks/\(rng.next() % height + 1)") }
            if !ids.isEmpty { paths.append("/v1/transactions/\(ids[index % ids.count].hex)/proof") }
            for path in paths {
                let response: (status: Int, body: [UInt8])
                do {
                    response = try connection.get(path, asOperator: BenchMemoryBuild.validatorKey())
                } catch {
                    throw BenchFailure("GET \(path): \(error)")
                }
                guard response.status == 200 else {
                    throw BenchFailure(
                        "GET \(path): HTTP \(response.status): "
                            + String(decoding: response.body.prefix(300), as: UTF8.self))
                }
            }
        }
        return BenchFormat.seconds(ContinuousClock.now - start)
    }

    private static func fileSize(_ path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// The last lines of the node's log, for a failure message.
    private static func tail(_ log: URL) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8), !text.isEmpty else {
            return "its log \(log.path) is empty"
        }
        return "the end of \(log.path):\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}
