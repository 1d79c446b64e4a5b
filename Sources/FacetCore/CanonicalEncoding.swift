/// A value with exactly one canonical byte string (specified in `contracts/encoding.md`). Everything that is
/// hashed or signed goes through this encoding and nothing else, so two nodes always agree on the bytes.
public protocol CanonicalEncodable {
    func encode(to encoder: inout CanonicalEncoder)
}

/// A value decoded from its canonical bytes. Decoding rejects every byte string that is not the canonical
/// encoding of some value within `Limits`, so `decode(encode(v)) == v` and `encode(decode(b)) == b`.
public protocol CanonicalDecodable {
    init(from decoder: inout CanonicalDecoder) throws(CoreError)
}

public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    public var canonicalBytes: [UInt8] {
        var encoder = CanonicalEncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a whole byte string; rejects input over `limit` bytes and any trailing bytes.
    public init(canonicalBytes bytes: [UInt8], limit: Int = Limits.maxTransactionBytes) throws(CoreError) {
        guard bytes.count <= limit else {
            throw CoreError(.overLimit, "input of \(bytes.count) bytes exceeds the limit of \(limit)")
        }
        var decoder = CanonicalDecoder(bytes)
        self = try Self(from: &decoder)
        try decoder.finish()
    }
}

/// Appends canonical bytes. Integers are fixed-width big-endian; lengths and counts are minimal unsigned LEB128.
public struct CanonicalEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 128) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    public mutating func u16(_ value: UInt16) { bigEndian(UInt64(value), count: 2) }
    public mutating func u32(_ value: UInt32) { bigEndian(UInt64(value), count: 4) }
    public mutating func u64(_ value: UInt64) { bigEndian(value, count: 8) }
    public mutating func i64(_ value: Int64) { bigEndian(UInt64(bitPattern: value), count: 8) }

    /// A length or count: unsigned LEB128, seven bits per byte, least significant group first, minimal.
    public mutating func length(_ value: Int) {
        precondition(value >= 0 && value <= Int(UInt32.max), "length out of range")
        var rest = UInt64(value)
        repeat {
            let group = UInt8(rest & 0x7f)
            rest >>= 7
            bytes.append(rest == 0 ? group : group | 0x80)
        } while rest != 0
    }

    /// A 32-byte hash, key or id, written in place.
    public mutating func hash(_ value: Hash256) { value.appendBytes(to: &bytes) }

    /// Bytes whose length the type fixes (hashes, keys, signatures): no prefix.
    public mutating func raw<C: Collection>(_ value: C) where C.Element == UInt8 { bytes.append(contentsOf: value) }

    /// A variable-length byte string: length, then the bytes.
    public mutating func byteString(_ value: [UInt8]) {
        length(value.count)
        bytes.append(contentsOf: value)
    }

    /// Text: length, then UTF-8.
    public mutating func text(_ value: String) {
        length(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    public mutating func encode<T: CanonicalEncodable>(_ value: T) { value.encode(to: &self) }

    public mutating func optional<T: CanonicalEncodable>(_ value: T?) {
        if let value {
            u8(1)
            value.encode(to: &self)
        } else {
            u8(0)
        }
    }

    public mutating func list<T: CanonicalEncodable>(_ values: [T]) {
        length(values.count)
        for value in values { value.encode(to: &self) }
    }

    private mutating func bigEndian(_ value: UInt64, count: Int) {
        for index in stride(from: count - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(index * 8)))
        }
    }
}

/// Reads canonical bytes, refusing anything that is not exactly the canonical encoding.
public struct CanonicalDecoder: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    public var remaining: Int { bytes.count - offset }

    public func finish() throws(CoreError) {
        guard offset == bytes.count else {
            throw CoreError(.trailingBytes, "\(bytes.count - offset) bytes after the end of the value")
        }
    }

    public mutating func u8() throws(CoreError) -> UInt8 {
        guard offset < bytes.count else { throw CoreError(.truncated, "input ends inside a value") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func bool() throws(CoreError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let other: throw CoreError(.outOfRange, "a boolean is 0 or 1, not \(other)")
        }
    }

    public mutating func u16() throws(CoreError) -> UInt16 { UInt16(try bigEndian(count: 2)) }
    public mutating func u32() throws(CoreError) -> UInt32 { UInt32(try bigEndian(count: 4)) }
    public mutating func u64() throws(CoreError) -> UInt64 { try bigEndian(count: 8) }
    public mutating func i64() throws(CoreError) -> Int64 { Int64(bitPattern: try bigEndian(count: 8)) }

    /// A minimal LEB128 length, at most `max`.
    public mutating func length(max: Int) throws(CoreError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift == 28 && byte > 0x0f {
                throw CoreError(.outOfRange, "a length does not fit in 32 bits")
            }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 {
                    throw CoreError(.nonMinimal, "a length has a redundant final zero group")
                }
                break
            }
            shift += 7
        }
        guard value <= UInt64(max) else {
            throw CoreError(.overLimit, "a length of \(value) exceeds the limit of \(max)")
        }
        return Int(value)
    }

    public mutating func raw(count: Int) throws(CoreError) -> ArraySlice<UInt8> {
        guard count <= remaining else { throw CoreError(.truncated, "input ends inside a value") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    public mutating func byteString(max: Int) throws(CoreError) -> [UInt8] {
        let count = try length(max: max)
        return Array(try raw(count: count))
    }

    /// UTF-8 text of at most `maxBytes`, with no control characters (C0, DEL, C1): such characters have no
    /// place in names or notes and would let two texts look alike.
    public mutating func text(maxBytes: Int = Limits.maxTextBytes) throws(CoreError) -> String {
        let count = try length(max: maxBytes)
        let slice = try raw(count: count)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw CoreError(.invalidText, "text is not valid UTF-8")
        }
        for scalar in text.unicodeScalars where scalar.value < 0x20 || (scalar.value >= 0x7f && scalar.value < 0xa0) {
            throw CoreError(.invalidText, "text contains the control character U+\(String(scalar.value, radix: 16))")
        }
        return text
    }

    public mutating func decode<T: CanonicalDecodable>(_ type: T.Type = T.self) throws(CoreError) -> T {
        try T(from: &self)
    }

    public mutating func optional<T: CanonicalDecodable>(_ type: T.Type = T.self) throws(CoreError) -> T? {
        switch try u8() {
        case 0: return nil
        case 1: return try T(from: &self)
        case let other: throw CoreError(.unknownTag, "an optional's tag is 0 or 1, not \(other)")
        }
    }

    public mutating func list<T: CanonicalDecodable>(_ type: T.Type = T.self, max: Int) throws(CoreError) -> [T] {
        let count = try length(max: max)
        var values = [T]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try T(from: &self)) }
        return values
    }

    /// A list whose elements must appear in strictly ascending order of their encodings (a set has one
    /// canonical order, and duplicates are refused).
    public mutating func sortedSet<T: CanonicalDecodable>(_ type: T.Type = T.self, max: Int) throws(CoreError) -> [T] {
        let count = try length(max: max)
        var values = [T]()
        values.reserveCapacity(count)
        var previous: Range<Int>? = nil
        for _ in 0..<count {
            let start = offset
            values.append(try T(from: &self))
            let current = start..<offset
            if let previous, !bytes[previous].lexicographicallyPrecedes(bytes[current]) {
                throw CoreError(.notCanonicalOrder, "set elements must be strictly ascending and distinct")
            }
            previous = current
        }
        return values
    }

    private mutating func bigEndian(count: Int) throws(CoreError) -> UInt64 {
        let slice = try raw(count: count)
        var value: UInt64 = 0
        for byte in slice { value = value << 8 | UInt64(byte) }
        return value
    }
}

extension CanonicalEncoder {
    /// Encodes a set: elements sorted by their canonical bytes, duplicates removed.
    public mutating func sortedSet<T: CanonicalEncodable>(_ values: [T]) {
        let encoded = values.map(\.canonicalBytes).sorted { $0.lexicographicallyPrecedes($1) }
        var unique = [[UInt8]]()
        for item in encoded where unique.last != item { unique.append(item) }
        length(unique.count)
        for item in unique { raw(item) }
    }
}

extension Array where Element: CanonicalEncodable {
    /// The elements in canonical set order (ascending by encoding) without duplicates: what a set field holds,
    /// so that a value equals its own decoding.
    public func canonicalSet() -> [Element] {
        let keyed = map { (bytes: $0.canonicalBytes, value: $0) }.sorted {
            $0.bytes.lexicographicallyPrecedes($1.bytes)
        }
        var result = [Element]()
        result.reserveCapacity(keyed.count)
        var previous: [UInt8]? = nil
        for entry in keyed where entry.bytes != previous {
            result.append(entry.value)
            previous = entry.bytes
        }
        return result
    }
}
