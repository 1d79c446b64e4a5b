import Crypto
import Foundation

/// A 32-byte digest. Stored as four big-endian words so that comparison, hashing and copying never allocate;
/// `Comparable` orders digests as unsigned 256-bit big-endian numbers (the byte order).
public struct Hash256: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var w0: UInt64
    public var w1: UInt64
    public var w2: UInt64
    public var w3: UInt64

    public static let byteCount = 32
    public static let zero = Hash256(w0: 0, w1: 0, w2: 0, w3: 0)

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Builds a digest from exactly 32 bytes; anything else is a programming error.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 32, "Hash256 needs 32 bytes, got \(bytes.count)")
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var index = 0
        for byte in bytes {
            let value = UInt64(byte)
            switch index >> 3 {
            case 0: words.0 = words.0 << 8 | value
            case 1: words.1 = words.1 << 8 | value
            case 2: words.2 = words.2 << 8 | value
            default: words.3 = words.3 << 8 | value
            }
            index += 1
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Parses 64 hexadecimal digits (either case); returns nil for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        appendBytes(to: &out)
        return out
    }

    /// Appends the 32 bytes without an intermediate array: every id and hash that is encoded passes here.
    public func appendBytes(to out: inout [UInt8]) {
        withUnsafeBytes(of: (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)) { out.append(contentsOf: $0) }
    }

    /// Bit `index` counted from the most significant bit of byte 0 (index 0) to the least of byte 31 (index 255).
    public func bit(_ index: Int) -> Bool {
        precondition(index >= 0 && index < 256)
        let word: UInt64
        switch index >> 6 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return (word >> UInt64(63 - (index & 63))) & 1 == 1
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        if lhs.w0 != rhs.w0 { return lhs.w0 < rhs.w0 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        return lhs.w3 < rhs.w3
    }
}

/// SHA-256 over byte strings, returning `Hash256`.
public enum SHA256Hash {
    public static func digest(_ bytes: [UInt8]) -> Hash256 {
        Hash256(digest: SHA256.hash(data: bytes))
    }

    public static func digest(_ bytes: ArraySlice<UInt8>) -> Hash256 {
        Hash256(digest: SHA256.hash(data: bytes))
    }

    /// Hashes the concatenation of several parts without building it first.
    public static func digest(parts: [UInt8]...) -> Hash256 {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        return Hash256(digest: hasher.finalize())
    }

    /// `SHA-256(prefix || left || right)` for two digests, the shape every Merkle node hash takes.
    /// Hot in state-root updates, so it hashes a stack buffer instead of building an array.
    public static func node(prefix: UInt8, _ left: Hash256, _ right: Hash256) -> Hash256 {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            func store(_ word: UInt64, at slot: Int) {
                buffer.storeBytes(of: word.bigEndian, toByteOffset: 1 + 8 * slot, as: UInt64.self)
            }
            buffer.storeBytes(of: prefix, toByteOffset: 0, as: UInt8.self)
            store(left.w0, at: 0)
            store(left.w1, at: 1)
            store(left.w2, at: 2)
            store(left.w3, at: 3)
            store(right.w0, at: 4)
            store(right.w1, at: 5)
            store(right.w2, at: 6)
            store(right.w3, at: 7)
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return Hash256(digest: hasher.finalize())
        }
    }
}

extension Hash256 {
    init(digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { raw in
            precondition(raw.count == 32)
            func word(_ index: Int) -> UInt64 {
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
            }
            return Hash256(w0: word(0), w1: word(1), w2: word(2), w3: word(3))
        }
    }
}
