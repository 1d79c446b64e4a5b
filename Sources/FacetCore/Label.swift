/// A short machine-readable name: 1 to `Limits.maxLabelBytes` printable ASCII characters (0x21...0x7E, no
/// spaces). Chain ids, certificate numbers, grades and price bands are labels, so each has one spelling.
public struct Label: Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let value: String

    public init(_ value: String) throws(CoreError) {
        guard Label.isValid(Array(value.utf8)) else {
            throw CoreError(.invalidText, "a label is 1 to \(Limits.maxLabelBytes) printable ASCII characters")
        }
        self.value = value
    }

    public static func isValid(_ utf8: [UInt8]) -> Bool {
        !utf8.isEmpty && utf8.count <= Limits.maxLabelBytes && utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7e }
    }

    public var description: String { value }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        Array(lhs.value.utf8).lexicographicallyPrecedes(Array(rhs.value.utf8))
    }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.text(value) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        let bytes = try decoder.byteString(max: Limits.maxLabelBytes)
        guard Label.isValid(bytes) else {
            throw CoreError(.invalidText, "a label is 1 to \(Limits.maxLabelBytes) printable ASCII characters")
        }
        value = String(decoding: bytes, as: UTF8.self)
    }
}
