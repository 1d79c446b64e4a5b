import FacetCore
import FacetPeer
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Fails the test (instead of hanging) when `condition` does not hold within `seconds`.
func eventually(
    _ what: String,
    within seconds: Double = 30,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    // A loaded machine can keep this task asleep past the deadline: look once more before failing.
    if condition() { return }
    Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
    throw TimedOut()
}

struct TimedOut: Error {}

/// For a test's `catch` (which exists so the transports are always stopped): a timeout was already recorded by
/// `eventually`; anything else is recorded here, so no error is swallowed.
func reportUnexpected(_ error: any Error, sourceLocation: SourceLocation = #_sourceLocation) {
    guard !(error is TimedOut) else { return }
    Issue.record(error, sourceLocation: sourceLocation)
}

let testChain = try! Label("facet-test")

/// A validator's key and id.
struct TestValidator: Sendable {
    let key: SigningKey
    var member: MemberID { MemberID(initialKey: key.publicKey) }
    var publicKey: PublicKey { key.publicKey }

    /// `count` fresh validators in ascending member-id order (so the first dials the others).
    static func make(_ count: Int) -> [TestValidator] {
        (0..<count).map { _ in TestValidator(key: .generate()) }.sorted { $0.member < $1.member }
    }
}

/// The messages a transport delivered, collected by a task that drains its `inbound` stream (which finishes
/// when the transport stops, ending the task).
final class Inbox: Sendable {
    private let received: ReceivedSink
    private let task: Task<Void, Never>

    init(_ transport: PeerTransport) {
        let sink = ReceivedSink()
        let stream = transport.inbound
        received = sink
        task = Task { for await message in stream { sink.append(message) } }
    }

    var messages: [PeerMessage] { received.messages }

    func payloads(from member: MemberID) -> [[UInt8]] {
        messages.filter { $0.from == member }.map(\.payload)
    }

    deinit { task.cancel() }
}

final class ReceivedSink: Sendable {
    private let received = Mutex<[PeerMessage]>([])
    func append(_ message: PeerMessage) { received.withLock { $0.append(message) } }
    var messages: [PeerMessage] { received.withLock { $0 } }
}

/// A transport for a test: listening on 127.0.0.1 (an ephemeral port unless given), with its own metrics.
struct TestNode: Sendable {
    let validator: TestValidator
    let transport: PeerTransport
    let metrics: TestMetrics
    let inbox: Inbox

    var member: MemberID { validator.member }

    static func make(
        _ validator: TestValidator,
        allowed: [TestValidator],
        chain: Label = testChain,
        port: Int = 0,
        peers: [MemberID: PeerAddress] = [:],
        tls: PeerTLSConfig? = nil,
        tune: (inout PeerConfig) -> Void = { _ in }
    ) -> TestNode {
        var config = PeerConfig(
            listen: PeerAddress(host: "127.0.0.1", port: port),
            peers: peers,
            handshakeTimeout: .seconds(2),
            connectTimeout: .seconds(1),
            backoff: PeerBackoff(initial: .milliseconds(50), maximum: .milliseconds(400)),
            tls: tls
        )
        tune(&config)
        let metrics = TestMetrics()
        var allowList: [MemberID: PublicKey] = [:]
        for peer in allowed { allowList[peer.member] = peer.publicKey }
        var logger = Logger(label: "facet.peer.test")
        logger.logLevel = .warning
        let transport = PeerTransport(
            member: validator.member,
            key: validator.key,
            chainID: chain,
            config: config,
            allowed: allowList,
            metricsFactory: metrics,
            logger: logger
        )
        return TestNode(validator: validator, transport: transport, metrics: metrics, inbox: Inbox(transport))
    }

    var address: PeerAddress {
        guard let address = transport.localAddress else { preconditionFailure("the node is not listening") }
        return address
    }
}

/// Starts one transport per validator, all allowing each other, and tells each the others' addresses.
func startCluster(
    _ validators: [TestValidator],
    tls: PeerTLSConfig? = nil,
    tune: (inout PeerConfig) -> Void = { _ in }
) async throws -> [TestNode] {
    let nodes = validators.map { TestNode.make($0, allowed: validators, tls: tls, tune: tune) }
    for node in nodes { try await node.transport.start() }
    var addresses: [MemberID: PeerAddress] = [:]
    for node in nodes { addresses[node.member] = node.address }
    for node in nodes { node.transport.updatePeers(addresses) }
    return nodes
}

func stopAll(_ nodes: [TestNode]) async {
    for node in nodes { await node.transport.stop() }
}

/// A TCP port that was free a moment ago (bound to port 0, then released).
func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress!.port!
    try await channel.close()
    return port
}
