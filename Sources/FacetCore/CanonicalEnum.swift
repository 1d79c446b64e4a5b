/// A field-less enum encoded as its one-byte raw value; any other byte is an unknown tag.
public protocol CanonicalEnum: RawRepresentable, CanonicalCodable, Sendable where RawValue == UInt8 {}

extension CanonicalEnum {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.u8(rawValue) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        let raw = try decoder.u8()
        guard let value = Self(rawValue: raw) else {
            throw CoreError(.unknownTag, "unknown \(Self.self) tag \(raw)")
        }
        self = value
    }
}
