import FacetScorecard
import Foundation
import Testing

/// A lender's own book as real files arrive: Excel's byte-order mark, `;` and tab delimiters, `N/A` and declared
/// missing tokens, thousands separators, blank targets, declared column types, an id column, and a model column
/// renamed at scoring time.
@Suite struct BookReadingTests {
    @Test func aByteOrderMarkIsDropped() throws {
        let table = try CSVTable.parse("\u{FEFF}Status,amount\r\ngood,1\r\nbad,2\r\n")
        #expect(table.header == ["Status", "amount"])
        let book = try Dataset.read(table, schema: BookSchema(target: "Status", bad: "bad"))
        #expect(book.dataset.targets == [0, 1])
    }

    @Test(arguments: [
        ("a;b;bad\n1,5;x;0\n2;y;1\n", ["1,5", "x", "0"]),  // `;` sniffed: the comma is inside a field
        ("a\tb\tbad\n1,5\tx\t0\n2\ty\t1\n", ["1,5", "x", "0"]),  // tab sniffed
        ("\"a;b\",c,bad\n1,x,0\n2,y,1\n", ["1", "x", "0"]),  // a `;` inside a quoted name does not count
    ])
    func delimitersAreSniffed(text: String, first: [String]) throws {
        let table = try CSVTable.parse(text)
        #expect(table.records.first == first)
        #expect(table.header.count == 3)
    }

    @Test func aGivenDelimiterWins() throws {
        let text = "a;b,c\n1;2,3\n"
        #expect(try CSVTable.parse(text).header == ["a;b", "c"])  // tie: `,` wins
        #expect(try CSVTable.parse(text, delimiter: CSVTable.delimiter(named: ";")).header == ["a", "b,c"])
        #expect(CSVTable.delimiter(named: "tab") == UInt8(ascii: "\t"))
        #expect(CSVTable.delimiter(named: "|") == nil)
    }

    @Test func missingTokensKeepANumericColumnNumeric() throws {
        let text = "income,age,bad\n12,30,0\nN/A,?,1\n#N/A,41,0\n9,-,1\n"
        let plain = try Dataset.read(try CSVTable.parse(text), schema: BookSchema(target: "bad"))
        #expect(plain.dataset.features.map(\.kind) == [.numeric, .categorical])  // `?` and `-` are not declared
        #expect(plain.dataset.rows[1]["income"] == .missing)
        let declared = try Dataset.read(
            try CSVTable.parse(text), schema: BookSchema(missing: ["?", " - "], target: "bad"))
        #expect(declared.dataset.features.map(\.kind) == [.numeric, .numeric])
        #expect(declared.dataset.rows[1]["age"] == .missing)
        #expect(declared.dataset.rows[3]["age"] == .missing)
        #expect(declared.dataset.rows[2]["age"] == .number(41))
    }

    @Test func thousandsSeparators() throws {
        #expect(NumberText.parse("1,234") == 1_234)
        #expect(NumberText.parse("-1,234,567.25") == -1_234_567.25)
        #expect(NumberText.parse("1 234") == 1_234)
        #expect(NumberText.parse("1'234.5") == 1_234.5)
        #expect(NumberText.parse("12,34") == nil)  // irregular grouping is a code, not a number
        #expect(NumberText.parse("1,234,5") == nil)
        #expect(NumberText.parse("1.234,5", decimalComma: true) == 1_234.5)
        #expect(NumberText.parse("12,5", decimalComma: true) == 12.5)
        #expect(NumberText.parse("1.5", decimalComma: true) == nil)
        let text = "revenue,bad\n\"1,234\",0\n\"12,000.5\",1\n500,0\n"
        let book = try Dataset.read(try CSVTable.parse(text), schema: BookSchema(target: "bad"))
        #expect(book.dataset.features.map(\.kind) == [.numeric])
        #expect(book.dataset.rows.map { $0["revenue"] } == [.number(1_234), .number(12_000.5), .number(500)])
        let european = "revenue;bad\n1.234,5;0\n7,25;1\n"
        let read = try Dataset.read(
            try CSVTable.parse(european), schema: BookSchema(decimalComma: true, target: "bad"))
        #expect(read.dataset.rows.map { $0["revenue"] } == [.number(1_234.5), .number(7.25)])
    }

    @Test func blankAndUnknownTargetsAreSkippedAndCounted() throws {
        let text = "x,y,Status\n1,5,good\n2,6,\n3,7,bad\n4,8,N/A\n5,9,pending\n6,1,good\n"
        let book = try Dataset.read(
            try CSVTable.parse(text), schema: BookSchema(target: "Status", bad: "bad", good: "good", id: "x"))
        #expect(book.skippedTargets == 3)
        #expect(book.dataset.targets == [0, 1, 0])
        #expect(book.ids == ["1", "3", "6"])
        // Without `good`, an unknown outcome is a third class: refused rather than guessed.
        let error = #expect(throws: ScorecardError.self) {
            try Dataset.read(try CSVTable.parse(text), schema: BookSchema(target: "Status", bad: "bad"))
        }
        #expect(error?.code == .targetNotBinary)
    }

    @Test func declaredColumnTypesIdsAndExclusions() throws {
        let text = "account,purpose,amount,sex,bad\nA1,10,5,f,0\nA2,20,x7,m,1\nA3,10,8,f,0\n"
        let table = try CSVTable.parse(text)
        let book = try Dataset.read(
            table,
            schema: BookSchema(
                missing: ["x7"], target: "bad", id: "account", categorical: ["purpose"], numeric: ["amount"],
                exclude: ["sex"]))
        #expect(book.dataset.features.map(\.name) == ["purpose", "amount"])
        #expect(book.dataset.features.map(\.kind) == [.categorical, .numeric])
        #expect(book.dataset.rows[0]["purpose"] == .text("10"))
        #expect(book.ids == ["A1", "A2", "A3"])
        let notNumber = #expect(throws: ScorecardError.self) {
            try Dataset.read(table, schema: BookSchema(target: "bad", numeric: ["amount"]))
        }
        #expect(notNumber?.code == .valueNotNumber)
        #expect(notNumber?.reason.contains("record 2") == true && notNumber?.reason.contains("x7") == true)
        let unknown = #expect(throws: ScorecardError.self) {
            try Dataset.read(table, schema: BookSchema(target: "bad", exclude: ["nationality"]))
        }
        #expect(unknown?.code == .columnMissing)
        let both = #expect(throws: ScorecardError.self) {
            try Dataset.read(table, schema: BookSchema(target: "bad", categorical: ["amount"], numeric: ["amount"]))
        }
        #expect(both?.code == .schemaMalformed)
    }

    @Test func aMostlyNumericColumnReadAsCategoriesIsNoted() throws {
        var lines = ["amount,bad"]
        for index in 0..<40 { lines.append("\(index * 10),\(index % 3 == 0 ? 1 : 0)") }
        lines.append("unknown,1")
        let table = try CSVTable.parse(lines.joined(separator: "\n"))
        let book = try Dataset.read(table, schema: BookSchema(target: "bad"))
        #expect(book.dataset.features.map(\.kind) == [.categorical])
        #expect(book.notes.count == 1)
        #expect(book.notes.first?.contains("'unknown'") == true)
    }

    @Test func aRenamedColumnIsRefusedAtScoringUnlessMapped() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 5))
        let names = model.features.map(\.name)
        try #require(names.contains("income"))
        var header = names.map { $0 == "income" ? "Income" : $0 }
        header.insert("ref", at: 0)
        let values = names.map { name -> String in
            let kind = model.features.first(where: { $0.name == name })!.binning.kind
            return switch kind {
            case .numeric: "12"
            case .categorical: "panyu"
            }
        }
        let table = CSVTable(header: header, records: [["r-1"] + values, ["r-2"] + values])
        let refused = #expect(throws: ScorecardError.self) { try model.rows(from: table) }
        #expect(refused?.code == .columnMissing)
        #expect(refused?.reason.contains("'income'") == true)
        let mapped = try model.rows(from: table, schema: BookSchema(columns: ["income": "Income"])).rows
        #expect(mapped[0]["income"] == .number(12))
        let absent = try model.rows(from: table, schema: BookSchema(absent: ["income"])).rows
        #expect(absent[0]["income"] == .missing)
        let results = model.score(rows: mapped)
        let scores = try CSVTable.parse(model.scoresCSV(results, ids: ["r-1", "r-2"], idName: "ref"))
        #expect(Array(scores.header.prefix(3)) == ["row", "ref", "score"])
        #expect(scores.records.map { $0[1] } == ["r-1", "r-2"])
    }

    @Test func aSchemaFileIsReadAndAMisspeltKeyRefused() throws {
        let json = #"{"delimiter": ";", "missing": ["?"], "id": "ref", "categorical": ["zip"], "columns": {"a": "b"}}"#
        let schema = try BookSchema.load(json: Array(json.utf8))
        #expect(schema.delimiterByte == UInt8(ascii: ";"))
        #expect(schema.isMissing(" ? ") && schema.isMissing("N/A") && !schema.isMissing("0"))
        #expect(schema.id == "ref" && schema.categorical == ["zip"] && schema.columns == ["a": "b"])
        let merged = schema.merging(BookSchema(missing: ["-"], target: "bad"))
        #expect(merged.missing == ["?", "-"] && merged.target == "bad" && merged.id == "ref")
        let misspelt = #expect(throws: ScorecardError.self) {
            try BookSchema.load(json: Array(#"{"categorial": ["zip"]}"#.utf8))
        }
        #expect(misspelt?.code == .schemaMalformed)
        #expect(misspelt?.reason.contains("categorial") == true)
    }
}
