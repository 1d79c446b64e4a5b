import FacetAPI
import FacetClient
import FacetCore
import FacetDevnet
import FacetLedger
import FacetNode
import FacetSimulation
import FacetStore
import FacetWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The whole system under load: N validators as separate `facet node start` processes on loopback (real TCP,
/// each its own store), driven over HTTP by several clients with pre-signed, varied, valid transactions.
/// With `--saturate`, first the committed-rate plateau (clients submitting back to back, the pools pushing back
/// with 429), then a paced run at 80% of it; with `--rate`, only the paced run.
///
/// Latency is submit → the instant a watcher (one per validator, polling `/v1/status` every 5 ms and fetching
/// each new block) first sees the transaction in a block of the validator it was submitted to.
package struct BenchLedgerRun: Sendable {
    package var validators: Int = 4
    package var store: String = "sqlite"
    package var rate: Double? = nil
    package var saturate: Bool = false
    package var duration: Int = 20
    package var saturateSeconds: Int = 15
    package var saturateTransactions: Int = 150_000
    package var clients: Int = 8
    package var batch: Int = 100
    package var signersPerClient: Int = 8
    package var apiPort: Int = 7300
    package var peerPort: Int = 7400
    package var blockMillis: Int = 100
    package var maxBlock: Int = 5_000
    package var mempool: Int = 50_000
    package var logLevel: String = "warning"
    package var keep: String? = nil
    package var json: Bool = false

    package init() {}

    package func run() async throws {
        try await StopRequest.trapping { stop in try await run(stop: stop) }
    }

    private func run(stop: StopRequest) async throws {
        let progress = BenchLedgerProgress(toStandardError: json)
        let folder =
            keep.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "facet-bench-ledger-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let layout = DevnetLayout(folder: folder, validators: validators, apiPort: apiPort, peerPort: peerPort)
        let databases = store == "sqlite" ? [] : (0..<validators).map { DevnetRun.database(store, index: $0) }
        var children = [Process]()
        let report: BenchLedgerReport
        do {
            if !databases.isEmpty {
                try await Self.recreate(databases: databases, server: store, progress: progress)
            }
            let streams = try write(layout: layout, databases: databases)
            progress.line("starting \(validators) validator processes in \(folder.path)…")
            for index in 0..<validators {
                children.append(try ValidatorProcesses.launch(layout: layout, index: index))
            }
            report = try await measure(streams: streams, children: children, stop: stop, progress: progress)
        } catch {
            await cleanUp(children: children, folder: folder, databases: databases, progress: progress)
            throw error
        }
        await cleanUp(children: children, folder: folder, databases: databases, progress: progress)
        print(json ? report.json() : report.table())
    }

    /// Stops the validators, then removes their folder (unless `--keep`) and PostgreSQL databases.
    private func cleanUp(children: [Process], folder: URL, databases: [String], progress: BenchLedgerProgress) async {
        ValidatorProcesses.stop(children, grace: .seconds(10), say: progress.line)
        if keep == nil { try? FileManager.default.removeItem(at: folder) }
        if !databases.isEmpty { try? await Self.drop(databases: databases, server: store) }
    }

    /// Validator `index`'s key (demo-only, derived from a fixed seed).
    package static func validatorKey(_ index: Int) -> SigningKey {
        LedgerFixture.key(seed: 7, name: "bench-ledger-validator-\(index)")
    }

    /// The genesis (`BenchLedgerStream.genesis`), the keys and each validator's configuration; returns each
    /// client's stream, ready to sign.
    private func write(layout: DevnetLayout, databases: [String]) throws -> [BenchLedgerStream] {
        let now = SystemNodeClock().now()
        let chainID = LedgerFixture.chainID
        let validatorKeys = (0..<validators).map(Self.validatorKey)
        let signerKeys = (0..<clients).map { BenchLedgerStream.keys(client: $0, signers: signersPerClient) }
        let genesis = BenchLedgerStream.genesis(
            validatorKeys: validatorKeys, signerKeys: signerKeys,
            time: Timestamp(uncheckedMillis: now.millis - 1_000))
        try layout.write(
            genesis: genesis, validatorKeys: validatorKeys, memberKeys: [],
            store: { databases.isEmpty ? nil : databases[$0] },
            configure: { config in
                config.block.intervalMillis = blockMillis
                config.block.maxTransactions = maxBlock
                config.block.maxBytes = Limits.maxBlockBytes
                config.mempool = NodeConfig.MempoolBounds(maxTransactions: mempool, maxBytes: 256 << 20)
                config.logLevel = logLevel
            })
        let due = Timestamp(uncheckedMillis: now.millis + 365 * Timestamp.millisPerDay)
        return signerKeys.enumerated().map {
            BenchLedgerStream(chainID: chainID, client: $0.offset, keys: $0.element, due: due)
        }
    }

    private func measure(
        streams: [BenchLedgerStream], children: [Process], stop: StopRequest, progress: BenchLedgerProgress
    ) async throws -> BenchLedgerReport {
        var streams = streams
        var pools = [[BenchLedgerRequest]](repeating: [], count: clients)
        let ports = (0..<clients).map { apiPort + $0 % validators }
        let watches = (0..<validators).map {
            BenchLedgerWatch(port: apiPort + $0, operatorKey: Self.validatorKey($0))
        }
        try await waitUntilReady(children: children, stop: stop, progress: progress)
        for (index, watch) in watches.enumerated() {
            let height = try BenchHTTPConnection(port: apiPort + index).get("/v1/status")
            let status = try JSONDecoder().decode(APIJSON.StatusBody.self, from: Data(height.body))
            watch.start(from: status.height)
        }
        defer { for watch in watches { watch.stop() } }
        var phases = [BenchLedgerReport.Phase]()
        var target = rate
        if saturate {
            let count = saturateTransactions / clients + 1
            Self.sign(&streams, into: &pools, count: count, progress: progress)
            progress.line(
                "saturation: \(clients) clients submitting back to back for \(saturateSeconds) s…")
            let phase = try await run(
                "saturation", rate: nil, seconds: saturateSeconds, pools: &pools, ports: ports, watches: watches,
                children: children, stop: stop, progress: progress)
            phases.append(phase)
            target = (phase.committedPerSecond * 0.8).rounded()
            progress.line(
                "saturation point ≈ \(Int(phase.committedPerSecond)) committed tx/s; paced run at 80%: "
                    + "\(Int(target ?? 0)) tx/s")
        }
        guard let target, target >= 1, !stop.received else {
            return report(phases: phases)
        }
        let count = Int((target * Double(duration) / Double(clients)).rounded(.up)) + 2
        // The saturation run's unsent tail is signed past what went out: start the paced run from what was sent.
        Self.sign(&streams, into: &pools, count: count, progress: progress)
        progress.line("paced: \(Int(target)) tx/s for \(duration) s…")
        phases.append(
            try await run(
                "paced", rate: target, seconds: duration, pools: &pools, ports: ports, watches: watches,
                children: children, stop: stop, progress: progress))
        return report(phases: phases)
    }

    /// Tops every client's pool up to `count` unsent requests, signing on all cores (before any timing).
    private static func sign(
        _ streams: inout [BenchLedgerStream], into pools: inout [[BenchLedgerRequest]], count: Int,
        progress: BenchLedgerProgress
    ) {
        let needed = pools.map { max(0, count - $0.count) }
        let total = needed.reduce(0, +)
        guard total > 0 else { return }
        progress.line("signing \(total) transactions…")
        let started = ContinuousClock.now
        let signed = BenchLedgerStream.advance(streams, counts: needed) { $0.next() }
        streams = signed.streams
        for client in 0..<streams.count { pools[client] += signed.items[client] }
        progress.line("  signed in \(BenchFormat.millis(ContinuousClock.now - started))")
    }

    /// Until every API answers and, with consensus, every validator is connected to every other (60 s at most):
    /// the devnet's ready-wait (`ValidatorProcesses.waitUntilServing`).
    private func waitUntilReady(children: [Process], stop: StopRequest, progress: BenchLedgerProgress)
        async throws
    {
        let clients = try (0..<validators).map { index in
            try NodeClient(address: "http://127.0.0.1:\(apiPort + index)", requestTimeout: .seconds(5))
        }
        let readiness = await ValidatorProcesses.waitUntilServing(
            clients, children: children, connected: validators > 1, stopped: { stop.received })
        switch readiness {
        case .serving:
            progress.line("\(validators) validators serving" + (validators > 1 ? " and connected" : ""))
        case .stopped: throw BenchFailure("interrupted")
        case .exited(let index, let status):
            throw BenchFailure(
                "validator \(index) exited with status \(status); see its node.log (--keep DIR keeps it)")
        case .timedOut:
            throw BenchFailure(
                "the validators were not ready within 60 s; see their node.log (--keep DIR keeps it)")
        }
    }

    /// One phase: submits, prints progress every 2 s, waits (at most 60 s) for what was accepted to commit on
    /// its validator, and summarises.
    private func run(
        _ name: String, rate: Double?, seconds: Int, pools: inout [[BenchLedgerRequest]], ports: [Int],
        watches: [BenchLedgerWatch], children: [Process], stop: StopRequest, progress: BenchLedgerProgress
    ) async throws -> BenchLedgerReport.Phase {
        for child in children { BenchProcessUsage.resetPeak(pid: child.processIdentifier) }
        let before = children.map { BenchProcessUsage.read(pid: $0.processIdentifier) }
        let ownBefore = BenchProcessUsage.read(pid: getpid())
        let start = ContinuousClock.now
        let snapshot = pools
        let sending = Task {
            await BenchLedgerLoad.run(
                requests: snapshot, ports: ports, rate: rate, batch: batch, duration: .seconds(seconds),
                stop: stop)
        }
        let reporter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                if Task.isCancelled { break }
                let heights = watches.map { "\($0.height)" }.joined(separator: " ")
                let blocks = watches[0].blocks(from: ContinuousClock.now - .seconds(2), to: ContinuousClock.now)
                let committed = blocks.reduce(0) { $0 + $1.transactions }
                progress.line(
                    "  \(BenchFormat.fixed(BenchFormat.seconds(ContinuousClock.now - start), 1)) s: heights "
                        + "\(heights), ~\(committed / 2) committed tx/s on validator 0")
            }
        }
        let sent = await sending.value
        let end = ContinuousClock.now
        let after = children.map { BenchProcessUsage.read(pid: $0.processIdentifier) }
        let ownAfter = BenchProcessUsage.read(pid: getpid())
        reporter.cancel()
        // Drain: what each client had accepted, committed on its validator.
        let drainDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < drainDeadline && !stop.received {
            let missing = sent.enumerated().reduce(0) {
                $0 + $1.element.ids.count - watches[$1.offset % validators].committedCount($1.element.ids[...])
            }
            if missing == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        for (client, part) in sent.enumerated() {
            let used = part.ids.count + part.refused.values.reduce(0, +)
            pools[client].removeFirst(min(used, pools[client].count))
        }
        if let failure = watches.compactMap(\.failure).first { progress.line("  (a watcher saw: \(failure))") }
        return summarise(
            name, rate: rate, sent: sent, watches: watches, start: start, end: end,
            usage: zip(before, after).map { ($0, $1) }, load: (ownBefore, ownAfter))
    }

    private func summarise(
        _ name: String, rate: Double?, sent: [BenchLedgerSent], watches: [BenchLedgerWatch],
        start: ContinuousClock.Instant, end: ContinuousClock.Instant,
        usage: [(BenchProcessUsage, BenchProcessUsage)], load: (BenchProcessUsage, BenchProcessUsage)
    ) -> BenchLedgerReport.Phase {
        var latencies = [Duration]()
        var uncommitted = 0
        var refused = [String: Int]()
        var lastCommit = start
        for (client, part) in sent.enumerated() {
            let commits = watches[client % validators].commits(part.ids)
            for (sentAt, committed) in zip(part.instants, commits) {
                if let committed {
                    latencies.append(committed - sentAt)
                    lastCommit = max(lastCommit, committed)
                } else {
                    uncommitted += 1
                }
            }
            for (code, count) in part.refused { refused[code, default: 0] += count }
        }
        latencies.sort()
        let elapsed = BenchFormat.seconds(end - start)
        let allBlocks = watches[0].blocks(from: start, to: end + .seconds(60))
        // Paced: validator 0's blocks after the first 20% (the ramp) up to the end. Saturation: everything the
        // phase committed over first submit → last commit, since an overloaded chain commits in few, large,
        // late blocks that a window would miss.
        let steady = start + (end - start) * 0.2
        let blocks =
            rate == nil ? allBlocks.filter { $0.seen <= lastCommit } : watches[0].blocks(from: steady, to: end)
        let window = max(BenchFormat.seconds(rate == nil ? lastCommit - start : end - steady), 0.001)
        let committed = rate == nil ? latencies.count : blocks.reduce(0) { $0 + $1.transactions }
        let intervals = zip(blocks.dropFirst(), blocks).map { Double($0.time - $1.time) }
        func percentile(_ percent: Int) -> Double? {
            latencies.isEmpty ? nil : BenchFormat.seconds(Percentile.of(latencies, percent)) * 1000
        }
        return BenchLedgerReport.Phase(
            name: name, offeredPerSecond: rate, submitted: sent.reduce(0) { $0 + $1.ids.count },
            refused: refused, rejected: allBlocks.reduce(0) { $0 + $1.rejected }, uncommitted: uncommitted,
            poolExhausted: sent.contains(where: \.exhausted), seconds: elapsed,
            committedPerSecond: Double(committed) / window, latencyP50Millis: percentile(50),
            latencyP95Millis: percentile(95), latencyP99Millis: percentile(99),
            latencyMaxMillis: latencies.last.map { BenchFormat.seconds($0) * 1000 },
            blockIntervalMillis: intervals.isEmpty ? nil : intervals.reduce(0, +) / Double(intervals.count),
            transactionsPerBlock: blocks.isEmpty
                ? nil : Double(blocks.reduce(0) { $0 + $1.transactions }) / Double(blocks.count),
            blocks: blocks.count,
            loadCPUPercent: (load.1.cpuSeconds - load.0.cpuSeconds) / max(elapsed, 0.001) * 100,
            validators: usage.enumerated().map { index, pair in
                BenchLedgerReport.Usage(
                    validator: index,
                    cpuPercent: (pair.1.cpuSeconds - pair.0.cpuSeconds) / max(elapsed, 0.001) * 100,
                    peakRSSMiB: Double(pair.1.peakRSSBytes) / 1_048_576)
            })
    }

    private func report(phases: [BenchLedgerReport.Phase]) -> BenchLedgerReport {
        BenchLedgerReport(
            command: "facet " + CommandLine.arguments.dropFirst().joined(separator: " "),
            machine: BenchLedgerReport.machine(), validators: validators,
            store: store == "sqlite" ? "sqlite" : "postgres", clients: clients, batch: batch,
            blockMillis: blockMillis,
            maxBlock: maxBlock,
            latencyMethod: "submit (scheduled instant when paced) → first seen in a block of "
                + "the submitting validator by a 5 ms status poller", phases: phases)
    }

    /// Drops and creates validator i's database (`DevnetRun.database`), connecting to the URL's own database.
    private static func recreate(databases: [String], server url: String, progress: BenchLedgerProgress)
        async throws
    {
        let server = try PostgresTarget(url: url)
        let names = try databases.map { try PostgresTarget(url: $0).database }
        _ = try await PostgresLedgerStore.dropDatabases(names, server: server)
        _ = try await PostgresLedgerStore.createMissingDatabases(names, server: server)
        progress.line("PostgreSQL: fresh databases \(names.joined(separator: ", "))")
    }

    private static func drop(databases: [String], server url: String) async throws {
        let names = try databases.map { try PostgresTarget(url: $0).database }
        _ = try await PostgresLedgerStore.dropDatabases(names, server: try PostgresTarget(url: url))
    }
}
