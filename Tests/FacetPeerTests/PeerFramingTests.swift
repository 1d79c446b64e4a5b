import FacetCore
import NIOCore
import Testing

@testable import FacetPeer

@Suite struct PeerFramingTests {
    let allocator = ByteBufferAllocator()

    @Test func framesRoundTripAcrossPartialReads() throws {
        var decoder = PeerFrameDecoder(maxFrameBytes: 1024)
        var wire = PeerFrameDecoder.encode([1, 2, 3], allocator: allocator)
        var second = PeerFrameDecoder.encode([], allocator: allocator)
        wire.writeBuffer(&second)
        #expect(wire.readableBytes == 4 + 3 + 4)
        #expect(Array(wire.readableBytesView.prefix(4)) == [0, 0, 0, 3])

        var partial = wire.readSlice(length: 5)!
        let tooEarly = try decoder.nextFrame(&partial)
        #expect(tooEarly == nil)
        #expect(partial.readableBytes == 5, "nothing is consumed until the whole frame is there")
        partial.writeBuffer(&wire)
        let first = try decoder.nextFrame(&partial)
        #expect(first.map { Array($0.readableBytesView) } == [1, 2, 3])
        let empty = try decoder.nextFrame(&partial)
        #expect(empty?.readableBytes == 0)
        let none = try decoder.nextFrame(&partial)
        #expect(none == nil)
        #expect(decoder.framesDecoded == 2)
    }

    @Test func handshakeFramesHaveTheSmallLimit() throws {
        var decoder = PeerFrameDecoder(maxFrameBytes: 4096)
        var buffer = allocator.buffer(capacity: 4)
        buffer.writeInteger(UInt32(PeerConfig.maxHandshakeFrameBytes + 1), endianness: .big)
        #expect(throws: PeerError(.oversizedFrame, "a frame of 513 bytes is over the limit of 512")) {
            try decoder.nextFrame(&buffer)
        }
    }

    @Test func applicationFramesHaveTheConfiguredLimit() throws {
        var decoder = PeerFrameDecoder(maxFrameBytes: 4096)
        var wire = PeerFrameDecoder.encode([7], allocator: allocator)
        var proof = PeerFrameDecoder.encode([8], allocator: allocator)
        wire.writeBuffer(&proof)
        _ = try decoder.nextFrame(&wire)
        _ = try decoder.nextFrame(&wire)
        #expect(decoder.currentLimit == 4096)
        var ok = PeerFrameDecoder.encode([UInt8](repeating: 1, count: 4096), allocator: allocator)
        let full = try decoder.nextFrame(&ok)
        #expect(full?.readableBytes == 4096)
        var giant = allocator.buffer(capacity: 4)
        giant.writeInteger(UInt32.max, endianness: .big)
        #expect(throws: PeerError.self) { try decoder.nextFrame(&giant) }
    }

    @Test func outboxBoundsCountAndBytes() {
        var outbox = PeerOutbox(maxFrames: 3, maxBytes: 10)
        let accepted = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 9, 9], [9, 9], []].map { outbox.append($0) }
        #expect(
            accepted == [true, true, false, true, false], "4+4+3 bytes is over 10; three frames is the count bound")
        #expect(outbox.count == 3 && outbox.bytes == 10)
        let firstTwo = outbox.take(upTo: 2)
        #expect(firstTwo == [[1, 2, 3, 4], [5, 6, 7, 8]])
        #expect(outbox.count == 1 && outbox.bytes == 2)
        let room = outbox.append([1])
        #expect(room)
        let rest = outbox.take(upTo: 10)
        #expect(rest == [[9, 9], [1]])
        #expect(outbox.isEmpty && outbox.bytes == 0)
    }

    @Test(arguments: [0.0, 0.5, 0.999])
    func backoffDoublesWithJitterAndCaps(jitter: Double) {
        let backoff = PeerBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (0..<8).map { backoff.delay(attempt: $0, jitter: jitter) }
        for (attempt, delay) in delays.enumerated() {
            let step = min(Duration.milliseconds(100) * (1 << attempt), .seconds(1))
            #expect(delay >= step / 2 && delay < step, "attempt \(attempt): \(delay) within [step/2, step)")
        }
        #expect(backoff.delay(attempt: 1_000_000, jitter: jitter) <= .seconds(1))
    }
}
