/// A number as a lender's book writes it: plain (`1234.5`, `-3e2`), or with thousands grouped by `,`, `'`, a space or
/// a no-break space (`1,234,567.5`, `1 234`). With a decimal comma (books from much of Europe) the roles swap: `,` is
/// the decimal mark and `.`, `'` or a space group thousands (`1.234,5`). Grouping must be regular (one separator,
/// groups of three after the first of one to three digits), so a code such as `12,34` is not read as a number.
public enum NumberText {
    /// A finite Double from `text` (spaces around it ignored), or nil.
    public static func parse(_ text: String, decimalComma: Bool = false) -> Double? {
        let trimmed = text.trimmedSpaces
        if !decimalComma, let value = Double(trimmed) { return value.isFinite ? value : nil }
        guard let plain = ungrouped(trimmed, decimalComma: decimalComma), let value = Double(plain) else { return nil }
        return value.isFinite ? value : nil
    }

    /// `text` without its thousands separators and with a `.` decimal mark, or nil when its grouping is irregular.
    static func ungrouped(_ text: String, decimalComma: Bool) -> String? {
        let decimalMark: Character = decimalComma ? "," : "."
        let separators: Set<Character> = [decimalComma ? "." : ",", "'", " ", "\u{00A0}", "\u{202F}"]
        var body = Substring(text)
        var sign = ""
        if let first = body.first, first == "-" || first == "+" {
            sign = String(first)
            body = body.dropFirst()
        }
        let parts = body.split(separator: decimalMark, maxSplits: 1, omittingEmptySubsequences: false)
        guard let integer = parts.first, !integer.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : nil
        if let fraction, fraction.isEmpty || !fraction.allSatisfy(\.isASCIIDigit) { return nil }
        var digits = ""
        let separator = integer.first { separators.contains($0) }
        if let separator {
            let groups = integer.split(separator: separator, omittingEmptySubsequences: false)
            guard let lead = groups.first, (1...3).contains(lead.count),
                groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
            digits = groups.joined()
        } else {
            guard integer.allSatisfy(\.isASCIIDigit) else { return nil }
            digits = String(integer)
        }
        return sign + digits + (fraction.map { "." + $0 } ?? "")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
