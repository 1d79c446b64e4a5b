import FacetCore
import FacetLedger
import FacetNode
import FacetServer
import FacetStore
import FacetTestSupport
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// A node on a temporary SQLite store, with its real API (and, when asked, its block producer) serving on
/// 127.0.0.1 at a free port, in a service group like the one `facet node start` runs. Tests drive it with
/// `HTTPTestClient` and sign requests as the fixture's actors.
struct APITestNode: Sendable {
    let node: LedgerNode
    let store: any LedgerStore
    let client: HTTPTestClient
    let clock: ManualNodeClock
    let chainID: Label
    /// Credit serving beside the node, when the test gave a library.
    var credit: CreditServing? = nil

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "facet-api-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        ).path
    }

    static func removeStore(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A quiet logger: tests read answers, not logs.
    static var logger: Logger {
        var logger = Logger(label: "facet.test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` against a node of `fixture`'s one-validator chain, then shuts the group down gracefully.
    static func with<T: Sendable>(
        _ fixture: LedgerFixture, mempool: Mempool.Bounds = Mempool.Bounds(maxCount: 1_000, maxBytes: 1 << 24),
        producer: BlockProducerService<ContinuousClock>.Limits? = nil,
        wrapStore: @Sendable (any LedgerStore) -> any LedgerStore = { $0 }, credit: CreditLibrary? = nil,
        prepare: (any LedgerStore) async throws -> Void = { _ in },
        _ body: @Sendable (APITestNode) async throws -> T
    ) async throws -> T {
        let path = temporaryPath()
        defer { removeStore(at: path) }
        let store = wrapStore(try await SQLiteLedgerStore.open(path: path))
        try await prepare(store)
        let registry = PrometheusCollectorRegistry()
        let node = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: fixture.actor("v1").key, mempool: mempool,
            metrics: NodeMetrics(factory: NodeLauncher.metricsFactory(registry: registry)), logger: logger)
        let clock = ManualNodeClock(Timestamp(uncheckedMillis: fixture.genesis.time.millis + 60_000))
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let serving = credit.map { CreditServing(library: $0, genesis: fixture.genesis) }
        let group = NodeServices.group(
            node: node, registry: registry, clock: clock, listen: NodeConfig.Listen(host: "127.0.0.1", port: 0),
            block: producer, credit: serving, signals: [], logger: logger, onListening: { portSink.yield($0) })
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw HTTPTestClient.ClientError(description: "no port") }
            let harness = APITestNode(
                node: node, store: store, client: HTTPTestClient(port: port), clock: clock,
                chainID: fixture.genesis.params.chainID, credit: serving)
            let result: T
            do {
                result = try await body(harness)
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    /// Submits signed transactions over HTTP, expecting 202 for each.
    func submit(_ transactions: [Transaction]) async throws -> [HTTPTestClient.Response] {
        var responses = [HTTPTestClient.Response]()
        for transaction in transactions {
            responses.append(
                try await client.post(
                    "/v1/transactions", json: #"{"transaction":"\#(Hex.encode(transaction.canonicalBytes))"}"#))
        }
        return responses
    }

    /// Commits what is queued as one block at the node clock's time, then moves the clock a second on.
    @discardableResult
    func commitBlock() async throws -> BlockHeader? {
        let header = try await node.produceBlock(time: clock.now(), maxTransactions: 10_000, maxBytes: 1 << 24)
        clock.advance(millis: 1_000)
        return header
    }

    /// `GET target` signed by `actor` at the node's time (or `time`), with the request target as signed, for this
    /// node (or `forNode`) with a fresh nonce (or `nonce`).
    func signedGet(
        _ target: String, as actor: Actor, time: Int64? = nil, key: SigningKey? = nil, forNode: MemberID? = nil,
        nonce: [UInt8]? = nil
    ) async throws -> HTTPTestClient.Response {
        let signed = signedRead(target, as: actor, time: time, key: key, forNode: forNode, nonce: nonce)
        return try await client.get(target, headers: [("Authorization", signed.headerValue)])
    }

    /// The header `signedGet` sends.
    func signedRead(
        _ target: String, as actor: Actor, time: Int64? = nil, key: SigningKey? = nil, forNode: MemberID? = nil,
        nonce: [UInt8]? = nil
    ) -> SignedRead {
        SignedRead.sign(
            method: "GET", target: target, time: time ?? clock.now().millis, member: actor.id, key: key ?? actor.key,
            chainID: chainID, node: forNode ?? node.validatorID,
            nonce: nonce ?? (0..<SignedRead.nonceBytes).map { _ in UInt8.random(in: 0...255) })
    }
}
