import Foundation

/// How the dashboard writes numbers: fixed decimals with thousands separators, independent of the host's locale, so
/// every node renders a figure alike. (Money and dates, which need FacetCore's types, are in FacetDashboard's
/// `DashboardFormat+Ledger.swift`.)
public enum DashboardFormat {
    /// `1234567.891` with 2 digits → `1,234,567.89`; non-finite values as an em dash.
    public static func number(_ value: Double, digits: Int = 0) -> String {
        guard value.isFinite else { return "—" }
        let text = fixed(value, digits: max(0, min(digits, 6)))
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var whole = ""
        for (offset, digit) in parts[0].reversed().enumerated() {
            if offset > 0, offset % 3 == 0 { whole.append(",") }
            whole.append(digit)
        }
        whole = String(whole.reversed())
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        let isZero = unsigned.allSatisfy { $0 == "0" || $0 == "." }
        return (negative && !isZero ? "-" : "") + whole + fraction
    }

    /// `value` rounded half away from zero to `digits` decimals, `-`, digits and `.` only: no locale and no
    /// formatter (a chart writes thousands of coordinates, and a locale-aware formatter costs microseconds each).
    public static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e15 else { return String(format: "%.\(digits)f", value) }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(units / divisor)
        if digits > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (value < 0 && units != 0 ? "-" : "") + text
    }

    /// A probability as a percentage: `0.0123` → `1.23%`.
    public static func percent(_ value: Double, digits: Int = 2) -> String {
        value.isFinite ? number(value * 100, digits: digits) + "%" : "—"
    }

    /// Axis labels: `1,200,000` → `1.2M`, `45,000` → `45k`, small values with up to two decimals.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let magnitude = abs(value)
        func trimmed(_ scaled: Double, _ suffix: String) -> String {
            var text = number(scaled, digits: 1)
            if text.hasSuffix(".0") { text.removeLast(2) }
            return text + suffix
        }
        if magnitude >= 1e9 { return trimmed(value / 1e9, "G") }
        if magnitude >= 1e6 { return trimmed(value / 1e6, "M") }
        if magnitude >= 1e3 { return trimmed(value / 1e3, "k") }
        if magnitude == magnitude.rounded() { return number(value) }
        // Two significant digits below 1 (0.0042, not "0."), two decimals above; no trailing zeros or point.
        let digits = magnitude >= 1 ? 2 : min(6, Int((-log10(magnitude)).rounded(.down)) + 2)
        var text = number(value, digits: digits)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// SVG coordinates: one decimal, no separators.
    public static func coordinate(_ value: Double) -> String {
        fixed(value.isFinite ? value : 0, digits: 1)
    }
}
