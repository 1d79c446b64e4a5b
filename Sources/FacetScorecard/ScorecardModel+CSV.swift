extension ScorecardModel {
    /// The model's features read from a CSV book by column name, each parsed as the model's binning expects: a
    /// numeric feature's text that is not a number counts as missing, a column the book lacks is missing.
    public func rows(from table: CSVTable) -> [FeatureRow] {
        let columns = features.map { feature in
            (name: feature.name, kind: feature.binning.kind, index: table.header.firstIndex(of: feature.name))
        }
        return table.records.map { record in
            var row = FeatureRow()
            for column in columns {
                guard let index = column.index, !Dataset.isMissing(record[index]) else {
                    row[column.name] = .missing
                    continue
                }
                switch column.kind {
                case .numeric:
                    row[column.name] = Dataset.parseNumber(record[index]).map(FeatureValue.number) ?? .missing
                case .categorical: row[column.name] = .text(record[index].trimmedSpaces)
                }
            }
            return row
        }
    }

    /// A validation book: the model's features (as `rows(from:)` reads them) with the outcome in `target`
    /// (the model's target column unless named), whose bad class follows `Dataset.fromCSV`'s rule.
    public func dataset(from table: CSVTable, target: String? = nil, bad: String? = nil) throws(ScorecardError)
        -> Dataset
    {
        let column = target ?? self.target
        guard let targetIndex = table.header.firstIndex(of: column) else {
            throw ScorecardError(.targetMissing, "no column named '\(column)'")
        }
        guard !table.records.isEmpty else { throw ScorecardError(.insufficientData, "the file has no records") }
        let targets = try Dataset.binaryTargets(table.records.map { $0[targetIndex] }, bad: bad)
        return Dataset(
            features: features.map { (name: $0.name, kind: $0.binning.kind) }, rows: rows(from: table), targets: targets
        )
    }

    /// Scores as CSV: `row` (the record's 1-based number), `score`, `pd` (shortest decimal that reads back to the
    /// same Double), `grade`, and `reason_1` … `reason_4` (the reason texts, empty when fewer).
    public func scoresCSV(_ results: [ScoreResult]) -> String {
        let header = ["row", "score", "pd", "grade"] + (1...Self.maxReasons).map { "reason_\($0)" }
        let records = results.enumerated().map { offset, result in
            var record = ["\(offset + 1)", "\(result.score)", "\(result.pd)", result.grade]
            for index in 0..<Self.maxReasons {
                record.append(index < result.reasons.count ? result.reasons[index].text : "")
            }
            return record
        }
        return CSVTable.render(header: header, records: records)
    }
}
