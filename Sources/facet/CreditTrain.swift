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
    @Option(help: "The outcome value that means good: with --bad, rows with any other outcome are skipped.")
    var good: String?
    @OptionGroup var book: CreditBookOptions
    @Option(
        parsing: .upToNextOption,
        help: "Columns to leave out (dates, free text, protected attributes such as sex or nationality).")
    var exclude: [String] = []
    @Option(parsing: .upToNextOption, help: "Columns binned as categories even when they hold numbers (codes).")
    var categorical: [String] = []
    @Option(parsing: .upToNextOption, help: "Columns that must hold numbers (a value that is not one is refused).")
    var numeric: [String] = []
    @Option(
        parsing: .unconditionalSingleValue,
        help: "A number that is a code, binned on its own (e.g. -999); repeatable.")
    var special: [Double] = []
    @Option(help: "Quantile pre-bins (fine classes) of a numeric feature before merging.") var fineBins = 20
    @Option(help: "The most range bins a numeric feature keeps.") var maxBins = 8
    @Option(help: "The smallest share of the rows a bin may hold (0 to 0.5).") var minBinShare = 0.05
    @Flag(
        help: ArgumentHelp(
            "Keep every numeric feature monotone (by default a peak or valley shape is allowed where it beats "
                + "the monotone binning under cross-validation; a feature with a declared direction stays monotone)."))
    var monotoneOnly = false
    @Option(help: "Smallest information value a feature needs.") var minIv = 0.02
    @Option(help: "Largest absolute correlation between two features' WoE (without --stepwise).")
    var maxCorrelation = 0.8
    @Flag(
        help: ArgumentHelp(
            "Choose features by forward selection on cross-validated AUC instead of the correlation filter: each "
                + "step adds the feature that raises the held-out AUC most while every sign stays right."))
    var stepwise = false
    @Option(help: "With --stepwise: cross-validation folds.") var folds = 5
    @Option(help: "With --stepwise: the least rise in cross-validated AUC a feature must bring.") var minAucGain = 0.001
    @Option(
        help: ArgumentHelp(
            "The ridge penalty on the regression's slopes (ridge/2 · Σ b², the inverse of scikit-learn's C): "
                + "larger shrinks the points of features that overlap, for small books."))
    var ridge = 1e-6
    @Option(help: "Points at the base odds.") var basePoints = 600.0
    @Option(help: "Good:bad odds at the base points.") var baseOdds = 50.0
    @Option(help: "Points to double the odds.") var pdo = 20.0
    @Option(help: "A JSON object of reason texts by feature name.") var reasons: String?
    @Option(
        help: ArgumentHelp(
            "A JSON model specification: {\"features\": [{\"name\": …, \"direction\": \"higher_is_riskier\" | "
                + "\"higher_is_safer\"}]}; only these features are eligible, and one whose learned direction "
                + "contradicts its declaration is dropped (default with --from-ledger or --from-demo: the ledger model's)."))
    var specification: String?
    @Option(help: "The training date recorded in the model (default: today, UTC); fix it to reproduce a hash.")
    var date: String?
    @Option(help: "Where to write the model JSON.") var out: String

    func validate() throws {
        guard (csv != nil) != ledger.used else {
            throw ValidationError("give --csv FILE, --from-ledger or --from-demo")
        }
        guard ledger.used || target != nil || book.schema != nil else {
            throw ValidationError("--csv needs --target COLUMN (or a --schema naming it)")
        }
        guard pdo > 0, baseOdds > 0 else { throw ValidationError("--pdo and --base-odds are positive") }
        guard fineBins >= 1, maxBins >= 1, minBinShare >= 0, minBinShare <= 0.5 else {
            throw ValidationError("--fine-bins and --max-bins are at least 1, --min-bin-share 0 to 0.5")
        }
        guard minIv >= 0, (0...1).contains(maxCorrelation) else {
            throw ValidationError("--min-iv is at least 0, --max-correlation 0 to 1")
        }
        guard ridge >= 0 else { throw ValidationError("--ridge is at least 0") }
        guard (2...20).contains(folds), minAucGain >= 0 else {
            throw ValidationError("--folds is 2 to 20, --min-auc-gain at least 0")
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
        var declared = ledger.used ? FeatureName.specification : nil
        if let specification {
            do {
                declared = try JSONDecoder().decode(ModelSpecification.self, from: try CLIFiles.read(specification))
            } catch {
                throw ValidationError("\(specification) is not a model specification: \(error)")
            }
        }
        let settings = TrainingSettings(
            binning: BinningSettings(
                maxFineBins: fineBins, minBinShare: minBinShare, maxBins: maxBins, specialValues: special,
                shapes: monotoneOnly ? nil : true), minIV: minIv, maxCorrelation: maxCorrelation,
            regression: LogisticRegression(ridge: ridge),
            scaling: PointsScaling(basePoints: basePoints, baseOdds: baseOdds, pdo: pdo), reasonTexts: texts,
            date: date ?? Self.today(), specification: declared,
            stepwise: stepwise ? StepwiseSelection(folds: folds, minGain: minAucGain) : nil)
        let dataset: Dataset
        let outcome: String
        var holdout: LedgerSource.Parts?
        if let csv {
            let schema = try book.schema(
                adding: BookSchema(
                    target: target, bad: bad, good: good, categorical: categorical, numeric: numeric,
                    exclude: exclude))
            let table = try CreditIO.table(csv, schema: schema)
            CreditIO.progress("read \(table.records.count) rows, \(table.header.count) columns from \(csv)")
            let read = try CreditIO.run { () throws(ScorecardError) in try Dataset.read(table, schema: schema) }
            CreditIO.report(read)
            dataset = read.dataset
            outcome = schema.target ?? ""
        } else {
            let parts = try await ledger.parts()
            dataset = LedgerSource.dataset(parts.training)
            outcome = LedgerSource.target
            if ledger.holdoutPercent > 0 { holdout = parts }
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
        if let holdout { try report(model, holdout) }
    }

    /// The model's AUC on the held-out loans, beside the oracle's where the ground truth is known.
    private func report(_ model: ScorecardModel, _ parts: LedgerSource.Parts) throws {
        let rows = parts.holdout
        let scores = model.score(rows: rows.map(\.features)).map(\.score)
        let auc = Discrimination.auc(scores: scores, bads: rows.map { $0.bad ? 1 : 0 })
        var line = "holdout rows \(rows.count), bads \(rows.filter(\.bad).count), AUC \(String(format: "%.4f", auc))"
        if let oracle = try ledger.oracleAUC(rows, generated: parts.truth) {
            line += ", oracle AUC \(String(format: "%.4f", oracle)): \(String(format: "%.1f", 100 * auc / oracle)) % of it"
        }
        print(line)
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
