import FacetCore
import FacetLedger
import FacetStore
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

/// Runs a validator node from its configuration: opens the store, opens the node on it, and serves until SIGTERM
/// or SIGINT, then shuts down gracefully and returns (the process then exits 0).
///
/// Metrics go to a Prometheus registry of the node's own, through a swift-metrics factory passed to the node,
/// rather than through `MetricsSystem.bootstrap`, which a process may call only once: a test process runs many
/// nodes, and nothing else in the process reports metrics.
public struct NodeLauncher: Sendable {
    public let config: NodeConfig
    public let genesis: Genesis
    public let validatorKey: SigningKey
    public var clock: any NodeClock
    public var logger: Logger

    public init(
        config: NodeConfig, genesis: Genesis, validatorKey: SigningKey, clock: any NodeClock = SystemNodeClock(),
        logger: Logger = Logger(label: "facet.node")
    ) {
        self.config = config
        self.genesis = genesis
        self.validatorKey = validatorKey
        self.clock = clock
        self.logger = logger
    }

    /// A metrics factory over `registry`, with commit-time buckets fit for a store commit (sub-millisecond up).
    public static func metricsFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[NodeMetrics.storeCommitSeconds] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
        ]
        return factory
    }

    public func run(
        signals: [UnixSignal] = [.sigterm, .sigint], onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try config.validate()
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let location = try StoreLocation(parsing: config.store)
        logger.info(
            "starting node",
            metadata: [
                "ledger.chain_id": "\(genesis.params.chainID.value)", "store.location": "\(location)",
                "node.validator": "\(MemberID(initialKey: validatorKey.publicKey).hex)",
            ])
        var storeLogger = logger
        storeLogger[metadataKey: "node.part"] = "store"
        try await location.withStore(logger: storeLogger) { store in
            let registry = PrometheusCollectorRegistry()
            let node = try await LedgerNode(
                genesis: genesis, store: store, validatorKey: validatorKey,
                mempool: Mempool.Bounds(maxCount: config.mempool.maxTransactions, maxBytes: config.mempool.maxBytes),
                metrics: NodeMetrics(factory: Self.metricsFactory(registry: registry)), logger: logger)
            let limits = BlockProducerService<ContinuousClock>.Limits(
                maxTransactions: config.block.maxTransactions, maxBytes: config.block.maxBytes,
                interval: .milliseconds(config.block.intervalMillis))
            let group = NodeServices.group(
                node: node, registry: registry, clock: clock, listen: config.listen, block: limits, signals: signals,
                logger: logger, onListening: onListening)
            try await group.run()
        }
        logger.info("node stopped")
    }
}
