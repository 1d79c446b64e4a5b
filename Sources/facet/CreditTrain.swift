import ArgumentParser
import FacetCredit
import FacetScorecard
import Foundation

/// `facet credit train`: a scorecard from a CSV book, written as a content-hashed JSON model.
struct CreditTrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a scorecard on a CSV book (one row per loan, a binary outcome) or on the ledger's loans.")

    @Option(help: "The book: a CSV file with a header row.") var csv: String?
    @OptionGroup var ledger: LedgerSource
    @Option(help: "The outcome column (with --csv).") var target: String?
    @Option(help: "The outcome value that means bad (default: 1 for a 0/1 column, else the rarer value).")
    var bad: String?
    @Option(parsing: .upToNextOption, help: "Columns to leave out (ids, dates, …).") var exclude: [String] = []
    @Option(
        parsing: .unconditionalSingleValue,
        help: "A number that is a code, binned on its own (e.g. -999); repeatable.")
    var special: [Double] = []
    @Option(help: "Smallest information value a feature needs.") var minIv = 0.02
    @Option(help: "Largest absolute correlation between two features' WoE.") var maxCorrelation = 0.8
    @Option(help: "Points at the base odds.") var basePoints = 600.0
    @Option(help: "Good:bad odds at the base points.") var baseOdds = 50.0
    @Option(help: "Points to double the odds.") var pdo = 20.0
    @Option(help: "A JSON object of reason texts by feature name.") var reasons: String?
    @Option(help: "The training date recorded in the model (default: today, UTC); fix it to reproduce a hash.")
    var date: String?
    @Option(help: "Where to write the model JSON.") var out: String

    func validate() throws {
        guard (csv != nil) != ledger.fromLedger else { throw ValidationError("give --csv FILE or --from-ledger") }
        guard ledger.fromLedger || target != nil else { throw ValidationError("--csv needs --target COLUMN") }
        guard pdo > 0, baseOdds > 0 else { throw ValidationError("--pdo and --base-odds are positive") }
        guard minIv >= 0, (0...1).contains(maxCorrelation) else {
            throw ValidationError("--min-iv is at least 0, --max-correlation 0 to 1")
        }
    }

    func run() async throws {
        var texts = FeatureName.reasonTexts
        if let reasons {
            do {
                texts = try JSONDecoder().decode([String: String].self, from: try CLIFiles.read(reasons))
            } catch {
                throw ValidationError("\(reasons) is not a JSON object of texts by feature name")
            }
        }
        let settings = TrainingSettings(
            binning: BinningSettings(specialValues: special), minIV: minIv, maxCorrelation: maxCorrelation,
            scaling: PointsScaling(basePoints: basePoints, baseOdds: baseOdds, pdo: pdo), reasonTexts: texts,
            date: date ?? Self.today())
        let dataset: Dataset
        let outcome: String
        if let csv, let target {
            let table = try CreditIO.table(csv)
            CreditIO.progress("read \(table.records.count) rows, \(table.header.count) columns from \(csv)")
            dataset = try CreditIO.run { () throws(ScorecardError) in
                try Dataset.fromCSV(table, target: target, bad: bad, exclude: exclude)
            }
            outcome = target
        } else {
            dataset = LedgerSource.dataset(try await ledger.rows(.training).rows)
            outcome = LedgerSource.target
        }
        let model = try CreditIO.run { () throws(ScorecardError) in
            try ScorecardTrainer(settings: settings).train(dataset, target: outcome, progress: CreditIO.progress)
        }
        let json = try CreditIO.run { () throws(ScorecardError) in try model.fileJSON() }
        try CLIFiles.write(Data(json), to: out)
        print("model \(model.hash ?? "") written to \(out)")
        print("features \(model.features.map(\.name).joined(separator: ", "))")
        for dropped in model.training.dropped { print("dropped \(dropped.name): \(dropped.reason)") }
        print(
            "training rows \(model.training.rows), bads \(model.training.bads), AUC \(model.training.auc), KS \(model.training.ks)"
        )
    }

    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        let pad: (Int?) -> String = { value in
            let text = "\(value ?? 0)"
            return text.count < 2 ? "0" + text : text
        }
        return "\(parts.year ?? 0)-\(pad(parts.month))-\(pad(parts.day))"
    }
}
