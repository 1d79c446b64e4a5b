import FacetCore
import FacetTestSupport
import Testing

@Suite struct CanonicalEncodingTests {
    @Test(arguments: [0, 1, 127, 128, 255, 16_383, 16_384, 2_097_151, 2_097_152, Int(UInt32.max)])
    func lengthsAreMinimalLEB128(value: Int) throws {
        var encoder = CanonicalEncoder()
        encoder.length(value)
        let bytes = encoder.bytes
        #expect(bytes.last! & 0x80 == 0)
        #expect(bytes.count == 1 || bytes.last! != 0)
        var decoder = CanonicalDecoder(bytes)
        #expect(try decoder.length(max: Int(UInt32.max)) == value)
        try decoder.finish()
    }

    @Test func nonMinimalLengthsAreRefused() {
        for bytes: [UInt8] in [[0x80, 0x00], [0xff, 0x00], [0x80, 0x80, 0x00]] {
            var decoder = CanonicalDecoder(bytes)
            #expect(throws: CoreError.self) { try decoder.length(max: 1_000_000) }
        }
    }

    @Test func lengthsOverTheLimitAreRefusedBeforeReading() {
        var decoder = CanonicalDecoder([0x05, 1, 2, 3, 4, 5])
        do {
            _ = try decoder.byteString(max: 4)
            Issue.record("a five-byte string must not pass a four-byte limit")
        } catch {
            #expect(error.code == .overLimit)
        }
    }

    @Test func textRefusesControlCharactersAndBadUTF8() throws {
        for bytes: [UInt8] in [[1, 0x00], [1, 0x1b], [2, 0xc2, 0x85], [2, 0xc3, 0x28], [1, 0x80]] {
            var decoder = CanonicalDecoder(bytes)
            #expect(throws: CoreError.self) { try decoder.text() }
        }
        var decoder = CanonicalDecoder([6] + Array("番禺".utf8))
        #expect(try decoder.text() == "番禺")
    }

    @Test func sortedSetsHaveOneOrder() throws {
        let a = Hash256(bytes: [UInt8](repeating: 1, count: 32))
        let b = Hash256(bytes: [UInt8](repeating: 2, count: 32))
        var encoder = CanonicalEncoder()
        encoder.sortedSet([b, a, b])
        #expect(encoder.bytes == [2] + a.bytes + b.bytes)
        var decoder = CanonicalDecoder([2] + b.bytes + a.bytes)
        #expect(throws: CoreError.self) { try decoder.sortedSet(Hash256.self, max: 10) }
    }

    @Test func wholeValueDecodingRefusesTrailingBytesAndOversizedInput() throws {
        #expect(throws: CoreError.self) { try UInt64(canonicalBytes: [0, 0, 0, 0, 0, 0, 0, 1, 0]) }
        #expect(throws: CoreError.self) { try UInt64(canonicalBytes: [UInt8](repeating: 0, count: 9), limit: 8) }
        #expect(try UInt64(canonicalBytes: [0, 0, 0, 0, 0, 0, 1, 0]) == 256)
    }

    @Test func labelsArePrintableASCII() {
        #expect((try? Label("GIA-2141438167")) != nil)
        #expect((try? Label("has space")) == nil)
        #expect((try? Label("")) == nil)
        #expect((try? Label("番禺")) == nil)
        #expect((try? Label(String(repeating: "A", count: 65))) == nil)
    }

    @Test func timestampsStayInRange() {
        #expect((try? Timestamp(millis: -1)) == nil)
        #expect((try? Timestamp(millis: Limits.maxTimestampMillis + 1)) == nil)
        #expect((try? Timestamp(millis: 0)) != nil)
    }

    /// Random byte strings never crash a decoder, and whatever decodes re-encodes to the same bytes.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomBytesNeverCrashTheCoreDecoders(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for _ in 0..<2_000 {
            let bytes = rng.bytes(Int.random(in: 0...24, using: &rng))
            roundTrips(Money.self, bytes, seed: seed)
            roundTrips(Label.self, bytes, seed: seed)
            roundTrips(Timestamp.self, bytes, seed: seed)
            roundTrips(String.self, bytes, seed: seed)
            roundTrips(Hash256.self, bytes, seed: seed)
        }
    }

    private func roundTrips<T: CanonicalCodable & Equatable>(_ type: T.Type, _ bytes: [UInt8], seed: UInt64) {
        guard let value = try? T(canonicalBytes: bytes) else { return }
        #expect(value.canonicalBytes == bytes, "seed \(seed): \(T.self) from \(Hex.encode(bytes))")
    }
}
