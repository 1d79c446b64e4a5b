import FacetConsensus
import FacetCore
import FacetLedger
import FacetNode
import FacetPeer
import FacetServer
import FacetStore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// N validators in this process, each with its own `LedgerNode`, SQLite store (in a temporary folder removed at
/// the end), `PeerTransport` on loopback TCP and `ConsensusDriver`, wired as `facet node start` wires them.
/// Signed invoices are submitted round-robin to the validators (each firm always to the same one); reports
/// committed tx/s, finality (submit → committed on the submitting node, and on every validator), blocks/s,
/// transactions per block and the blocks decided after round 0.
package struct BenchConsensusRun: Sendable {
    package var validators: Int = 4
    package var transactions: Int = 20_000
    package var blockMillis: Int = 100
    package var maxBlock: Int = 5_000
    package var rate: Int? = nil
    package var peerPort: Int = 7900
    package var signers: Int = 4
    package var mempool: Int = 50_000
    package var logLevel: Logger.Level = .warning
    package var stallSeconds: Int = 60

    package init() {}

    package func run() async throws {
        let genesisTime = SystemNodeClock().now()
        let consortium = BenchConsortium(
            validators: validators, signersPerValidator: signers,
            genesisTime: Timestamp(uncheckedMillis: genesisTime.millis - 1_000))
        let stream = consortium.invoices(count: transactions)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("facet-bench-consensus-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "facet.bench")
        logger.logLevel = logLevel
        var stores = [SQLiteLedgerStore]()
        let report: String
        do {
            for index in 0..<validators {
                let path = folder.appendingPathComponent("validator-\(index).sqlite").path
                stores.append(try await SQLiteLedgerStore.open(path: path, logger: logger))
            }
            report = try await measure(consortium: consortium, stores: stores, stream: stream, logger: logger)
            for store in stores { try await store.close() }
        } catch {
            for store in stores { try? await store.close() }
            throw error
        }
        print(report)
    }

    /// Opens the validators, runs their consensus services in one service group, drives the stream, then shuts
    /// the group down gracefully (each driver finishes the event in progress, then its transport closes).
    private func measure(
        consortium: BenchConsortium, stores: [SQLiteLedgerStore], stream: [BenchConsortium.Invoice],
        logger: Logger
    ) async throws -> String {
        var nodes = [LedgerNode]()
        var transports = [PeerTransport]()
        var services = [any Service]()
        var drivers = [ConsensusDriver]()
        // One registry for all validators: on a stall, its drop counters say which messages went missing.
        let registry = PrometheusCollectorRegistry()
        for (index, store) in stores.enumerated() {
            let node = try await LedgerNode(
                genesis: consortium.genesis, store: store, validatorKey: consortium.validatorKeys[index],
                mempool: .init(maxCount: mempool, maxBytes: 256 * 1024 * 1024),
                metrics: NodeMetrics(factory: NodeLauncher.metricsFactory(registry: registry)), logger: logger)
            let (transport, driver, service) = wire(
                node: node, index: index, consortium: consortium, logger: logger)
            drivers.append(driver)
            nodes.append(node)
            transports.append(transport)
            services.append(service)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await Self.waitUntilLive(nodes: nodes, transports: transports)
                let report = try await drive(nodes: nodes, drivers: drivers, registry: registry, stream: stream)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return report
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Validator `index`'s transport and consensus service, with the node's default timeouts.
    private func wire(node: LedgerNode, index: Int, consortium: BenchConsortium, logger: Logger) -> (
        PeerTransport, ConsensusDriver, ConsensusService
    ) {
        let ids = consortium.validatorKeys.map { MemberID(initialKey: $0.publicKey) }
        var peers = [MemberID: PeerAddress]()
        var allowed = [MemberID: PublicKey]()
        for (other, key) in consortium.validatorKeys.enumerated() where other != index {
            peers[ids[other]] = PeerAddress(host: "127.0.0.1", port: peerPort + other)
            allowed[ids[other]] = key.publicKey
        }
        let transport = PeerTransport(
            member: ids[index], key: consortium.validatorKeys[index], chainID: consortium.genesis.params.chainID,
            config: PeerConfig(listen: PeerAddress(host: "127.0.0.1", port: peerPort + index), peers: peers),
            allowed: allowed, logger: logger)
        let timeouts = NodeConfig.Consensus.Timeouts()
        let settings = ConsensusSettings(
            timeouts: TimeoutParameters(
                propose: .milliseconds(timeouts.proposeMillis), prevote: .milliseconds(timeouts.prevoteMillis),
                precommit: .milliseconds(timeouts.precommitMillis),
                increment: .milliseconds(timeouts.incrementMillis)),
            maxTransactions: maxBlock, maxBytes: Limits.maxBlockBytes, commitInterval: .milliseconds(blockMillis))
        let driver = ConsensusDriver(
            node: node, link: TransportLink(transport: transport, node: node), key: consortium.validatorKeys[index],
            settings: settings, clock: SystemNodeClock(), logger: logger)
        return (transport, driver, ConsensusService(driver: driver, transport: transport, logger: logger))
    }

    /// Until every validator is connected to every other and each committed a block since (bounded).
    private static func waitUntilLive(nodes: [LedgerNode], transports: [PeerTransport]) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while transports.contains(where: { $0.connectedPeers.count < transports.count - 1 }) {
            guard clock.now < deadline else { throw BenchFailure("the validators did not connect in 30 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        var connectedAt = [UInt64]()
        for node in nodes { connectedAt.append(await node.head.height) }
        print("\(nodes.count) validators connected; waiting for a block…")
        while true {
            var advanced = true
            for (index, node) in nodes.enumerated() {
                if await node.head.height <= connectedAt[index] { advanced = false }
            }
            if advanced { return }
            guard clock.now < deadline else { throw BenchFailure("the validators committed no block in 30 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Submits the stream (one task per validator, paced when `--rate` is set) while one task polls the heads.
    private func drive(
        nodes: [LedgerNode], drivers: [ConsensusDriver], registry: PrometheusCollectorRegistry,
        stream: [BenchConsortium.Invoice]
    )
        async throws -> String
    {
        let clock = ContinuousClock()
        var startHeights = [UInt64]()
        for node in nodes { startHeights.append(await node.head.height) }
        let watch = CommitWatch(nodes: nodes, invoices: stream.map(\.id), startHeights: startHeights)
        let submitted = SubmitInstants(count: stream.count)
        let start = clock.now
        let rate = self.rate
        print(
            "submitting \(stream.count) invoices round-robin to \(nodes.count) validators"
                + (rate.map { " at \($0) tx/s" } ?? " as fast as the pools take them") + "…")
        let watched = try await withThrowingTaskGroup(of: CommitWatch?.self) { group in
            for (validator, node) in nodes.enumerated() {
                group.addTask {
                    for position in stride(from: validator, to: stream.count, by: nodes.count) {
                        if let rate {
                            let due = start + .nanoseconds(Int64(position) * 1_000_000_000 / Int64(rate))
                            if due > clock.now { try await clock.sleep(until: due) }
                        }
                        // Before the first attempt: time waiting for room in a full pool counts as latency.
                        submitted.set(position, clock.now)
                        while try await !BenchNodeRun.submit(stream[position].bytes, to: node) {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                    }
                    return nil
                }
            }
            group.addTask { [stallSeconds, watch] in
                var watch = watch
                try await Self.follow(
                    &watch, drivers: drivers, registry: registry, total: stream.count, start: start,
                    stallSeconds: stallSeconds)
                return watch
            }
            var result: CommitWatch?
            for try await part in group where part != nil { result = part }
            return result
        }
        guard let watch = watched else { preconditionFailure("the watching task returns its watch") }
        return summary(watch: watch, submitted: submitted, start: start, stream: stream)
    }

    /// Polls every millisecond until everything is committed everywhere; a progress line every 2 s.
    private static func follow(
        _ watch: inout CommitWatch, drivers: [ConsensusDriver], registry: PrometheusCollectorRegistry, total: Int,
        start: ContinuousClock.Instant,
        stallSeconds: Int
    ) async throws {
        let clock = ContinuousClock()
        var lastReport = start
        var lastProgress = start
        var lastCommitted = 0
        while !watch.allCommittedEverywhere {
            try await Task.sleep(for: .milliseconds(1))
            let now = clock.now
            if try await watch.poll(now: now) { lastProgress = now }
            guard now - lastProgress < .seconds(stallSeconds) else {
                var states = [String]()
                for driver in drivers {
                    let status = await driver.status()
                    states.append("\(status.mode) h\(status.height) r\(status.round) \(status.step)")
                }
                let counters = registry.emitToString().split(separator: "\n")
                    .filter { $0.hasPrefix("facet_peer_messages") }
                print("validators' peer-message counters (all four summed per label):")
                for line in counters { print("  " + line) }
                throw BenchFailure(
                    "no block for \(stallSeconds) s (heights \(watch.heads), \(watch.committed)/\(total) committed; "
                        + "consensus: \(states.joined(separator: ", ")))"
                )
            }
            if now - lastReport >= .seconds(2) {
                let window = BenchFormat.seconds(now - lastReport)
                let recent = Int(Double(watch.committed - lastCommitted) / window)
                print(
                    "  \(BenchFormat.fixed(BenchFormat.seconds(now - start), 1)) s: heights \(watch.heads), "
                        + "\(watch.committed)/\(total) committed, \(recent) tx/s")
                lastReport = now
                lastCommitted = watch.committed
            }
        }
    }

    private func summary(
        watch: CommitWatch, submitted: SubmitInstants, start: ContinuousClock.Instant,
        stream: [BenchConsortium.Invoice]
    ) -> String {
        var home = [Duration]()
        var everywhere = [Duration]()
        var lastHome = start
        for (position, invoice) in stream.enumerated() {
            let sent = submitted.get(position)
            guard let local = watch.commitInstant(position, on: invoice.validator) else {
                preconditionFailure("every invoice is committed on every node when the watch ends")
            }
            var latest = local
            for node in 0..<validators {
                if let instant = watch.commitInstant(position, on: node) { latest = max(latest, instant) }
            }
            home.append(local - sent)
            everywhere.append(latest - sent)
            lastHome = max(lastHome, local)
        }
        let elapsed = BenchFormat.seconds(lastHome - start)
        let lastHeight = watch.height.compactMap { $0 }.max() ?? watch.startHeight
        let blocks = watch.blocks.filter { $0.height <= lastHeight }
        let nonEmpty = blocks.filter { $0.transactions > 0 }.count
        let laterRounds = blocks.filter { $0.round > 0 }.count
        let refused = watch.refused.values.reduce(0, +)
        let refusals =
            refused == 0
            ? ""
            : " ("
                + watch.refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ") + ")"
        let rows: [(String, String)] = [
            ("validators", "\(validators) in one process · SQLite each · TCP on 127.0.0.1"),
            ("blocks", "every \(blockMillis) ms after a commit, at most \(maxBlock) transactions"),
            ("offered load", rate.map { "\($0) tx/s" } ?? "saturation (as fast as the pools take them)"),
            ("transactions", "\(stream.count) committed, \(refused) refused\(refusals)"),
            ("elapsed", "\(BenchFormat.fixed(elapsed, 2)) s (first submit → last commit on its node)"),
            ("committed tx/s", "\(Int(Double(stream.count) / elapsed))"),
            ("finality (submitting node)", BenchFormat.percentiles(home)),
            ("finality (all validators)", BenchFormat.percentiles(everywhere)),
            (
                "blocks",
                "\(blocks.count) (\(nonEmpty) with transactions), \(BenchFormat.fixed(Double(blocks.count) / elapsed, 1)) blocks/s"
            ),
            (
                "transactions per block",
                "\(BenchFormat.fixed(Double(stream.count) / Double(max(blocks.count, 1)), 1)) mean, "
                    + "\(blocks.map(\.transactions).max() ?? 0) max"
            ),
            ("rounds > 0", "\(laterRounds) of \(blocks.count) blocks decided after a timeout"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "  " + $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
            .joined(separator: "\n")
    }
}
