import NIOCore

/// Notes when bytes last arrived on a connection, before they are framed: a large frame still arriving is a live
/// peer, though no whole frame has come for a while. Passes everything on unchanged. Lives on the channel's event
/// loop, shared with that connection's `PeerChannelHandler`, which reads `lastRead` for the keepalive.
final class PeerActivityHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private(set) var lastRead: NIODeadline

    init(now: NIODeadline) {
        lastRead = now
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = .now()
        context.fireChannelRead(data)
    }
}
