import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
@testable import FacetServer
import FacetStore
import FacetTestSupport
import Foundation
import Logging
import Prometheus
import Testing

@testable import FacetNode

/// Short timeouts and a fast pace, so an in-process network commits several blocks a second in a debug build.
let networkSettings = ConsensusSettings(
    timeouts: TimeoutParameters(
        propose: .milliseconds(600), prevote: .milliseconds(300), precommit: .milliseconds(300),
        increment: .milliseconds(150)),
    time: BlockTimeBounds(maxDriftMillis: 5_000), commitInterval: .milliseconds(80),
    statusInterval: .milliseconds(250), gossipInterval: .milliseconds(10), syncTimeout: .seconds(1))

/// The frame limit of the honest validators in these tests: small, so an oversized frame is cheap to send.
let networkMaxFrameBytes = 1 << 20

struct TestTimeout: Error, CustomStringConvertible {
    let description: String
}

/// Polls `condition` every 20 ms; throws (failing the test, never hanging it) when it does not hold within `limit`.
func waitUntil(
    _ what: String, within limit: Duration = .seconds(60), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    // A loaded machine can keep this task asleep past the deadline: look once more before failing.
    if try await condition() { return }
    throw TestTimeout(description: "timed out after \(limit) waiting for: \(what)")
}

func peerConfig(port: Int, maxFrameBytes: Int = networkMaxFrameBytes) -> PeerConfig {
    PeerConfig(
        listen: PeerAddress(host: "127.0.0.1", port: port), maxFrameBytes: maxFrameBytes,
        handshakeTimeout: .seconds(2), connectTimeout: .seconds(1),
        backoff: PeerBackoff(initial: .milliseconds(50), maximum: .milliseconds(300)))
}

/// The keys every validator of `fixture`'s genesis must prove to connect.
func allowList(_ fixture: LedgerFixture) -> [MemberID: PublicKey] {
    var allowed = [MemberID: PublicKey]()
    for validator in fixture.genesis.validatorSet.validators { allowed[validator.member] = validator.publicKey }
    return allowed
}

/// One validator of an in-process network, as `facet node start` builds it: its own SQLite store, ledger node and
/// Prometheus registry, a real `PeerTransport` on 127.0.0.1 and a `ConsensusDriver`, run by a `ConsensusService` in
/// a task the test cancels to stop it.
struct NetworkValidator: Sendable {
    let name: String
    let key: SigningKey
    let path: String
    let safety: SafetyLog
    let store: any LedgerStore
    let node: LedgerNode
    let registry: PrometheusCollectorRegistry
    let transport: PeerTransport
    let driver: ConsensusDriver
    let task: Task<Void, any Error>

    var member: MemberID { transport.member }

    /// Opens (or reopens) the store at `path` and starts the service; returns once the transport listens.
    static func start(
        _ name: String, fixture: LedgerFixture, path: String, port: Int = 0, safety: SafetyLog = SafetyLog(),
        settings: ConsensusSettings = networkSettings
    ) async throws -> NetworkValidator {
        let key = fixture.actor(name).key
        let logger = Self.logger(name)
        let store = SafetyRecordingStore(try await SQLiteLedgerStore.open(path: path, logger: logger), log: safety)
        let registry = PrometheusCollectorRegistry()
        let factory = NodeLauncher.metricsFactory(registry: registry)
        let node = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: key,
            mempool: Mempool.Bounds(maxCount: 10_000, maxBytes: 1 << 24), metrics: NodeMetrics(factory: factory),
            logger: logger)
        let transport = PeerTransport(
            member: MemberID(initialKey: key.publicKey), key: key, chainID: fixture.genesis.params.chainID,
            config: peerConfig(port: port), allowed: allowList(fixture), metricsFactory: factory, logger: logger)
        let driver = ConsensusDriver(
            node: node, link: TransportLink(transport: transport, node: node), key: key, settings: settings,
            clock: SystemNodeClock(), logger: logger)
        let service = ConsensusService(driver: driver, transport: transport, logger: logger)
        let task = Task { try await service.run() }
        let validator = NetworkValidator(
            name: name, key: key, path: path, safety: safety, store: store, node: node, registry: registry,
            transport: transport, driver: driver, task: task)
        try await waitUntil("\(name) listens") { transport.localAddress != nil }
        return validator
    }

    /// Quiet unless `FACET_TEST_LOG` names a level (then each line says which validator wrote it).
    static func logger(_ name: String) -> Logger {
        var logger = Logger(label: "facet.test.\(name)")
        logger.logLevel =
            ProcessInfo.processInfo.environment["FACET_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        return logger
    }

    var address: PeerAddress {
        guard let address = transport.localAddress else { preconditionFailure("\(name) is not listening") }
        return address
    }

    /// Cancels the service (the driver stops, the transport closes) and closes the store.
    func stop() async {
        task.cancel()
        _ = await task.result
        try? await store.close()
    }

    var height: UInt64 {
        get async { await node.head.height }
    }

    /// The value of one series in the text exposition (`name` or `name{labels}`), 0 when absent.
    func metric(_ name: String, _ labels: String? = nil) -> Double {
        metricValue(registry, name, labels)
    }

    /// The total of every series of `name`, whatever its labels.
    func metricTotal(_ name: String) -> Double {
        var total = 0.0
        for line in registry.emitToString().split(separator: "\n") where line.hasPrefix(name + "{") {
            guard let space = line.lastIndex(of: " ") else { continue }
            total += Double(line[line.index(after: space)...]) ?? .nan
        }
        return total
    }

    func dropped(_ reason: String) -> Double {
        metric(NodeMetrics.peerMessagesDroppedTotal, #"reason="\#(reason)""#)
    }
}

/// Tells every transport where the others listen (the lower member id of each pair dials).
func connect(_ transports: [PeerTransport]) {
    var addresses = [MemberID: PeerAddress]()
    for transport in transports {
        guard let address = transport.localAddress else { preconditionFailure("a transport is not listening") }
        addresses[transport.member] = address
    }
    for transport in transports { transport.updatePeers(addresses) }
}

/// Runs `body`, then stops every validator it started (and `raw`) and removes the stores, whatever the outcome.
func withNetwork<T>(
    _ paths: [String], raw: RawValidator? = nil, _ body: (inout [NetworkValidator]) async throws -> T
) async throws -> T {
    var validators = [NetworkValidator]()
    defer { for path in paths { APITestNode.removeStore(at: path) } }
    let result: Result<T, any Error>
    do {
        result = .success(try await body(&validators))
    } catch {
        result = .failure(error)
    }
    for validator in validators { await validator.stop() }
    await raw?.stop()
    return try result.get()
}

/// Waits until every validator's head is at least `height`.
func waitForHeight(_ height: UInt64, _ validators: [NetworkValidator], within limit: Duration = .seconds(60))
    async throws
{
    try await waitUntil("every validator reaches height \(height)", within: limit) {
        for validator in validators where await validator.height < height { return false }
        return true
    }
}

/// Checks that every validator committed the same block, with the same state root, at every height all have.
func expectSameChain(_ validators: [NetworkValidator], sourceLocation: SourceLocation = #_sourceLocation)
    async throws -> UInt64
{
    var common = UInt64.max
    for validator in validators { common = min(common, await validator.height) }
    for height in stride(from: UInt64(1), through: common, by: 1) {
        var headers = [BlockHeader]()
        for validator in validators {
            let block = try #require(
                try await validator.store.block(at: height), "\(validator.name) has block \(height)",
                sourceLocation: sourceLocation)
            headers.append(block.header)
        }
        #expect(Set(headers.map(\.id)).count == 1, "one block id at height \(height)", sourceLocation: sourceLocation)
        #expect(
            Set(headers.map(\.stateRoot)).count == 1, "one state root at height \(height)",
            sourceLocation: sourceLocation)
    }
    return common
}

/// The value of one series of `registry`'s text exposition (`name` or `name{labels}`), 0 when absent.
func metricValue(_ registry: PrometheusCollectorRegistry, _ name: String, _ labels: String? = nil) -> Double {
    let series = labels.map { "\(name){\($0)}" } ?? name
    for line in registry.emitToString().split(separator: "\n") {
        guard let space = line.lastIndex(of: " "), line[..<space] == series else { continue }
        return Double(line[line.index(after: space)...]) ?? .nan
    }
    return 0
}
