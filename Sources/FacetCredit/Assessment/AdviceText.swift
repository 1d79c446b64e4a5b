import FacetCore

/// Amounts and feature values as advice shows them, formatted with integer arithmetic only, so the text is the same
/// on every node.
enum AdviceText {
    /// "1,234,567.89 CNY" from minor units.
    static func money(_ minorUnits: Int64, _ currency: Currency) -> String {
        let digits = currency.minorUnitDigits
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = minorUnits.magnitude
        var text = grouped(magnitude / scale)
        if digits > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return "\(minorUnits < 0 ? "-" : "")\(text) \(currency.code)"
    }

    /// "1,234,567".
    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// `value` with `decimals` digits after the point, rounded half away from zero; "-" for a negative value.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded()
        guard scaled < 9.0e18 else { return "\(value)" }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = grouped(units / divisor)
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && units > 0 ? "-" : "") + text
    }
}
