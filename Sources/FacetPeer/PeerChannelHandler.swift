import FacetCore
import NIOCore
import NIOSSL

/// The last handler of a peer connection: drives the handshake, then delivers application frames to the transport
/// and drains the peer's outbox while the channel is writable. Lives on the channel's event loop.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Frames written per batch taken from the outbox, so one peer's backlog does not hold the lock for long.
    static let drainBatch = 64

    private let transport: PeerTransport
    private var handshake: PeerHandshake
    private var peer: MemberID?
    private var context: ChannelHandlerContext?
    private var timeout: Scheduled<Void>?
    private var closing = false

    init(transport: PeerTransport, handshake: PeerHandshake) {
        self.transport = transport
        self.handshake = handshake
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { begin(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        timeout?.cancel()
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
            transport.deliver(payload, from: peer)
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
        timeout?.cancel()
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
        timeout?.cancel()
        context.close(promise: nil)
    }
}
