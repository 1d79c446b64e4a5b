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

    /// True for the texts a CSV uses for "no value": empty, `NA`, `NaN`, `null` (any case, surrounding spaces ignored).
    public static func isMissing(_ text: String) -> Bool {
        let trimmed = text.trimmedSpaces.lowercased()
        return trimmed.isEmpty || trimmed == "na" || trimmed == "nan" || trimmed == "null"
    }

    /// Reads a lender's book. A column is numeric when every non-missing value parses as a finite Double, otherwise
    /// categorical (its values kept as trimmed text).
    ///
    /// The bad class: with `bad`, rows whose target equals it (as text, or as a number when both parse) are bad and
    /// the column must hold exactly two distinct values. Without it, a target whose two values are the numbers 0 and 1
    /// has 1 as bad; any other two values make the less frequent one bad, and an exact tie is refused (give `bad`).
    public static func fromCSV(
        _ table: CSVTable, target: String, bad: String? = nil, exclude: [String] = []
    ) throws(ScorecardError) -> Dataset {
        guard let targetIndex = table.header.firstIndex(of: target) else {
            throw ScorecardError(.targetMissing, "no column named '\(target)'")
        }
        guard !table.records.isEmpty else { throw ScorecardError(.insufficientData, "the file has no records") }
        let targets = try binaryTargets(table.records.map { $0[targetIndex] }, bad: bad)
        var features = [(name: String, kind: FeatureKind)]()
        var columns = [(index: Int, kind: FeatureKind)]()
        for (index, name) in table.header.enumerated() where index != targetIndex && !exclude.contains(name) {
            let numeric = table.records.allSatisfy { record in
                isMissing(record[index]) || parseNumber(record[index]) != nil
            }
            let kind: FeatureKind = numeric ? .numeric : .categorical
            features.append((name: name, kind: kind))
            columns.append((index: index, kind: kind))
        }
        guard !features.isEmpty else { throw ScorecardError(.noFeatures, "no column remains beside the target") }
        let rows = table.records.map { record in
            var row = FeatureRow()
            for (column, feature) in zip(columns, features) {
                let text = record[column.index]
                if isMissing(text) {
                    row[feature.name] = .missing
                } else if column.kind == .numeric, let number = parseNumber(text) {
                    row[feature.name] = .number(number)
                } else {
                    row[feature.name] = .text(text.trimmedSpaces)
                }
            }
            return row
        }
        return Dataset(features: features, rows: rows, targets: targets)
    }

    /// A finite Double from `text` (spaces around it ignored), or nil.
    public static func parseNumber(_ text: String) -> Double? {
        guard let value = Double(text.trimmedSpaces), value.isFinite else { return nil }
        return value
    }

    static func binaryTargets(_ values: [String], bad: String?) throws(ScorecardError) -> [UInt8] {
        for (offset, value) in values.enumerated() where isMissing(value) {
            throw ScorecardError(.targetMissing, "record \(offset + 1) has no target value")
        }
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
