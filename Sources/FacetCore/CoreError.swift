/// An operating error from FacetCore: an opaque, stable `code` that clients match on, and a plain `message`
/// for people. Codes never change meaning once published; `contracts/errors.md` lists them.
public struct CoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let truncated = Code(rawValue: "encoding.truncated")
        public static let trailingBytes = Code(rawValue: "encoding.trailing_bytes")
        public static let nonMinimal = Code(rawValue: "encoding.non_minimal")
        public static let unknownTag = Code(rawValue: "encoding.unknown_tag")
        public static let outOfRange = Code(rawValue: "encoding.out_of_range")
        public static let overLimit = Code(rawValue: "encoding.over_limit")
        public static let invalidText = Code(rawValue: "encoding.invalid_text")
        public static let notCanonicalOrder = Code(rawValue: "encoding.not_canonical_order")
        public static let moneyOverflow = Code(rawValue: "money.overflow")
        public static let currencyMismatch = Code(rawValue: "money.currency_mismatch")
        public static let unknownCurrency = Code(rawValue: "money.unknown_currency")
        public static let invalidKey = Code(rawValue: "key.invalid")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
