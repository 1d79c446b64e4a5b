/// An ISO 4217 currency from the table the consortium trades in. Encoded as its three ASCII letters; a code
/// outside the table is refused, so every amount on the ledger has a known number of minor-unit digits.
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let code: String
    public let minorUnitDigits: Int

    /// Code → digits of the minor unit (ISO 4217).
    public static let table: [(code: String, digits: Int)] = [
        ("AED", 2), ("CHF", 2), ("CNY", 2), ("EUR", 2), ("GBP", 2), ("HKD", 2), ("INR", 2), ("JPY", 0),
        ("MOP", 2), ("SGD", 2), ("THB", 2), ("USD", 2),
    ]

    public static let cny = Currency(known: "CNY")
    public static let usd = Currency(known: "USD")
    public static let hkd = Currency(known: "HKD")

    private init(known code: String) {
        guard let entry = Currency.table.first(where: { $0.code == code }) else {
            preconditionFailure("\(code) is not in the currency table")
        }
        self.code = entry.code
        self.minorUnitDigits = entry.digits
    }

    public init(_ code: String) throws(CoreError) {
        guard let entry = Currency.table.first(where: { $0.code == code }) else {
            throw CoreError(.unknownCurrency, "\(code) is not a supported ISO 4217 currency")
        }
        self.code = entry.code
        self.minorUnitDigits = entry.digits
    }

    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.raw(Array(code.utf8)) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        let bytes = Array(try decoder.raw(count: 3))
        try self.init(String(decoding: bytes, as: UTF8.self))
    }
}

/// An amount in integer minor units (fen, cents) of one currency. Never floating point. Every operation is
/// checked: a result beyond ±`Limits.maxAmountMinorUnits` or across currencies throws, never wraps or traps.
public struct Money: Hashable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) throws(CoreError) {
        guard minorUnits >= -Limits.maxAmountMinorUnits && minorUnits <= Limits.maxAmountMinorUnits else {
            throw CoreError(
                .moneyOverflow, "\(minorUnits) minor units exceeds the limit of ±\(Limits.maxAmountMinorUnits)")
        }
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(validatedMinorUnits: 0, currency: currency)
    }

    private init(validatedMinorUnits: Int64, currency: Currency) {
        self.minorUnits = validatedMinorUnits
        self.currency = currency
    }

    public var isNegative: Bool { minorUnits < 0 }
    public var isPositive: Bool { minorUnits > 0 }

    public func adding(_ other: Money) throws(CoreError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw CoreError(.moneyOverflow, "sum overflows") }
        return try Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(CoreError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw CoreError(.moneyOverflow, "difference overflows") }
        return try Money(minorUnits: difference, currency: currency)
    }

    /// `self × numerator ÷ denominator`, rounded toward zero, computed in 128 bits so the product cannot wrap.
    public func scaled(by numerator: Int64, over denominator: Int64) throws(CoreError) -> Money {
        precondition(denominator > 0, "denominator must be positive")
        let product = minorUnits.multipliedFullWidth(by: numerator)
        guard product.high == 0 || product.high == -1 else {
            throw CoreError(.moneyOverflow, "product overflows")
        }
        let wide = Int64(bitPattern: product.low)
        let consistent = (product.high == 0 && wide >= 0) || (product.high == -1 && wide < 0)
        guard consistent else { throw CoreError(.moneyOverflow, "product overflows") }
        return try Money(minorUnits: wide / denominator, currency: currency)
    }

    public func compare(_ other: Money) throws(CoreError) -> Int {
        try requireSameCurrency(other)
        return minorUnits < other.minorUnits ? -1 : (minorUnits == other.minorUnits ? 0 : 1)
    }

    private func requireSameCurrency(_ other: Money) throws(CoreError) {
        guard currency == other.currency else {
            throw CoreError(.currencyMismatch, "cannot combine \(currency) with \(other.currency)")
        }
    }

    /// "1234.56 CNY": the amount at the currency's minor-unit precision.
    public var description: String {
        let digits = currency.minorUnitDigits
        guard digits > 0 else { return "\(minorUnits) \(currency)" }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = minorUnits.magnitude
        let whole = magnitude / UInt64(scale)
        let fraction = String(magnitude % UInt64(scale))
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return "\(minorUnits < 0 ? "-" : "")\(whole).\(padded) \(currency)"
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.i64(minorUnits)
        encoder.encode(currency)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        let units = try decoder.i64()
        try self.init(minorUnits: units, currency: try decoder.decode())
    }
}
