import CoreMetrics
import Metrics

/// Why a connection or a message was dropped: the `reason` label of `facet_peer_dropped_total`. A closed set, so
/// the number of series stays bounded.
public enum PeerDropReason: String, Sendable, CaseIterable {
    /// An incoming frame's length header was over the limit; the connection was closed.
    case oversizedFrame = "oversized_frame"
    /// A malformed hello, the wrong chain, an unexpected member, or a signature that does not verify.
    case badHandshake = "bad_handshake"
    /// The peer's member id and key are not in the allow-list.
    case notValidator = "not_validator"
    /// The peer did not finish the handshake in time.
    case handshakeTimeout = "handshake_timeout"
    /// An established connection heard nothing, not even the answer to a ping, for `PeerLiveness.closeAfter`; it
    /// was closed (and is redialled).
    case keepaliveTimeout = "keepalive_timeout"
    /// `send` to a peer whose outbound queue was full (by count or bytes); the message was not queued.
    case queueFull = "queue_full"
    /// `send` of an empty payload (the empty frame is the keepalive) or one over the frame limit, or to a member that
    /// is not an allowed peer.
    case unsendable = "unsendable"
    /// An inbound message arrived while `inbound` already held its bound of unread messages.
    case inboundFull = "inbound_full"
}

/// The transport's metrics, made through a factory passed in (as `NodeMetrics` does) rather than the
/// process-wide `MetricsSystem`, so that a test process can run several transports, each with its own registry.
final class PeerMetrics: Sendable {
    static let droppedTotal = "facet_peer_dropped_total"
    static let framesTotal = "facet_peer_frames_total"
    static let reconnectsTotal = "facet_peer_reconnects_total"
    static let handshakesTotal = "facet_peer_handshakes_total"
    static let connectedPeers = "facet_peer_connected"
    static let keepalivesTotal = "facet_peer_keepalives_total"

    private let factory: any MetricsFactory
    private let framesIn: Counter
    private let framesOut: Counter
    private let reconnects: Counter
    private let handshakes: Counter
    private let connected: Gauge
    private let keepalivesIn: Counter
    private let keepalivesOut: Counter

    init(factory: any MetricsFactory) {
        self.factory = factory
        framesIn = Counter(label: Self.framesTotal, dimensions: [("direction", "in")], factory: factory)
        framesOut = Counter(label: Self.framesTotal, dimensions: [("direction", "out")], factory: factory)
        reconnects = Counter(label: Self.reconnectsTotal, factory: factory)
        handshakes = Counter(label: Self.handshakesTotal, factory: factory)
        connected = Gauge(label: Self.connectedPeers, factory: factory)
        keepalivesIn = Counter(label: Self.keepalivesTotal, dimensions: [("direction", "in")], factory: factory)
        keepalivesOut = Counter(label: Self.keepalivesTotal, dimensions: [("direction", "out")], factory: factory)
    }

    func dropped(_ reason: PeerDropReason) {
        Counter(label: Self.droppedTotal, dimensions: [("reason", reason.rawValue)], factory: factory).increment()
    }

    func frameIn() { framesIn.increment() }
    func framesOut(_ count: Int) { framesOut.increment(by: Int64(count)) }
    func reconnectAttempt() { reconnects.increment() }
    func handshakeSucceeded() { handshakes.increment() }
    func connectedPeers(_ count: Int) { connected.record(count) }
    func keepaliveIn() { keepalivesIn.increment() }
    func keepaliveOut() { keepalivesOut.increment() }
}
