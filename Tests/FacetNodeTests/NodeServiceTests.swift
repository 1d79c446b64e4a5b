import FacetCore
import FacetLedger
import FacetNode
import FacetServer
import FacetStore
import FacetTestSupport
import Foundation
import Prometheus
import ServiceLifecycle
import Testing

/// The node's services: the block producer on its interval, and graceful shutdown in the service group.
@Suite struct NodeServiceTests {
    static let fastBlocks = BlockProducerService<ContinuousClock>.Limits(
        maxTransactions: 100, maxBytes: 1 << 20, interval: .milliseconds(20))

    /// Polls a transaction, as its signer `actor` on the node `node`, until it leaves the mempool (10 s at most).
    static func awaitCommitted(
        _ id: TransactionID, _ client: HTTPTestClient, as actor: Actor, node: MemberID, chainID: Label,
        time: () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) async throws -> HTTPTestClient.Response {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            // The deadline is read before the poll, so a task kept asleep past it by a loaded machine looks once more.
            let late = ContinuousClock.now >= deadline
            let target = "/v1/transactions/\(id.hex)"
            var random = SystemRandomNumberGenerator()
            let signed = SignedRead.signForNode(
                target: target, time: time(), member: actor.id, key: actor.key, chainID: chainID, node: node,
                nonceFrom: &random)
            let response = try await client.get(target, headers: [("Authorization", signed.headerValue)])
            if response.object["status"] as? String != "pending" { return response }
            if late { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HTTPTestClient.ClientError(description: "transaction \(id.hex) was not committed within 10 s")
    }

    @Test func theProducerCommitsQueuedTransactionsOnItsInterval() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture, producer: Self.fastBlocks) { node in
            var f = fixture
            let piece = f.sign(
                "firmA",
                .registerPiece(.init(card: IdentityCard(category: .gold, weight: 9, fineness: 999), certificate: nil)))
            #expect(try await node.submit([piece]).first?.status == 202)
            let committed = try await Self.awaitCommitted(
                piece.id, node.client, as: f.actor("firmA"), node: node.node.validatorID, chainID: node.chainID,
                time: { node.clock.now().millis })
            #expect(committed.object["status"] as? String == "committed" && committed.object["height"] as? Int == 1)
            let metrics = try await node.client.get("/metrics").text
            let lines = metrics.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("facet_blocks_total ") && Double($0.split(separator: " ")[1]) == 1 })
            #expect(lines.contains { $0.hasPrefix("facet_height ") && Double($0.split(separator: " ")[1]) == 1 })
        }
    }

    /// Shutdown arrives while a commit is in flight: the commit finishes, the block is durable, and the store closes
    /// only afterwards.
    @Test func gracefulShutdownFinishesTheBlockInFlightThenClosesTheStore() async throws {
        let fixture = LedgerFixture(validators: 1)
        let path = APITestNode.temporaryPath()
        defer { APITestNode.removeStore(at: path) }
        let sqlite = try await SQLiteLedgerStore.open(path: path)
        let store = GatedStore(sqlite)
        let node = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: fixture.actor("v1").key,
            mempool: Mempool.Bounds(maxCount: 100, maxBytes: 1 << 20), logger: APITestNode.logger)
        var f = fixture
        let consent = f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
        _ = try await node.submit(consent.canonicalBytes)
        let group = NodeServices.group(
            node: node, registry: PrometheusCollectorRegistry(), clock: ManualNodeClock(fixture.genesis.time),
            listen: NodeConfig.Listen(host: "127.0.0.1", port: 0), block: Self.fastBlocks, signals: [],
            logger: APITestNode.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var started = store.commitsStarted.makeAsyncIterator()
            #expect(await started.next() == 1)
            await group.triggerGracefulShutdown()
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await sqlite.head() == nil, "the gate still holds the commit")
            store.release()
            try await tasks.waitForAll()
        }
        await #expect(throws: StoreError.self, "the group closed the store") { try await sqlite.head() }
        let reopened = try await SQLiteLedgerStore.open(path: path)
        #expect(try await reopened.head()?.height == 1)
        #expect(try await reopened.transaction(consent.id)?.result.accepted == true)
        try await reopened.close()
    }

    /// What was queued when shutdown came is committed before the store closes: a 202 is not lost by a clean stop.
    @Test func gracefulShutdownCommitsWhatIsQueued() async throws {
        let fixture = LedgerFixture(validators: 1)
        let path = APITestNode.temporaryPath()
        defer { APITestNode.removeStore(at: path) }
        let store = try await SQLiteLedgerStore.open(path: path)
        let node = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: fixture.actor("v1").key,
            mempool: Mempool.Bounds(maxCount: 100, maxBytes: 1 << 20), logger: APITestNode.logger)
        var f = fixture
        let card = IdentityCard(category: .gold, weight: 5, fineness: 999)
        let queued = (0..<5).map { _ in f.sign("firmB", .registerPiece(.init(card: card, certificate: nil))) }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let group = NodeServices.group(
            node: node, registry: PrometheusCollectorRegistry(), clock: ManualNodeClock(fixture.genesis.time),
            listen: NodeConfig.Listen(host: "127.0.0.1", port: 0),
            block: .init(maxTransactions: 2, maxBytes: 1 << 20, interval: .seconds(3_600)), signals: [],
            logger: APITestNode.logger, onListening: { portSink.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let api = APITestNode(
                node: node, store: store, client: HTTPTestClient(port: port),
                clock: ManualNodeClock(fixture.genesis.time),
                chainID: fixture.genesis.params.chainID)
            #expect(try await api.submit(queued).map(\.status) == Array(repeating: 202, count: 5))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let reopened = try await SQLiteLedgerStore.open(path: path)
        #expect(try await reopened.head()?.height == 3, "five transactions in blocks of at most two")
        for transaction in queued {
            #expect(try await reopened.transaction(transaction.id)?.result.accepted == true)
        }
        try await reopened.close()
    }

    /// Cancelling the group (a hard stop) still closes the store.
    @Test func cancellingTheGroupClosesTheStore() async throws {
        let fixture = LedgerFixture(validators: 1)
        let path = APITestNode.temporaryPath()
        defer { APITestNode.removeStore(at: path) }
        let store = try await SQLiteLedgerStore.open(path: path)
        let node = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: fixture.actor("v1").key, mempool: Mempool.Bounds(),
            logger: APITestNode.logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let group = NodeServices.group(
            node: node, registry: PrometheusCollectorRegistry(), clock: SystemNodeClock(),
            listen: NodeConfig.Listen(host: "127.0.0.1", port: 0), block: Self.fastBlocks, signals: [],
            logger: APITestNode.logger, onListening: { portSink.yield($0) })
        await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            _ = await iterator.next()
            tasks.cancelAll()
            try? await tasks.waitForAll()
        }
        await #expect(throws: StoreError.self) { try await store.head() }
    }
}
