/// An operating error from FacetCore: an opaque, stable `code` that clients match on, and a plain `message`
/// for people. Codes never change meaning once published; `contracts/errors.md` lists them.
public typealias CoreError = FacetError<CoreErrorCode>

/// FacetCore's codes: canonical encoding, money, keys.
public struct CoreErrorCode: ErrorCode, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let truncated = Self(rawValue: "encoding.truncated")
    public static let trailingBytes = Self(rawValue: "encoding.trailing_bytes")
    public static let nonMinimal = Self(rawValue: "encoding.non_minimal")
    public static let unknownTag = Self(rawValue: "encoding.unknown_tag")
    public static let outOfRange = Self(rawValue: "encoding.out_of_range")
    public static let overLimit = Self(rawValue: "encoding.over_limit")
    public static let invalidText = Self(rawValue: "encoding.invalid_text")
    public static let notCanonicalOrder = Self(rawValue: "encoding.not_canonical_order")
    public static let moneyOverflow = Self(rawValue: "money.overflow")
    public static let currencyMismatch = Self(rawValue: "money.currency_mismatch")
    public static let unknownCurrency = Self(rawValue: "money.unknown_currency")
    public static let invalidKey = Self(rawValue: "key.invalid")
}
