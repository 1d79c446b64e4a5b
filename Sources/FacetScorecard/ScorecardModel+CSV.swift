extension ScorecardModel {
    /// The book's column index for each model feature: its own name, or the column `schema.columns` maps it to.
    /// A feature the book lacks is refused (`columnMissing`, naming it) unless `schema.absent` lists it, in which
    /// case it is missing for every row: a renamed column is never read silently as all missing.
    public func columnIndices(in header: [String], schema: BookSchema = BookSchema()) throws(ScorecardError) -> [Int?] {
        var indices = [Int?]()
        for feature in features {
            let column = schema.columns[feature.name] ?? feature.name
            if let index = header.firstIndex(of: column) {
                indices.append(index)
            } else if schema.absent.contains(feature.name) {
                indices.append(nil)
            } else {
                throw ScorecardError(
                    .columnMissing,
                    "the book has no column '\(column)', which the model uses (map it with --column "
                        + "\(feature.name)=BOOK_COLUMN, or score it as missing with --absent \(feature.name))")
            }
        }
        return indices
    }

    /// The model's features read from a CSV book, each parsed as the model's binning expects and the book's schema
    /// says (missing tokens, number format): a numeric feature's text that is not a number counts as missing and is
    /// counted in a note.
    public func rows(from table: CSVTable, schema: BookSchema = BookSchema()) throws(ScorecardError)
        -> (rows: [FeatureRow], notes: [String])
    {
        let indices = try columnIndices(in: table.header, schema: schema)
        var unreadable = [Int](repeating: 0, count: features.count)
        let rows = table.records.map { record in
            var row = FeatureRow()
            for (position, feature) in features.enumerated() {
                guard let index = indices[position] else {
                    row[feature.name] = .missing
                    continue
                }
                let value = Dataset.value(record[index], kind: feature.binning.kind, schema)
                if value == .missing, feature.binning.kind == .numeric, !schema.isMissing(record[index]) {
                    unreadable[position] += 1
                }
                row[feature.name] = value
            }
            return row
        }
        let notes = zip(features, unreadable).filter { $0.1 > 0 }.map { feature, count in
            "feature '\(feature.name)': \(count) values are not numbers and were scored as missing"
        }
        return (rows, notes)
    }

    /// A validation book: the model's features (as `rows(from:schema:)` reads them) with the outcome in the schema's
    /// target (the model's target column unless named), whose bad class follows `Dataset.read`'s rule; rows with a
    /// missing or unknown target are skipped and counted.
    public func book(from table: CSVTable, schema: BookSchema = BookSchema()) throws(ScorecardError) -> LenderBook {
        let column = schema.target ?? target
        guard let targetIndex = table.header.firstIndex(of: column) else {
            throw ScorecardError(.targetMissing, "no column named '\(column)'")
        }
        guard !table.records.isEmpty else { throw ScorecardError(.insufficientData, "the file has no records") }
        let numbers = table.records.indices.filter { Dataset.knownTarget(table.records[$0][targetIndex], schema) }
        guard !numbers.isEmpty else {
            throw ScorecardError(.targetMissing, "every record's target '\(column)' is missing or unknown")
        }
        let kept = CSVTable(header: table.header, records: numbers.map { table.records[$0] })
        let targets = try Dataset.binaryTargets(kept.records.map { $0[targetIndex] }, bad: schema.bad)
        let read = try rows(from: kept, schema: schema)
        let ids = schema.id.flatMap { table.header.firstIndex(of: $0) }.map { index in kept.records.map { $0[index] } }
        return LenderBook(
            dataset: Dataset(
                features: features.map { (name: $0.name, kind: $0.binning.kind) }, rows: read.rows, targets: targets),
            ids: ids, skippedTargets: table.records.count - numbers.count, notes: read.notes)
    }

    /// A validation book with the outcome in `target` (the model's own unless named) and the bad value `bad`.
    public func dataset(from table: CSVTable, target: String? = nil, bad: String? = nil) throws(ScorecardError)
        -> Dataset
    {
        try book(from: table, schema: BookSchema(target: target, bad: bad)).dataset
    }

    /// Scores as CSV: `row` (the record's 1-based number), the id column when `ids` are given (under `idName`),
    /// `score`, `pd` (shortest decimal that reads back to the same Double), `grade`, and `reason_1` … `reason_4`
    /// (the reason texts, empty when fewer).
    public func scoresCSV(_ results: [ScoreResult], ids: [String]? = nil, idName: String = "id") -> String {
        precondition(ids == nil || ids?.count == results.count, "one id per result")
        let idHeader = ids == nil ? [] : [idName]
        let header = ["row"] + idHeader + ["score", "pd", "grade"] + (1...Self.maxReasons).map { "reason_\($0)" }
        let records = results.enumerated().map { offset, result in
            var record = ["\(offset + 1)"] + (ids.map { [$0[offset]] } ?? [])
            record += ["\(result.score)", "\(result.pd)", result.grade]
            for index in 0..<Self.maxReasons {
                record.append(index < result.reasons.count ? result.reasons[index].text : "")
            }
            return record
        }
        return CSVTable.render(header: header, records: records)
    }
}
