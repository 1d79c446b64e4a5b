import FacetCore
import Logging
import NIOCore
import NIOSSL

/// The calls a connection's handler makes into the transport, on the connection's event loop.
extension PeerTransport {
    /// Builds a new connection's pipeline: TLS (if configured), the frame decoder, the handshake and frame handler.
    func initialize(
        _ channel: any Channel,
        role: PeerHandshake.Role,
        expectedPeer: MemberID?
    ) -> EventLoopFuture<Void> {
        let tls = state.withLock { $0.tls }
        let hello = PeerHello(
            chainID: chainID,
            member: member,
            publicKey: key.publicKey,
            nonce: Self.freshNonce()
        )
        let handshake = PeerHandshake(local: hello, key: key, role: role, expectedPeer: expectedPeer)
        return channel.eventLoop.makeCompletedFuture {
            try setUserTimeout(channel)
            let pipeline = channel.pipeline.syncOperations
            if let tls {
                switch role {
                case .dialer: try pipeline.addHandler(NIOSSLClientHandler(context: tls.client, serverHostname: nil))
                case .acceptor: try pipeline.addHandler(NIOSSLServerHandler(context: tls.server))
                }
            }
            let activity = PeerActivityHandler(now: .now())
            try pipeline.addHandler(activity)
            try pipeline.addHandler(ByteToMessageHandler(PeerFrameDecoder(maxFrameBytes: config.maxFrameBytes)))
            try pipeline.addHandler(PeerChannelHandler(transport: self, handshake: handshake, activity: activity))
        }
    }

    /// 32 bytes from the system's secure generator (getrandom on Linux).
    static func freshNonce() -> Hash256 {
        var generator = SystemRandomNumberGenerator()
        return Hash256(w0: generator.next(), w1: generator.next(), w2: generator.next(), w3: generator.next())
    }

    /// A channel became active; false when the transport is not running and the channel must close.
    func opened(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard state.isRunning else { return false }
            state.open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    /// The key `peer` must prove, or nil when it may not connect.
    func allowedKey(_ peer: MemberID) -> PublicKey? {
        state.withLock { $0.slots[peer]?.key }
    }

    /// The handshake succeeded: the connection becomes `peer`'s (replacing an older one). Returns false when the
    /// transport stopped meanwhile, or the allow-list changed during the handshake (the member left, or its key
    /// is no longer the one it proved).
    func attach(
        _ peer: MemberID,
        key: PublicKey,
        channel: any Channel,
        handler: NIOLoopBound<PeerChannelHandler>
    ) -> Bool {
        let outcome = state.withLock { state -> (attached: Bool, replaced: (any Channel)?, connected: Int) in
            guard state.isRunning, var slot = state.slots[peer], slot.key == key else { return (false, nil, 0) }
            let replaced = slot.connection?.channel
            slot.connection = Connection(id: ObjectIdentifier(channel), channel: channel, handler: handler)
            slot.since = now()
            slot.dialAttempts = 0
            // The handler drains right after attaching, so no hop is needed for what is already queued.
            slot.drainScheduled = true
            state.slots[peer] = slot
            return (true, replaced, state.connectedCount)
        }
        guard outcome.attached else { return false }
        if let replaced = outcome.replaced {
            logger.info("peer reconnected; closing its older connection", metadata: ["peer.id": "\(peer)"])
            replaced.close(promise: nil)
        }
        metrics.handshakeSucceeded()
        metrics.connectedPeers(outcome.connected)
        logger.info("peer connected", metadata: ["peer.id": "\(peer)"])
        return true
    }

    /// An application frame from an authenticated peer.
    func deliver(_ payload: [UInt8], from peer: MemberID) {
        state.withLock { state in
            state.slots[peer]?.framesIn += 1
            state.slots[peer]?.bytesIn += UInt64(payload.count)
        }
        metrics.frameIn()
        if case .dropped = inboundContinuation.yield(PeerMessage(from: peer, payload: payload)) {
            metrics.dropped(.inboundFull)
        }
    }

    /// Up to `limit` queued frames for `peer`, if `connection` is still its connection. An empty answer clears
    /// the pending-drain mark, so the next `send` schedules a drain.
    func takeOutbound(for peer: MemberID, connection: ObjectIdentifier, upTo limit: Int) -> [[UInt8]] {
        let batch = state.withLock { state -> [[UInt8]] in
            guard var slot = state.slots[peer], slot.connection?.id == connection else { return [] }
            let batch = slot.outbox.take(upTo: limit)
            if batch.isEmpty { slot.drainScheduled = false }
            slot.framesOut += UInt64(batch.count)
            for payload in batch { slot.bytesOut += UInt64(payload.count) }
            state.slots[peer] = slot
            return batch
        }
        if !batch.isEmpty { metrics.framesOut(batch.count) }
        return batch
    }

    /// The channel closed (for any reason). If it was a peer's connection, the peer is disconnected and, if this
    /// node dials it, a redial is scheduled.
    func closed(_ channel: any Channel, peer: MemberID?) {
        let id = ObjectIdentifier(channel)
        let (wasConnection, connected, redial) = state.withLock { state -> (Bool, Int, Bool) in
            state.open[id] = nil
            guard let peer, state.slots[peer]?.connection?.id == id else { return (false, 0, false) }
            state.slots[peer]?.connection = nil
            state.slots[peer]?.since = nil
            state.slots[peer]?.drainScheduled = false
            return (true, state.connectedCount, scheduleRedial(peer, &state))
        }
        guard wasConnection, let peer else { return }
        metrics.connectedPeers(connected)
        logger.info("peer disconnected", metadata: ["peer.id": "\(peer)", "peer.redial": "\(redial)"])
    }

    /// An established connection heard nothing, not even the answer to a ping, for `silence`: counted and logged;
    /// the caller closes it (and the dialler redials).
    func silent(_ peer: MemberID, for silence: TimeAmount) {
        metrics.dropped(.keepaliveTimeout)
        logger.warning(
            "peer silent; closing its connection",
            metadata: ["peer.id": "\(peer)", "peer.silence_ms": "\(silence.nanoseconds / 1_000_000)"]
        )
    }

    /// A connection was refused during the handshake or broke a limit: counted, logged and closed by the caller.
    func refused(_ reason: PeerDropReason, _ error: PeerError, remote: SocketAddress?) {
        metrics.dropped(reason)
        logger.warning(
            "peer connection refused",
            metadata: [
                "peer.reason": "\(reason.rawValue)", "peer.error": "\(error)",
                "peer.address": "\(remote.map { "\($0)" } ?? "?")",
            ]
        )
    }
}
