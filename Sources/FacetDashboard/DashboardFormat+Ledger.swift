import FacetCore
import FacetHTML

/// The dashboard's formats of FacetCore's types: money in a currency and timestamps (numbers are FacetHTML's).
extension DashboardFormat {
    /// Minor units in the currency's major units, with its code: `1,234.50 CNY`.
    static func money(_ minorUnits: Int64, _ currency: Currency) -> String {
        var scale = 1.0
        for _ in 0..<currency.minorUnitDigits { scale *= 10 }
        return number(Double(minorUnits) / scale, digits: currency.minorUnitDigits) + " " + currency.code
    }

    /// The date of a timestamp, `YYYY-MM-DD` (UTC).
    static func date(_ time: Timestamp) -> String { String(time.rfc3339.prefix(10)) }

    /// A date and time, `YYYY-MM-DD HH:MM UTC`.
    static func dateTime(_ time: Timestamp) -> String {
        let text = time.rfc3339
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5)) + " UTC"
    }
}
