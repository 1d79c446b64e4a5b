import ArgumentParser
import FacetScorecard
import Foundation

/// How `facet credit train | score | validate` read a lender's book: a schema file and the flags that add to it.
struct CreditBookOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A JSON schema of the book (delimiter, missing, decimalComma, target, bad, good, id, categorical, "
                + "numeric, exclude, absent, columns); the flags below add to it."))
    var schema: String?
    @Option(help: "The delimiter: ',', ';' or 'tab' (default: sniffed from the header line).") var delimiter: String?
    @Option(
        parsing: .unconditionalSingleValue,
        help: "A text meaning no value, besides empty, NA, N/A, #N/A, NaN and null; repeatable.")
    var missing: [String] = []
    @Flag(help: "Numbers use a decimal comma (1.234,5).") var decimalComma = false
    @Option(help: "A column naming each row: never a feature, carried to the scores file.") var id: String?

    func validate() throws {
        if let delimiter, CSVTable.delimiter(named: delimiter) == nil {
            throw ValidationError("--delimiter is ',', ';' or 'tab'")
        }
    }

    /// The schema file (if any) with these flags and `extra` (the subcommand's own declarations) added.
    func schema(adding extra: BookSchema = BookSchema()) throws -> BookSchema {
        var base = BookSchema()
        if let schema {
            let data = try CLIFiles.read(schema)
            base = try CreditIO.run { () throws(ScorecardError) in try BookSchema.load(json: Array(data)) }
        }
        let flags = BookSchema(delimiter: delimiter, missing: missing, decimalComma: decimalComma, id: id)
        return base.merging(flags).merging(extra)
    }

    /// `key=value` pairs (`--column MODEL=BOOK`) as a dictionary; a pair without `=` is a usage error.
    static func pairs(_ texts: [String], flag: String) throws -> [String: String] {
        var pairs = [String: String]()
        for text in texts {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("\(flag) takes MODEL_FEATURE=BOOK_COLUMN, not '\(text)'")
            }
            pairs[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return pairs
    }
}

/// How `facet credit score | validate` find the model's features in a book that names or lacks some.
struct CreditColumnOptions: ParsableArguments {
    @Option(
        parsing: .upToNextOption,
        help: "Model features the book lacks, scored as missing for every row (otherwise a missing column is refused).")
    var absent: [String] = []
    @Option(
        parsing: .upToNextOption, help: "MODEL_FEATURE=BOOK_COLUMN for a feature the book names otherwise.")
    var column: [String] = []

    func schema() throws -> BookSchema {
        BookSchema(absent: absent, columns: try CreditBookOptions.pairs(column, flag: "--column"))
    }
}
