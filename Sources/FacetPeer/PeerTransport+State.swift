import FacetCore
import NIOCore
import NIOSSL

extension PeerTransport {
    enum Lifecycle {
        case idle
        case running(server: any Channel)
        case stopped
    }

    /// An authenticated connection to a peer: the channel and, bound to its event loop, the handler that drains
    /// the peer's outbox into it.
    struct Connection {
        let id: ObjectIdentifier
        let channel: any Channel
        let handler: NIOLoopBound<PeerChannelHandler>
    }

    /// Everything the transport knows about one allowed member.
    struct Slot {
        var key: PublicKey
        var outbox: PeerOutbox
        var connection: Connection?
        /// A hop to the connection's event loop is pending (or the handler waits for writability): `send` need
        /// not schedule another.
        var drainScheduled = false
        var since: Timestamp?
        var framesIn: UInt64 = 0
        var framesOut: UInt64 = 0
        var bytesIn: UInt64 = 0
        var bytesOut: UInt64 = 0
        var drops: UInt64 = 0
        var reconnects: UInt64 = 0
        /// Failed or ended dials since the last established connection: the backoff exponent.
        var dialAttempts = 0
        var dialing = false
        var dialTimer: Scheduled<Void>?

        init(key: PublicKey, config: PeerConfig) {
            self.key = key
            outbox = PeerOutbox(maxFrames: config.maxQueuedFrames, maxBytes: config.maxQueuedBytes)
        }
    }

    /// The transport's mutable state, under one lock. Never held across I/O: the methods that change it return
    /// what the caller must do (close a channel, hop to a loop) once the lock is released.
    struct State {
        var lifecycle = Lifecycle.idle
        var slots: [MemberID: Slot] = [:]
        var addresses: [MemberID: PeerAddress]
        /// Every open channel, authenticated or not, so that `stop` can close them all.
        var open: [ObjectIdentifier: any Channel] = [:]
        var tls: TLSContexts?

        var isRunning: Bool {
            if case .running = lifecycle { return true }
            return false
        }

        var connectedCount: Int { slots.values.count { $0.connection != nil } }
    }

    struct TLSContexts: Sendable {
        let server: NIOSSLContext
        let client: NIOSSLContext
    }

    /// A pending hop to drain a peer's outbox on its connection's loop; run after the lock is released.
    struct DrainHop {
        let handler: NIOLoopBound<PeerChannelHandler>

        func run() {
            handler.eventLoop.execute { [handler] in handler.value.drain() }
        }
    }
}
