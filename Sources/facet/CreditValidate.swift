import ArgumentParser
import FacetScorecard
import Foundation

/// `facet credit validate`: a model measured on a CSV book with outcomes.
struct CreditValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract:
            "Validate a model on a CSV book or the ledger's loans: AUC, Gini, KS, Brier, calibration, IV, stability.")

    @Option(help: "The model JSON (its hash is checked).") var model: String
    @Option(help: "The book: a CSV file with the model's features and the outcome.") var csv: String?
    @OptionGroup var ledger: LedgerSource
    @Option(help: "The outcome column (default: the one the model was trained on).") var target: String?
    @Option(help: "The outcome value that means bad (default: 1 for a 0/1 column, else the rarer value).")
    var bad: String?
    @Option(help: "The outcome value that means good: with --bad, rows with any other outcome are skipped.")
    var good: String?
    @OptionGroup var book: CreditBookOptions
    @OptionGroup var columns: CreditColumnOptions
    @Option(help: "Also write the report as a self-contained HTML page.") var html: String?
    @Option(help: "Also write the report as JSON.") var json: String?

    func validate() throws {
        guard (csv != nil) != ledger.used else {
            throw ValidationError("give --csv FILE, --from-ledger or --from-demo")
        }
    }

    func run() async throws {
        let scorecard = try CreditIO.model(model)
        var oracle: Double?
        let dataset: Dataset
        if let csv {
            var declared = try columns.schema()
            declared.target = target
            declared.bad = bad
            declared.good = good
            let schema = try book.schema(adding: declared)
            let table = try CreditIO.table(csv, schema: schema)
            let read = try CreditIO.run { () throws(ScorecardError) in try scorecard.book(from: table, schema: schema) }
            CreditIO.report(read)
            dataset = read.dataset
        } else {
            let (rows, _, truth) = try await ledger.rows(.holdout)
            dataset = LedgerSource.dataset(rows)
            oracle = try ledger.oracleAUC(rows, generated: truth)
        }
        let report = try CreditIO.run { () throws(ScorecardError) in
            try scorecard.validate(dataset, progress: CreditIO.progress)
        }
        print(report.text(), terminator: "")
        if let oracle {
            print(
                "oracle AUC \(String(format: "%.4f", oracle)) (the generator's true default probabilities on the same "
                    + "loans): the model reaches \(String(format: "%.1f", 100 * report.auc / oracle)) % of it")
        }
        if let html { try CLIFiles.write(Data(report.html().utf8), to: html) }
        if let json {
            let bytes = try CreditIO.run { () throws(ScorecardError) in try report.json() }
            try CLIFiles.write(Data(bytes), to: json)
        }
    }
}
