/// A lender's book as training and validation read it: the dataset, each kept row's id, how many rows were skipped
/// for a blank or unknown target, and notes on how columns were read that the lender should see.
public struct LenderBook: Sendable {
    public let dataset: Dataset
    /// The id column's value per kept row, when the schema names one.
    public let ids: [String]?
    /// Rows left out because their target was missing or, with both `bad` and `good` given, neither.
    public let skippedTargets: Int
    /// One line per column read in a way the lender may not expect (text in a mostly numeric column, a column
    /// whose values are nearly all distinct).
    public let notes: [String]
}

extension Dataset {
    /// Reads a lender's book as `schema` says. The target is `schema.target`; rows whose target is missing (or, with
    /// `bad` and `good` both given, is neither) are skipped and counted. The id and excluded columns are never
    /// features. A column declared categorical is binned as categories, one declared numeric must hold numbers
    /// (else `valueNotNumber` names the record); any other column is numeric when every non-missing value parses as
    /// a number in the book's format, categorical otherwise.
    public static func read(_ table: CSVTable, schema: BookSchema) throws(ScorecardError) -> LenderBook {
        guard let target = schema.target else { throw ScorecardError(.targetMissing, "no target column named") }
        guard let targetIndex = table.header.firstIndex(of: target) else {
            throw ScorecardError(.targetMissing, "no column named '\(target)'")
        }
        try checkDeclaredColumns(table.header, schema)
        guard !table.records.isEmpty else { throw ScorecardError(.insufficientData, "the file has no records") }
        let numbers = table.records.indices.filter { knownTarget(table.records[$0][targetIndex], schema) }
        let kept = numbers.map { table.records[$0] }
        guard !kept.isEmpty else {
            throw ScorecardError(.targetMissing, "every record's target '\(target)' is missing or unknown")
        }
        let targets = try binaryTargets(kept.map { $0[targetIndex] }, bad: schema.bad)
        var notes = [String]()
        var features = [(name: String, kind: FeatureKind)]()
        var indices = [Int]()
        let left = Set(schema.exclude + [target] + (schema.id.map { [$0] } ?? []))
        for (index, name) in table.header.enumerated() where !left.contains(name) {
            let values = kept.map { $0[index] }
            let kind = try columnKind(name, values: values, records: numbers, schema, notes: &notes)
            features.append((name: name, kind: kind))
            indices.append(index)
        }
        guard !features.isEmpty else { throw ScorecardError(.noFeatures, "no column remains beside the target") }
        let rows = kept.map { record in
            var row = FeatureRow()
            for (index, feature) in zip(indices, features) {
                row[feature.name] = value(record[index], kind: feature.kind, schema)
            }
            return row
        }
        let ids = schema.id.flatMap { table.header.firstIndex(of: $0) }.map { index in kept.map { $0[index] } }
        return LenderBook(
            dataset: Dataset(features: features, rows: rows, targets: targets), ids: ids,
            skippedTargets: table.records.count - kept.count, notes: notes)
    }

    /// A field as a feature of `kind`: missing, a number, or trimmed text (a numeric column's non-number is missing;
    /// `columnKind` has already refused one in a column declared numeric).
    static func value(_ text: String, kind: FeatureKind, _ schema: BookSchema) -> FeatureValue {
        if schema.isMissing(text) { return .missing }
        switch kind {
        case .numeric: return schema.number(text).map(FeatureValue.number) ?? .missing
        case .categorical: return .text(text.trimmedSpaces)
        }
    }

    static func knownTarget(_ text: String, _ schema: BookSchema) -> Bool {
        if schema.isMissing(text) { return false }
        guard let bad = schema.bad, let good = schema.good else { return true }
        return sameValue(text, bad) || sameValue(text, good)
    }

    /// Equal as trimmed texts, or as numbers when both parse.
    static func sameValue(_ a: String, _ b: String) -> Bool {
        if a.trimmedSpaces == b.trimmedSpaces { return true }
        if let x = parseNumber(a), let y = parseNumber(b) { return x == y }
        return false
    }

    static func checkDeclaredColumns(_ header: [String], _ schema: BookSchema) throws(ScorecardError) {
        let declared = (schema.id.map { [$0] } ?? []) + schema.categorical + schema.numeric + schema.exclude
        if let absent = declared.first(where: { !header.contains($0) }) {
            throw ScorecardError(.columnMissing, "the schema names column '\(absent)', which the book lacks")
        }
        if let both = schema.categorical.first(where: { schema.numeric.contains($0) }) {
            throw ScorecardError(.schemaMalformed, "column '\(both)' is declared both categorical and numeric")
        }
    }

    static func columnKind(
        _ name: String, values: [String], records: [Int], _ schema: BookSchema, notes: inout [String]
    ) throws(ScorecardError) -> FeatureKind {
        if schema.categorical.contains(name) { return .categorical }
        let present = values.enumerated().filter { !schema.isMissing($0.element) }
        let texts = present.filter { schema.number($0.element) == nil }
        if schema.numeric.contains(name) {
            if let first = texts.first {
                throw ScorecardError(
                    .valueNotNumber,
                    "column '\(name)', record \(records[first.offset] + 1): '\(first.element)' is not a number "
                        + "(declare it missing with --missing, or the column categorical)")
            }
            return .numeric
        }
        guard texts.isEmpty else {
            if texts.count * 10 <= present.count {
                let examples = Set(texts.map { $0.element.trimmedSpaces }).sorted().prefix(3)
                notes.append(
                    "column '\(name)' read as categories: \(texts.count) of \(present.count) values are not numbers "
                        + "(\(examples.map { "'\($0)'" }.joined(separator: ", "))); declare them with --missing, "
                        + "or the column with --numeric")
            } else {
                let distinct = Set(present.map { $0.element.trimmedSpaces }).count
                if distinct > 20 && distinct * 2 > present.count {
                    notes.append(
                        "column '\(name)' has \(distinct) distinct values in \(present.count) rows: "
                            + "if it names rows, declare it with --id or --exclude")
                }
            }
            return .categorical
        }
        return .numeric
    }
}
