import FacetCore

/// What a price band may say, per category: only bands a valuation can read are accepted, each with one spelling.
///
/// - gold `AU<fineness>-PER-G`, platinum `PT<fineness>-PER-G`: the price per gram at that fineness, written as
///   three digits in thousandths (100–999) or four in ten-thousandths (9000–9999): `AU9999-PER-G`, `PT950-PER-G`.
/// - natural and lab-grown diamonds `<carats>CT-<color>-<clarity>-PER-CT`: the price per carat of a stone of that
///   size and grade. Carats 0.01–99.99 in plain decimal without a trailing zero (`1`, `0.5`, `1.25`); color D–K;
///   clarity FL, IF, VVS1, VVS2, VS1, VS2, SI1, SI2 or I1: `1CT-G-VS2-PER-CT`.
/// - colored stones `<name>-PER-CT`; jadeite, pearl and crystal `<name>-PER-G`: a name of one to four words of
///   capitals and digits joined by `-`, none of them `PER`: `TYPE-A-PER-G`, `CLEAR-QUARTZ-PER-G`.
public enum PriceBandGrammar {
    /// Diamond colors a band may name, best first (the valuation's grading tables cover exactly these).
    public static let colors = ["D", "E", "F", "G", "H", "I", "J", "K"]
    /// Diamond clarities a band may name, best first.
    public static let clarities = ["FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1"]

    /// Why `band` is not a band of `category`, or nil when it is one.
    public static func problem(_ band: String, category: PieceCategory) -> String? {
        let parts = band.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch category {
        case .gold: return metal(parts, symbol: "AU")
        case .platinum: return metal(parts, symbol: "PT")
        case .naturalDiamond, .labGrownDiamond: return diamond(parts)
        case .coloredStone: return named(parts, unit: "CT")
        case .jadeite, .pearl, .crystal: return named(parts, unit: "G")
        }
    }

    /// A diamond band's size in hundredths of a carat, color and clarity; nil when `band` is not one.
    public static func diamondGrade(_ band: String) -> (hundredths: Int, color: String, clarity: String)? {
        let parts = band.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard diamond(parts) == nil, let size = carats(String(parts[0].dropLast(2))) else { return nil }
        return (size, parts[1], parts[2])
    }

    private static func metal(_ parts: [String], symbol: String) -> String? {
        guard parts.count == 3, parts[1] == "PER", parts[2] == "G", parts[0].hasPrefix(symbol) else {
            return "a metal band is \(symbol)<fineness>-PER-G"
        }
        let digits = String(parts[0].dropFirst(symbol.count))
        guard digits.allSatisfy(\.isASCIIDigit), let fineness = Int(digits),
            (digits.count == 3 && (100...999).contains(fineness))
                || (digits.count == 4 && (9000...9999).contains(fineness))
        else { return "a fineness is three digits 100–999 or four digits 9000–9999" }
        return nil
    }

    private static func diamond(_ parts: [String]) -> String? {
        guard parts.count == 5, parts[3] == "PER", parts[4] == "CT", parts[0].hasSuffix("CT") else {
            return "a diamond band is <carats>CT-<color>-<clarity>-PER-CT"
        }
        guard carats(String(parts[0].dropLast(2))) != nil else {
            return "carats are 0.01–99.99 in plain decimal without a trailing zero"
        }
        guard colors.contains(parts[1]) else { return "a color is one of \(colors.joined(separator: " "))" }
        guard clarities.contains(parts[2]) else { return "a clarity is one of \(clarities.joined(separator: " "))" }
        return nil
    }

    /// `1`, `0.5`, `1.25` as hundredths of a carat (100, 50, 125); nil for anything else.
    private static func carats(_ text: String) -> Int? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(pieces.count), let whole = pieces.first, (1...2).contains(whole.count),
            whole.allSatisfy(\.isASCIIDigit), whole == "0" || !whole.hasPrefix("0"), let units = Int(whole)
        else { return nil }
        var hundredths = units * 100
        if pieces.count == 2 {
            let fraction = pieces[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit), !fraction.hasSuffix("0"),
                let value = Int(fraction)
            else { return nil }
            hundredths += fraction.count == 1 ? value * 10 : value
        }
        return hundredths > 0 ? hundredths : nil
    }

    private static func named(_ parts: [String], unit: String) -> String? {
        guard parts.count >= 3, parts.count <= 6, parts[parts.count - 2] == "PER", parts.last == unit else {
            return "this category's band is <name>-PER-\(unit)"
        }
        for word in parts.dropLast(2) {
            guard !word.isEmpty, word != "PER", word.allSatisfy({ $0.isASCIIDigit || ("A"..."Z").contains($0) })
            else { return "a name is one to four words of capitals and digits joined by -" }
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
