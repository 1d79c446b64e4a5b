import FacetCore

/// Exact decimal text → integers: amounts into minor units, weights into millicarats or milligrams. The digits
/// are read one by one into a checked `Int64`, never through `Double`, so "0.1" CNY is 10 fen exactly and
/// "1234.56" is 123456. Text with more fraction digits than the unit has is refused rather than rounded: an amount
/// someone signs must be the amount they typed.
public enum AmountText {
    /// `text` (such as "1234.56") in `currency` (such as "CNY"). Plain digits with at most the currency's minor-unit
    /// digits after a point (none for JPY); no sign, grouping, exponent or spaces.
    public static func money(_ text: String, currency code: String) throws(ClientError) -> Money {
        let currency: Currency
        do {
            currency = try Currency(code)
        } catch {
            let known = Currency.table.map(\.code).joined(separator: ", ")
            throw ClientError(.invalidInput, "\(code) is not a supported currency (\(known))")
        }
        let units = try scaled(text, fractionDigits: currency.minorUnitDigits, limit: Limits.maxAmountMinorUnits) {
            "\(currency) amounts have \($0)"
        }
        do {
            return try Money(minorUnits: units, currency: currency)
        } catch {
            throw ClientError(.invalidInput, error.message)
        }
    }

    /// `text` × 10^`fractionDigits` as an integer, at most `limit`. `unitName` describes the precision for the
    /// error message ("2 decimal places").
    public static func scaled(
        _ text: String, fractionDigits: Int, limit: Int64, unitName: (String) -> String = { "\($0)" }
    ) throws(ClientError) -> Int64 {
        precondition(fractionDigits >= 0 && fractionDigits <= 18, "a scale fits in Int64")
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || !fraction.isEmpty
        else {
            throw ClientError(.invalidInput, "\"\(text)\" is not a plain decimal number like 1234.56")
        }
        guard fraction.count <= fractionDigits else {
            let places = fractionDigits == 0 ? "no decimal places" : "at most \(fractionDigits) decimal places"
            throw ClientError(.invalidInput, "\"\(text)\": \(unitName(places))")
        }
        let digits = whole + fraction + String(repeating: "0", count: fractionDigits - fraction.count)
        var value: Int64 = 0
        for digit in digits {
            guard let number = digit.wholeNumberValue else { preconditionFailure("checked ASCII digits") }
            let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times10.addingReportingOverflow(Int64(number))
            guard !overflowA, !overflowB, sum <= limit else {
                throw ClientError(.invalidInput, "\"\(text)\" is over the limit of \(limit) units")
            }
            value = sum
        }
        return value
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
