import ArgumentParser
import FacetScorecard
import Foundation

/// `facet credit score`: a model applied to every row of a CSV book.
struct CreditScore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a CSV book: row, score, pd, grade, reason_1 … reason_4 per row.")

    @Option(help: "The model JSON (its hash is checked).") var model: String
    @Option(help: "The book to score: a CSV file with a header row naming the model's features.") var csv: String
    @Option(help: "Where to write the scores CSV.") var out: String
    @OptionGroup var book: CreditBookOptions
    @OptionGroup var columns: CreditColumnOptions

    func run() async throws {
        let scorecard = try CreditIO.model(model)
        let schema = try book.schema(adding: columns.schema())
        let table = try CreditIO.table(csv, schema: schema)
        CreditIO.progress("scoring \(table.records.count) rows with model \(scorecard.hash ?? "")")
        let read = try CreditIO.run { () throws(ScorecardError) in try scorecard.rows(from: table, schema: schema) }
        for note in read.notes { CreditIO.progress("note: \(note)") }
        let ids = try CreditIO.run { () throws(ScorecardError) -> [String]? in
            guard let id = schema.id else { return nil }
            guard let index = table.header.firstIndex(of: id) else {
                throw ScorecardError(.columnMissing, "the book has no id column '\(id)'")
            }
            return table.records.map { $0[index] }
        }
        let results = scorecard.score(rows: read.rows)
        let csvText = scorecard.scoresCSV(results, ids: ids, idName: schema.id ?? "id")
        try CLIFiles.write(Data(csvText.utf8), to: out)
        print("\(results.count) scores written to \(out)")
    }
}
