/// How a feature is binned: numbers by ordered ranges, text by categories.
public enum FeatureKind: String, Codable, Hashable, Sendable {
    case numeric
    case categorical
}

/// Rows of features with a binary outcome (bad = 1), the input of training and validation.
public struct Dataset: Sendable {
    /// Feature names in the order of the source's columns, with how each is binned.
    public let features: [(name: String, kind: FeatureKind)]
    public let rows: [FeatureRow]
    /// 1 for a bad (defaulted) row, 0 for a good one; one per row.
    public let targets: [UInt8]

    public init(features: [(name: String, kind: FeatureKind)], rows: [FeatureRow], targets: [UInt8]) {
        precondition(rows.count == targets.count, "one target per row")
        precondition(targets.allSatisfy { $0 <= 1 }, "targets are 0 or 1")
        self.features = features
        self.rows = rows
        self.targets = targets
    }

    /// A dataset from rows built elsewhere (the ledger's features): every feature name any row holds, sorted; a
    /// feature is numeric when no row gives it a text, categorical otherwise (a number there is read as `other`).
    public init(inferringFeaturesOf rows: [FeatureRow], targets: [UInt8]) {
        var names = Set<String>()
        var texts = Set<String>()
        for row in rows {
            for (name, value) in row {
                names.insert(name)
                if case .text = value { texts.insert(name) }
            }
        }
        let features = names.sorted().map { name in
            (name: name, kind: texts.contains(name) ? FeatureKind.categorical : .numeric)
        }
        self.init(features: features, rows: rows, targets: targets)
    }

    public var badCount: Int { targets.reduce(0) { $0 + Int($1) } }

    /// The texts always read as "no value": empty, `NA`, `N/A`, `#N/A`, `NaN`, `null` (any case, spaces around
    /// them ignored). A book's schema may add its own (`--missing`).
    public static let defaultMissing: Set<String> = ["", "na", "n/a", "#n/a", "nan", "null"]

    /// True for the texts a CSV uses for "no value" in every book (`defaultMissing`).
    public static func isMissing(_ text: String) -> Bool {
        defaultMissing.contains(text.trimmedSpaces.lowercased())
    }

    /// Reads a lender's book with the target `target`, the bad value `bad` and the columns `exclude` left out, the
    /// rest as `read(_:schema:)` does with a schema of defaults.
    public static func fromCSV(
        _ table: CSVTable, target: String, bad: String? = nil, exclude: [String] = []
    ) throws(ScorecardError) -> Dataset {
        try read(table, schema: BookSchema(target: target, bad: bad, exclude: exclude)).dataset
    }

    /// A finite Double from `text` (spaces around it ignored, thousands grouped as `NumberText` reads them), or nil.
    public static func parseNumber(_ text: String) -> Double? {
        NumberText.parse(text)
    }

    /// The bad class: with `bad`, rows whose target equals it (as text, or as a number when both parse) are bad and
    /// the others must share one value. Without it, a target whose two values are the numbers 0 and 1 has 1 as bad;
    /// any other two values make the less frequent one bad, and an exact tie is refused (give `bad`). `values` holds
    /// no missing or unknown target: the reader skipped those rows.
    static func binaryTargets(_ values: [String], bad: String?) throws(ScorecardError) -> [UInt8] {
        // A target of numbers only is compared by value, so "1" and "1.0" are the same class.
        let trimmed = values.map { $0.trimmedSpaces }
        let numeric = trimmed.allSatisfy { parseNumber($0) != nil }
        let texts = numeric ? trimmed.map { "\(parseNumber($0)!)" } : trimmed
        let distinct = Set(texts).sorted()
        if let bad {
            let isBad: (String) -> Bool = { text in
                if text == bad.trimmedSpaces { return true }
                if let a = parseNumber(text), let b = parseNumber(bad) { return a == b }
                return false
            }
            let bads = texts.map(isBad)
            guard bads.contains(true), bads.contains(false) else {
                throw ScorecardError(.targetNotBinary, "the target has no rows equal to '\(bad)', or only such rows")
            }
            let goodValues = Set(zip(texts, bads).filter { !$0.1 }.map { $0.0 })
            guard goodValues.count == 1 else {
                throw ScorecardError(
                    .targetNotBinary,
                    "the target has more than two values: \(distinct.prefix(5).joined(separator: ", "))")
            }
            return bads.map { $0 ? 1 : 0 }
        }
        guard distinct.count == 2 else {
            throw ScorecardError(
                .targetNotBinary,
                "the target takes \(distinct.count) values (\(distinct.prefix(5).joined(separator: ", "))), not two")
        }
        let numbers = distinct.compactMap(parseNumber)
        let badValue: String
        if numbers.count == 2, Set(numbers) == [0, 1] {
            badValue = distinct[numbers.firstIndex(of: 1)!]
        } else {
            let first = texts.filter { $0 == distinct[0] }.count
            let second = texts.count - first
            guard first != second else {
                throw ScorecardError(
                    .targetNotBinary, "'\(distinct[0])' and '\(distinct[1])' are equally frequent: name the bad one")
            }
            badValue = first < second ? distinct[0] : distinct[1]
        }
        return texts.map { $0 == badValue ? 1 : 0 }
    }
}

extension String {
    var trimmedSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
