import FacetCore
import NIOCore
import NIOSSL

/// The last handler of a peer connection: drives the handshake, then delivers application frames to the transport,
/// drains the peer's outbox while the channel is writable, and keeps the link alive (pings, answers pings, closes a
/// silent link; `PeerLivenessCheck`). Lives on the channel's event loop.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Frames written per batch taken from the outbox, so one peer's backlog does not hold the lock for long.
    static let drainBatch = 64

    private let transport: PeerTransport
    private var handshake: PeerHandshake
    private let activity: PeerActivityHandler
    private var peer: MemberID?
    private var context: ChannelHandlerContext?
    private var timeout: Scheduled<Void>?
    private var liveness: PeerLivenessCheck?
    private var livenessTimer: Scheduled<Void>?
    private var closing = false

    /// - Parameter activity: the connection's handler in front of the frame decoder, which notes when bytes arrive.
    init(transport: PeerTransport, handshake: PeerHandshake, activity: PeerActivityHandler) {
        self.transport = transport
        self.handshake = handshake
        self.activity = activity
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { begin(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        cancelTimers()
    }

    func channelActive(context: ChannelHandlerContext) {
        begin(context: context)
        context.fireChannelActive()
    }

    /// Sends the hello and arms the handshake timeout, once per connection.
    private func begin(context: ChannelHandlerContext) {
        guard timeout == nil, !closing else { return }
        guard transport.opened(context.channel) else {
            close(context: context)
            return
        }
        let limit = TimeAmount(transport.config.handshakeTimeout)
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in
            guard !handshake.isEstablished, !closing else { return }
            refuse(.handshakeTimeout, PeerError(.handshakeTimeout, "no handshake in time"), context: context)
        }
        write(handshake.localHelloBytes, context: context)
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var buffer = unwrapInboundIn(data)
        let payload = buffer.readBytes(length: buffer.readableBytes) ?? []
        if let peer {
            if payload.isEmpty {
                keepaliveReceived(context: context)
            } else {
                transport.deliver(payload, from: peer)
            }
            return
        }
        switch handshake.receive(payload, allowedKey: transport.allowedKey) {
        case .send(let frame):
            write(frame, context: context)
            context.flush()
        case .established(let member):
            timeout?.cancel()
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            guard let proven = handshake.established?.publicKey,
                transport.attach(member, key: proven, channel: context.channel, handler: bound)
            else {
                close(context: context)
                return
            }
            peer = member
            startLiveness(context: context)
            drain()
        case .refuse(let error):
            refuse(error.code == .notValidator ? .notValidator : .badHandshake, error, context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { drain() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        transport.closed(context.channel, peer: peer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !closing else { return }
        if let error = error as? PeerError, error.code == .oversizedFrame {
            refuse(.oversizedFrame, error, context: context)
        } else if peer == nil, error is NIOSSLError {
            refuse(.badHandshake, PeerError(.badHandshake, "TLS: \(error)"), context: context)
        } else {
            transport.logger.debug("peer connection error", metadata: ["peer.error": "\(error)"])
            close(context: context)
        }
    }

    /// Writes queued frames while the channel is writable; stops (keeping the rest queued) when it is not, and
    /// `channelWritabilityChanged` resumes. Called on the event loop.
    func drain() {
        guard let context, let peer, !closing else { return }
        let connection = ObjectIdentifier(context.channel)
        while context.channel.isWritable {
            let batch = transport.takeOutbound(for: peer, connection: connection, upTo: Self.drainBatch)
            guard !batch.isEmpty else { return }
            for payload in batch { write(payload, context: context) }
            context.flush()
        }
    }

    private func write(_ payload: [UInt8], context: ChannelHandlerContext) {
        let frame = PeerFrameDecoder.encode(payload, allocator: context.channel.allocator)
        context.write(wrapOutboundOut(frame), promise: nil)
    }

    private func refuse(_ reason: PeerDropReason, _ error: PeerError, context: ChannelHandlerContext) {
        transport.refused(reason, error, remote: context.channel.remoteAddress)
        close(context: context)
    }

    private func close(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        cancelTimers()
        context.close(promise: nil)
    }

    private func cancelTimers() {
        timeout?.cancel()
        livenessTimer?.cancel()
        livenessTimer = nil
    }

    // MARK: Keepalive

    /// Arms the first liveness check once the connection is established (if the keepalive is configured).
    private func startLiveness(context: ChannelHandlerContext) {
        guard let config = transport.config.liveness else { return }
        liveness = PeerLivenessCheck(config)
        checkLiveness(context: context)
    }

    /// Runs the check and carries out its action: nothing, a ping, or closing a silent link; then re-arms.
    private func checkLiveness(context: ChannelHandlerContext) {
        guard !closing, let peer, var check = liveness else { return }
        let action = check.check(lastReceived: activity.lastRead, now: .now())
        liveness = check
        let next: NIODeadline
        switch action {
        case .close:
            transport.silent(peer, for: check.closeAfter)
            close(context: context)
            return
        case .ping(let at):
            writeKeepalive(context: context)
            next = at
        case .wait(let until):
            next = until
        }
        livenessTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: next) { [self] in
            checkLiveness(context: context)
        }
    }

    /// An empty frame: the peer's ping, answered at once, or the answer to ours, after which the check is re-armed
    /// for the next ping. Never delivered.
    private func keepaliveReceived(context: ChannelHandlerContext) {
        transport.metrics.keepaliveIn()
        switch liveness?.emptyFrameReceived() ?? .ping {
        case .ping:
            writeKeepalive(context: context)
        case .answer:
            livenessTimer?.cancel()
            checkLiveness(context: context)
        }
    }

    private func writeKeepalive(context: ChannelHandlerContext) {
        transport.metrics.keepaliveOut()
        write([], context: context)
        context.flush()
    }
}
