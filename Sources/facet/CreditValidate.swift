import ArgumentParser
import FacetScorecard
import Foundation

/// `facet credit validate`: a model measured on a CSV book with outcomes.
struct CreditValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a model on a CSV book: AUC, Gini, KS, Brier, calibration, IV and stability.")

    @Option(help: "The model JSON (its hash is checked).") var model: String
    @Option(help: "The book: a CSV file with the model's features and the outcome.") var csv: String
    @Option(help: "The outcome column (default: the one the model was trained on).") var target: String?
    @Option(help: "The outcome value that means bad (default: 1 for a 0/1 column, else the rarer value).")
    var bad: String?
    @Option(help: "Also write the report as a self-contained HTML page.") var html: String?
    @Option(help: "Also write the report as JSON.") var json: String?

    func run() async throws {
        let scorecard = try CreditIO.model(model)
        let table = try CreditIO.table(csv)
        let report = try CreditIO.run { () throws(ScorecardError) in
            let dataset = try scorecard.dataset(from: table, target: target, bad: bad)
            return try scorecard.validate(dataset, progress: CreditIO.progress)
        }
        print(report.text(), terminator: "")
        if let html { try CLIFiles.write(Data(report.html().utf8), to: html) }
        if let json {
            let bytes = try CreditIO.run { () throws(ScorecardError) in try report.json() }
            try CLIFiles.write(Data(bytes), to: json)
        }
    }
}
