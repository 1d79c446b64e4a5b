import FacetScorecard
import Testing

@Suite struct CSVDatasetTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "name,note,bad\r\n\"Chow, Tai\",\"said \"\"hi\"\"\",0\r\nLee,\"two\r\nlines\",1\r\n"
        let table = try CSVTable.parse(text)
        #expect(table.header == ["name", "note", "bad"])
        #expect(table.records == [["Chow, Tai", "said \"hi\"", "0"], ["Lee", "two\r\nlines", "1"]])
    }

    @Test func lastLineWithoutBreakAndEmptyFields() throws {
        let table = try CSVTable.parse("a,b\n1,\n,\"\"")
        #expect(table.records == [["1", ""], ["", ""]])
    }

    @Test func renderingRoundTrips() throws {
        let records = [["x,y", "say \"so\"", "a\nb"], ["1", "", "plain"]]
        let text = CSVTable.render(header: ["p", "q", "r"], records: records)
        #expect(try CSVTable.parse(text) == CSVTable(header: ["p", "q", "r"], records: records))
    }

    @Test(arguments: [
        "a,b\n1,2,3\n",  // too many fields
        "a,b\n\"1,2\n",  // unterminated quote
        "a,b\n\"1\"x,2\n",  // text after a closing quote
        "a,b\n1\"2,3\n",  // quote inside an unquoted field
        "a,a\n1,2\n",  // repeated column
        "",
    ])
    func malformedFilesAreRefused(text: String) {
        let error = #expect(throws: ScorecardError.self) { try CSVTable.parse(text) }
        #expect(error?.code == .csvMalformed)
    }

    @Test func columnTypesAndMissingValues() throws {
        let text = "amount,region,bad\n12.5,panyu,0\nNA,NULL,1\n nan ,shuibei,0\n-999,12,1\n,panyu,0\n"
        let data = try Dataset.fromCSV(try CSVTable.parse(text), target: "bad")
        #expect(data.features.map(\.name) == ["amount", "region"])
        #expect(data.features.map(\.kind) == [.numeric, .categorical])
        #expect(data.rows[0]["amount"] == .number(12.5))
        #expect(data.rows[1]["amount"] == .missing)
        #expect(data.rows[1]["region"] == .missing)
        #expect(data.rows[2]["amount"] == .missing)
        #expect(data.rows[3]["region"] == .text("12"))
        #expect(data.targets == [0, 1, 0, 1, 0])
    }

    @Test func targetRules() throws {
        let yesNo = try CSVTable.parse("x,outcome\n1,yes\n2,no\n3,no\n")
        #expect(try Dataset.fromCSV(yesNo, target: "outcome").targets == [1, 0, 0])  // the rarer value is bad
        #expect(try Dataset.fromCSV(yesNo, target: "outcome", bad: "no").targets == [0, 1, 1])
        let numeric = try CSVTable.parse("x,bad\n1,1.0\n2,0\n3,1\n")
        #expect(try Dataset.fromCSV(numeric, target: "bad").targets == [1, 0, 1])  // 0/1: 1 is bad however common
        #expect(try Dataset.fromCSV(numeric, target: "bad", exclude: []).features.map(\.name) == ["x"])
    }

    @Test func targetErrors() throws {
        func code(_ text: String, target: String = "bad", bad: String? = nil, exclude: [String] = []) -> String? {
            do {
                _ = try Dataset.fromCSV(try CSVTable.parse(text), target: target, bad: bad, exclude: exclude)
                return nil
            } catch { return error.code.rawValue }
        }
        #expect(code("x,y\n1,0\n") == "scorecard.target_missing")
        #expect(code("x,bad\n1,\n2,NA\n") == "scorecard.target_missing")  // every target blank
        #expect(code("x,bad\n1,0\n2,1\n3,2\n") == "scorecard.target_not_binary")
        #expect(code("x,bad\n1,0\n2,0\n") == "scorecard.target_not_binary")
        #expect(code("x,bad\n1,a\n2,b\n") == "scorecard.target_not_binary")  // tie: name the bad one
        #expect(code("x,bad\n1,a\n2,b\n", bad: "c") == "scorecard.target_not_binary")
        #expect(code("x,bad\n1,a\n2,b\n", bad: "a") == nil)
        #expect(code("x,bad\n1,0\n2,1\n", exclude: ["x"]) == "scorecard.no_features")
        #expect(code("x,bad\n") == "scorecard.insufficient_data")
    }

    @Test func featuresInferredFromRows() {
        let rows: [FeatureRow] = [["b": .number(1), "a": .text("x")], ["b": .missing, "c": .number(2)]]
        let data = Dataset(inferringFeaturesOf: rows, targets: [0, 1])
        #expect(data.features.map(\.name) == ["a", "b", "c"])
        #expect(data.features.map(\.kind) == [.categorical, .numeric, .numeric])
    }
}
