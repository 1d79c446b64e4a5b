import FacetCore
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import FacetPeer

/// A TCP client that speaks no protocol: the test writes whatever bytes it wants and watches for the close.
struct RawClient: Sendable {
    let channel: any Channel

    static func connect(to address: PeerAddress) async throws -> RawClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: address.host, port: address.port).get()
        return RawClient(channel: channel)
    }

    static func frame(_ payload: [UInt8]) -> [UInt8] {
        Array(PeerFrameDecoder.encode(payload, allocator: ByteBufferAllocator()).readableBytesView)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    /// Throws `TimedOut` (and records an issue) when the other side has not closed the connection in time.
    func waitForClose(within limit: Duration) async throws {
        let closed = channel.closeFuture
        let outcome = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await closed.get()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !outcome {
            try? await channel.close()
            Issue.record("the transport did not close the connection")
            throw TimedOut()
        }
    }
}

enum HelloBytes {
    /// A well-formed hello for the member `claiming` names, with a fresh nonce.
    static func make(chain: Label, claiming key: PublicKey) -> [UInt8] {
        PeerHello(chainID: chain, member: MemberID(initialKey: key), publicKey: key, nonce: PeerTransport.freshNonce())
            .bytes
    }
}

/// A listener that completes the real handshake as a validator, then never writes again. By default it also stops
/// reading: its peer's writes back up through the socket buffers until the channel is not writable. With
/// `keepsReading` it reads (and counts) everything and answers nothing, like a peer whose sending side is cut off.
struct StuckPeer: Sendable {
    let server: any Channel
    let tally: StuckTally

    var address: PeerAddress { PeerAddress(host: "127.0.0.1", port: server.localAddress!.port!) }

    static func start(
        as validator: TestValidator,
        allowing peer: TestValidator,
        keepsReading: Bool = false
    ) async throws -> StuckPeer {
        let tally = StuckTally()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.socketOption(.so_rcvbuf), value: 16 * 1024)
            .childChannelInitializer { channel in
                let hello = PeerHello(
                    chainID: testChain,
                    member: validator.member,
                    publicKey: validator.publicKey,
                    nonce: PeerTransport.freshNonce()
                )
                let handshake = PeerHandshake(local: hello, key: validator.key, role: .acceptor, expectedPeer: nil)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(PeerFrameDecoder(maxFrameBytes: PeerConfig.defaultMaxFrameBytes))
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        StuckHandler(
                            handshake: handshake, peer: peer.member, peerKey: peer.publicKey,
                            keepsReading: keepsReading, tally: tally)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StuckPeer(server: server, tally: tally)
    }

    func stop() async {
        try? await server.close()
    }
}

private final class StuckHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    var handshake: PeerHandshake
    let peer: MemberID
    let peerKey: PublicKey
    let keepsReading: Bool
    let tally: StuckTally

    init(handshake: PeerHandshake, peer: MemberID, peerKey: PublicKey, keepsReading: Bool, tally: StuckTally) {
        self.handshake = handshake
        self.peer = peer
        self.peerKey = peerKey
        self.keepsReading = keepsReading
        self.tally = tally
    }

    func channelActive(context: ChannelHandlerContext) {
        send(handshake.localHelloBytes, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let frame = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard !handshake.isEstablished else {
            tally.frameRead(empty: frame.isEmpty)
            return
        }
        switch handshake.receive(frame, allowedKey: { $0 == self.peer ? self.peerKey : nil }) {
        case .send(let proof): send(proof, context: context)
        case .established:
            tally.established()
            if !keepsReading { context.channel.setOption(.autoRead, value: false).whenComplete { _ in } }
        case .refuse: context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        tally.closed()
        context.fireChannelInactive()
    }

    private func send(_ payload: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(
            wrapOutboundOut(PeerFrameDecoder.encode(payload, allocator: context.channel.allocator)), promise: nil)
    }
}

/// What a `StuckPeer` saw: handshakes completed, connections closed, and frames read after the handshake.
final class StuckTally: Sendable {
    struct Counts: Sendable {
        var established = 0
        var closed = 0
        var frames = 0
        var emptyFrames = 0
    }

    private let counts = Mutex(Counts())

    var value: Counts { counts.withLock { $0 } }

    func established() { counts.withLock { $0.established += 1 } }
    func closed() { counts.withLock { $0.closed += 1 } }

    func frameRead(empty: Bool) {
        counts.withLock { counts in
            counts.frames += 1
            if empty { counts.emptyFrames += 1 }
        }
    }
}
