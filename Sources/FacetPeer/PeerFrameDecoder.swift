import NIOCore

/// Splits a byte stream into frames: a big-endian u32 length, then that many payload bytes. The length is checked
/// before any of the body is awaited, so a hostile header never makes the node buffer more than the limit.
///
/// The first `handshakeFrames` frames of a connection are the handshake and may be at most
/// `PeerConfig.maxHandshakeFrameBytes`; later frames may be up to `maxFrameBytes`.
struct PeerFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    static let headerBytes = 4
    static let handshakeFrames = 2

    let maxFrameBytes: Int
    private(set) var framesDecoded = 0

    init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    var currentLimit: Int {
        framesDecoded < Self.handshakeFrames ? PeerConfig.maxHandshakeFrameBytes : maxFrameBytes
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// The next whole frame's payload, nil while more bytes are needed; throws on a length over the limit.
    mutating func nextFrame(_ buffer: inout ByteBuffer) throws(PeerError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        let limit = currentLimit
        guard UInt64(length) <= UInt64(limit) else {
            throw PeerError(.oversizedFrame, "a frame of \(length) bytes is over the limit of \(limit)")
        }
        guard buffer.readableBytes >= Self.headerBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Self.headerBytes)
        guard let payload = buffer.readSlice(length: Int(length)) else {
            preconditionFailure("readable bytes were checked")
        }
        framesDecoded += 1
        return payload
    }

    /// A frame on the wire: the length, then the payload.
    static func encode(_ payload: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        precondition(payload.count <= Int(UInt32.max), "a frame's length fits a u32")
        var buffer = allocator.buffer(capacity: headerBytes + payload.count)
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return buffer
    }
}
