import FacetCore
import NIOCore

/// Where a validator listens (or is dialled): a host name or IP literal and a TCP port.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

/// How long to wait before dialling a peer again: exponential from `initial`, capped at `maximum`, with "equal
/// jitter" (a uniform draw in the upper half of the step) so that validators restarted together do not dial in
/// lockstep. The cap is short (2 s by default) because it bounds how long a link stays down after the network comes
/// back; a dial that fails costs one SYN.
public struct PeerBackoff: Hashable, Sendable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(2)) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before attempt `attempt` (0 for the first retry); `jitter` is a uniform draw in `0..<1`.
    public func delay(attempt: Int, jitter: Double) -> Duration {
        precondition(attempt >= 0 && jitter >= 0 && jitter < 1, "attempt >= 0, jitter in 0..<1")
        var step = initial
        // Doubling stops at the cap, so the loop runs at most log2(maximum / initial) times whatever `attempt` is.
        var doublings = 0
        while doublings < attempt && step < maximum {
            step = step * 2
            doublings += 1
        }
        step = min(step, maximum)
        return step / 2 + (step / 2) * jitter
    }
}

/// TLS for peer connections, from PEM files: this node's certificate chain and private key, and the roots that
/// peers' certificates must chain to. Both sides present and verify certificates (mutual TLS, no host-name check:
/// validators are dialled by address). The signed handshake still runs inside TLS and proves the validator key.
public struct PeerTLSConfig: Hashable, Sendable {
    public var certificateChainPath: String
    public var privateKeyPath: String
    public var trustRootsPath: String

    public init(certificateChainPath: String, privateKeyPath: String, trustRootsPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
    }
}

/// Everything a `PeerTransport` needs besides its identity: where to listen, whom to dial, and the bounds.
public struct PeerConfig: Sendable {
    /// 16 MiB: an 8 MiB block (`Limits`) with room for its certificate and the consensus envelope.
    public static let defaultMaxFrameBytes = 16 * 1024 * 1024
    /// A handshake frame (hello or signature) is small; anything larger before authentication is refused.
    public static let maxHandshakeFrameBytes = 512

    public var listen: PeerAddress
    /// Peers by member id. Only peers whose id is above this node's are dialled (see `contracts/peer-protocol.md`);
    /// the others dial this node.
    public var peers: [MemberID: PeerAddress]
    /// The largest payload accepted or sent; a larger incoming frame closes its connection.
    public var maxFrameBytes: Int
    /// Per peer: how many outbound frames, and how many payload bytes, may wait; beyond either, `send` drops.
    public var maxQueuedFrames: Int
    public var maxQueuedBytes: Int
    /// Inbound messages waiting for the consumer of `PeerTransport.inbound`; beyond this, new ones are dropped.
    public var maxInboundMessages: Int
    public var handshakeTimeout: Duration
    public var connectTimeout: Duration
    public var backoff: PeerBackoff
    /// The keepalive of established links; nil turns it off (the node still answers its peers' pings).
    public var liveness: PeerLiveness?
    public var tls: PeerTLSConfig?

    public init(
        listen: PeerAddress,
        peers: [MemberID: PeerAddress] = [:],
        maxFrameBytes: Int = PeerConfig.defaultMaxFrameBytes,
        maxQueuedFrames: Int = 4096,
        maxQueuedBytes: Int = 64 * 1024 * 1024,
        maxInboundMessages: Int = 16384,
        handshakeTimeout: Duration = .seconds(5),
        connectTimeout: Duration = .seconds(5),
        backoff: PeerBackoff = PeerBackoff(),
        liveness: PeerLiveness? = PeerLiveness(),
        tls: PeerTLSConfig? = nil
    ) {
        self.listen = listen
        self.peers = peers
        self.maxFrameBytes = maxFrameBytes
        self.maxQueuedFrames = maxQueuedFrames
        self.maxQueuedBytes = maxQueuedBytes
        self.maxInboundMessages = maxInboundMessages
        self.handshakeTimeout = handshakeTimeout
        self.connectTimeout = connectTimeout
        self.backoff = backoff
        self.liveness = liveness
        self.tls = tls
        checkBounds()
    }

    /// Stops the process on bounds that cannot work (fields are mutable, so `PeerTransport` checks again).
    func checkBounds() {
        precondition(maxFrameBytes >= Self.maxHandshakeFrameBytes && maxFrameBytes <= Int(UInt32.max))
        precondition(maxQueuedFrames > 0 && maxQueuedBytes >= maxFrameBytes, "a queue holds at least one frame")
        precondition(maxInboundMessages > 0 && handshakeTimeout > .zero && connectTimeout > .zero)
    }
}
