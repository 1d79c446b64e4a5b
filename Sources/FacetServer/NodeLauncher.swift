import FacetConsensus
import FacetCore
import FacetLedger
import FacetNode
import FacetPeer
import FacetStore
import FacetTLS
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
        let credit = try config.credit.map(CreditLibrary.load).map { CreditServing(library: $0, genesis: genesis) }
        let tls = try config.apiTLSConfiguration()
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
            let factory = Self.metricsFactory(registry: registry)
            if config.stateSync.join, let consensus = config.consensus {
                try await joinByStateSync(store: store, consensus: consensus, factory: factory)
            }
            let node = try await openNode(store: store, factory: factory)
            let group: ServiceGroup
            if let consensus = config.consensus {
                let service = try await consensusService(node: node, consensus: consensus, factory: factory)
                group = NodeServices.group(
                    node: node, registry: registry, clock: clock, listen: config.listen, block: nil,
                    consensus: service, credit: credit, tls: tls, signals: signals, logger: logger,
                    onListening: onListening)
            } else {
                let validators = await node.validators(at: await node.head.height + 1)
                // Committing alone is only final when this node is the whole validator set.
                guard validators.count == 1 else {
                    throw NodeError(
                        .needsConsensus,
                        "this chain has \(validators.count) validators: configure `consensus` (its peers) to run one")
                }
                let limits = BlockProducerService<ContinuousClock>.Limits(
                    maxTransactions: config.block.maxTransactions, maxBytes: config.block.maxBytes,
                    interval: .milliseconds(config.block.intervalMillis))
                group = NodeServices.group(
                    node: node, registry: registry, clock: clock, listen: config.listen, block: limits,
                    credit: credit, tls: tls, signals: signals, logger: logger, onListening: onListening)
            }
            try await group.run()
        }
        logger.info("node stopped")
    }

    /// The node over an open store, with the configured mempool bounds.
    /// Its metrics include the mempool's bounds and the expiry of every certificate file the configuration names.
    public func openNode(store: any LedgerStore, factory: PrometheusMetricsFactory) async throws -> LedgerNode {
        let metrics = NodeMetrics(factory: factory)
        metrics.mempoolLimits(maxCount: config.mempool.maxTransactions, maxBytes: config.mempool.maxBytes)
        for (use, path) in certificateFiles {
            // TLS itself checked the files already; one this parser cannot read costs the metric, not the node.
            do {
                let expiry = try TLSFiles.expiry(ofCertificates: path)
                metrics.certificateExpiry(use, unixSeconds: Int64(expiry.timeIntervalSince1970))
            } catch {
                logger.warning("no expiry metric for \(use) certificates", metadata: ["tls.error": "\(error)"])
            }
        }
        return try await LedgerNode(
            genesis: genesis, store: store, validatorKey: validatorKey,
            keyring: ValidatorKeyring(memberKey: validatorKey, dataDirectory: config.dataDirectory),
            mempool: Mempool.Bounds(
                maxCount: config.mempool.maxTransactions, maxBytes: config.mempool.maxBytes,
                maxPerSigner: config.mempool.maxPerSigner),
            metrics: metrics, logger: logger)
    }

    /// The certificate files the node serves or trusts, by the `certificate` label of their expiry metric.
    var certificateFiles: [(String, String)] {
        var files = [(String, String)]()
        if let tls = config.tls { files.append(("api", tls.certificateChain)) }
        if let tls = config.consensus?.tls {
            files.append(("peer", tls.certificateChain))
            files.append(("peer_ca", tls.trustRoots))
        }
        return files
    }

    /// The peer transport and the consensus driver of a validator among several, as configured; `adjust` may
    /// change the settings first (`facet devnet` paces its history with it).
    public func consensusService(
        node: LedgerNode, consensus: NodeConfig.Consensus, factory: PrometheusMetricsFactory,
        adjust: (inout ConsensusSettings) -> Void = { _ in }
    ) async throws -> ConsensusService {
        let peers = try consensus.peerAddresses()
        let next = await node.head.height + 1
        let allowed = await node.peerKeys(for: [await node.validators(at: next), await node.validators(at: next + 1)])
        node.metrics.configuredPeers(peers.count)
        var peerLogger = logger
        peerLogger[metadataKey: "node.part"] = "peer"
        let transport = PeerTransport(
            member: node.validatorID, key: validatorKey, chainID: genesis.params.chainID,
            config: try Self.peerConfig(consensus),
            allowed: allowed, metricsFactory: factory, logger: peerLogger)
        let timeouts = consensus.timeouts
        var settings = ConsensusSettings(
            timeouts: TimeoutParameters(
                propose: .milliseconds(timeouts.proposeMillis), prevote: .milliseconds(timeouts.prevoteMillis),
                precommit: .milliseconds(timeouts.precommitMillis), increment: .milliseconds(timeouts.incrementMillis)),
            time: BlockTimeBounds(maxDriftMillis: Int64(consensus.maxClockDriftMillis)),
            maxTransactions: config.block.maxTransactions, maxBytes: config.block.maxBytes,
            commitInterval: .milliseconds(config.block.intervalMillis),
            emptyBlockInterval: consensus.emptyBlockIntervalMillis > 0
                ? .milliseconds(consensus.emptyBlockIntervalMillis) : nil)
        settings.snapshotInterval = config.stateSync.snapshotInterval
        settings.snapshotsKept = config.stateSync.snapshotsKept
        settings.snapshotChunkBytes = config.stateSync.chunkBytes
        adjust(&settings)
        let driver = ConsensusDriver(
            node: node, link: TransportLink(transport: transport, node: node), key: validatorKey, settings: settings,
            clock: clock, logger: logger)
        return ConsensusService(driver: driver, transport: transport, logger: peerLogger)
    }

    /// State sync before the node opens, when the store holds no block: a peer transport on the consensus address,
    /// open to the genesis validators, runs `StateSync` until the store holds a certified snapshot; consensus then
    /// starts on it and block-syncs from the snapshot's height. A store that holds blocks is left as it is.
    func joinByStateSync(store: any LedgerStore, consensus: NodeConfig.Consensus, factory: PrometheusMetricsFactory)
        async throws
    {
        try await store.migrate()
        if let head = try await store.head() {
            logger.info("the store holds blocks; state sync skipped", metadata: ["ledger.height": "\(head.height)"])
            return
        }
        var allowed = [MemberID: PublicKey]()
        for validator in genesis.validatorSet.validators { allowed[validator.member] = validator.publicKey }
        var syncLogger = logger
        syncLogger[metadataKey: "node.part"] = "state-sync"
        let transport = PeerTransport(
            member: MemberID(initialKey: validatorKey.publicKey), key: validatorKey, chainID: genesis.params.chainID,
            config: try Self.peerConfig(consensus),
            allowed: allowed, metricsFactory: factory, logger: syncLogger)
        try await transport.start()
        let sync = StateSync(
            genesis: genesis, store: store, staging: SnapshotStaging(dataDirectory: config.dataDirectory),
            trust: StateSync.trust(genesis: genesis, trustedBlock: try config.stateSync.trustedBlock()),
            settings: StateSyncMachine.Settings(requestTimeout: .milliseconds(config.stateSync.requestTimeoutMillis)),
            logger: syncLogger)
        do {
            let report = try await sync.run(over: transport)
            logger.info(
                "joined by state sync",
                metadata: [
                    "ledger.height": "\(report.manifest.height)", "snapshot.resumed": "\(report.resumedChunks)",
                    "snapshot.fetched": "\(report.fetchedChunks)",
                ])
        } catch {
            await transport.stop()
            throw error
        }
        await transport.stop()
    }

    /// The peer transport's configuration: the consensus address, the peers' addresses and TLS.
    static func peerConfig(_ consensus: NodeConfig.Consensus) throws -> PeerConfig {
        PeerConfig(
            listen: PeerAddress(host: consensus.listen.host, port: consensus.listen.port),
            peers: try consensus.peerAddresses().mapValues { PeerAddress(host: $0.host, port: $0.port) },
            tls: consensus.tls.map {
                PeerTLSConfig(
                    certificateChainPath: $0.certificateChain, privateKeyPath: $0.privateKey,
                    trustRootsPath: $0.trustRoots)
            })
    }
}
