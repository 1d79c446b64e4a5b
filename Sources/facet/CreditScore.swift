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

    func run() async throws {
        let scorecard = try CreditIO.model(model)
        let table = try CreditIO.table(csv)
        CreditIO.progress("scoring \(table.records.count) rows with model \(scorecard.hash ?? "")")
        let results = scorecard.score(rows: scorecard.rows(from: table))
        try CLIFiles.write(Data(scorecard.scoresCSV(results).utf8), to: out)
        print("\(results.count) scores written to \(out)")
    }
}
