import FacetAPI
import FacetDashboard
import FacetNode
import FacetStore
import Hummingbird
import Logging
import NIOSSL
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The node's one service group, in start-up order: the store (last to stop, so it closes after everything that
/// uses it), the block producer (one validator) or consensus (several), then the HTTP API (first to stop: no new request reaches a node shutting down).
/// On SIGTERM or SIGINT the group shuts down gracefully in reverse order: the API finishes the requests in flight,
/// the producer finishes its block and commits what is queued, then the store closes.
public enum NodeServices {
    /// How long a graceful shutdown may take before what is left is cancelled.
    public static let maximumGracefulShutdown = Duration.seconds(60)

    public static func group(
        node: LedgerNode, registry: PrometheusCollectorRegistry, clock: any NodeClock, listen: NodeConfig.Listen,
        block: BlockProducerService<ContinuousClock>.Limits?, consensus: ConsensusService? = nil,
        credit: CreditServing? = nil, tls: TLSConfiguration? = nil, signals: [UnixSignal] = [.sigterm, .sigint],
        logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        var apiLogger = logger
        apiLogger[metadataKey: "node.part"] = "api"
        var api = NodeAPI(node: node, clock: clock, registry: registry, credit: credit, logger: apiLogger)
        api.servesTLS = tls != nil
        let application = api.application(
            host: listen.host, port: listen.port, tls: tls, routes: { api.addDashboardRoutes($0) }
        ) { port in
            logger.info(
                "listening",
                metadata: [
                    "http.address": "\(NodeConfig.Listen(host: listen.host, port: port))",
                    "http.scheme": "\(tls == nil ? "http" : "https")",
                ])
            await onListening(port)
        }
        var services: [any Service] = [StoreService(store: node.store, logger: logger)]
        if let block {
            services.append(
                BlockProducerService(
                    node: node, limits: block, clock: clock, sleeper: ContinuousClock(), logger: logger))
        }
        if let consensus { services.append(consensus) }
        if let credit { services.append(CreditService(node: node, credit: credit, logger: logger)) }
        services.append(application)
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: signals, logger: logger)
        // A graceful shutdown that has not ended in this time is escalated to cancellation: a last resort. Requests
        // waiting on a database that went away end by the store's lease timeout (15 s), and the producer must have
        // time to commit what it queued (a 10 s limit cut that short on a loaded CI).
        configuration.maximumGracefulShutdownDuration = Self.maximumGracefulShutdown
        // The lifecycle's log keys in the node's dotted style.
        configuration.logging.keys.signalKey = "service.signal"
        configuration.logging.keys.gracefulShutdownSignalsKey = "service.graceful_shutdown_signals"
        configuration.logging.keys.cancellationSignalsKey = "service.cancellation_signals"
        configuration.logging.keys.serviceKey = "service.name"
        configuration.logging.keys.servicesKey = "service.names"
        configuration.logging.keys.errorKey = "service.error"
        return ServiceGroup(configuration: configuration)
    }
}
