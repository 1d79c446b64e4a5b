import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Prometheus

/// The node's HTTP API (`contracts/openapi.yaml`): the routes, each a thin handler that parses its input, asks the
/// node or its store, and answers JSON. Every refusal is `{ "code", "message" }` in its HTTP class; the error
/// middleware wraps every route (and the not-found fallback) so nothing, however malformed, yields a 500.
public struct NodeAPI: Sendable {
    public let node: LedgerNode
    public let clock: any NodeClock
    /// The registry `/metrics` exposes; the node's metrics were made through a factory over it.
    public let registry: PrometheusCollectorRegistry
    /// Credit serving (its library: the models, products and policies credit is decided with); nil for a node
    /// serving no credit.
    public let credit: CreditServing?
    /// True when the API is served over HTTPS: the dashboard's session cookie is then `Secure` (never sent over a
    /// plain connection).
    public var servesTLS = false
    let logger: Logger
    /// The signed reads this node has answered while fresh: each is answered once (`ReplayGuard`).
    let replays: ReplayGuard

    /// The largest body accepted: a transaction of the largest size, hex-encoded, plus room for the JSON around it.
    public static let maxBodyBytes = 2 * Limits.maxTransactionBytes + 1024
    /// The most transactions one `POST /v1/transactions/batch` carries, and the largest such body (4 MiB: a
    /// thousand transactions of typical size, hex-encoded; larger ones fit fewer to a batch).
    public static let maxBatchTransactions = 1_000
    public static let maxBatchBodyBytes = 4 * 1024 * 1024

    public init(
        node: LedgerNode, clock: any NodeClock, registry: PrometheusCollectorRegistry, credit: CreditServing? = nil,
        logger: Logger
    ) {
        self.node = node
        self.clock = clock
        self.registry = registry
        self.credit = credit
        self.logger = logger
        self.replays = ReplayGuard()
    }

    /// The authenticator of a request arriving now.
    func authenticator() -> RequestAuthenticator {
        RequestAuthenticator(node: node, now: clock.now(), replays: replays)
    }

    /// Every route of the API, behind the error middleware; `adding` registers more (the dashboard's pages, which
    /// the launcher assembles in: this module does not know them).
    public func router(adding more: (Router<BasicRequestContext>) -> Void = { _ in }) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: APIErrorMiddleware(logger: logger, metrics: node.metrics))
        addChainRoutes(router)
        addGenesisRoutes(router)
        addRegistryRoutes(router)
        addPrivateRoutes(router)
        addAccessLogRoutes(router)
        addCreditRoutes(router)
        more(router)
        return router
    }

    /// Open connections at most; past it the server stops accepting until one closes (the kernel's backlog queues).
    public static let maxConnections = 1_024

    /// The API as a service listening on `host:port` (port 0 picks a free one). `onListening` receives the bound
    /// port once the socket accepts connections. Headers are bounded, and an idle connection is closed after a
    /// minute, so neither slow clients nor a graceful shutdown wait on forgotten keep-alive connections. With `tls`
    /// (`NodeConfig.apiTLSConfiguration`, already checked) it serves HTTPS only.
    public func application(
        host: String, port: Int, tls: TLSConfiguration? = nil,
        routes more: (Router<BasicRequestContext>) -> Void = { _ in },
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let http = HTTP1Channel.Configuration(
            idleTimeout: .seconds(60),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 64 * 1024, maxHeaderFieldCount: 100))
        var server = HTTPServerBuilder.http1(configuration: http)
        if let tls {
            do {
                server = try .tls(server, tlsConfiguration: tls)
            } catch {
                preconditionFailure(
                    "a TLS configuration checked when the node's configuration was read failed: \(error)")
            }
        }
        return Application(
            router: router(adding: more),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(NodeAPI.maxConnections, logger: logger)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Runs a store read, mapping a store failure to 503 with the store's code.
    package func read<T>(_ body: () async throws(StoreError) -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            logger.warning("store read failed", metadata: ["store.error": "\(error)"])
            throw APIError(NodeError(store: error))
        }
    }
}
