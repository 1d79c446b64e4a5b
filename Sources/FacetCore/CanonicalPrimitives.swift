extension Hash256: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.hash(self) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        self.init(bytes: try decoder.raw(count: 32))
    }
}

extension String: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.text(self) }
    public init(from decoder: inout CanonicalDecoder) throws(CoreError) { self = try decoder.text() }
}

extension UInt64: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.u64(self) }
    public init(from decoder: inout CanonicalDecoder) throws(CoreError) { self = try decoder.u64() }
}

extension UInt32: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.u32(self) }
    public init(from decoder: inout CanonicalDecoder) throws(CoreError) { self = try decoder.u32() }
}

extension Bool: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.bool(self) }
    public init(from decoder: inout CanonicalDecoder) throws(CoreError) { self = try decoder.bool() }
}
