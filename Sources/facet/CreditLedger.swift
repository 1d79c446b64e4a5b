import ArgumentParser
import FacetCore
import FacetCredit
import FacetDemo
import FacetDevnet
import FacetLedger
import FacetNode
import FacetScorecard
import FacetStore
import Foundation

/// `--from-ledger`: the loans a node has committed, as a training or validation set. The node's store is replayed
/// block by block into a `FeatureIndex`; each closed loan becomes a row of its borrower's features as they stood
/// just before the loan opened, and its outcome (bad = declared in default). `--from-demo`: the same from the demo
/// history of the seed files, generated and executed in this process (no devnet needed), with its ground truth.
struct LedgerSource: ParsableArguments {
    @Flag(help: "Use the loans the ledger holds instead of a CSV book.") var fromLedger = false
    @Flag(
        help: ArgumentHelp(
            "Use the loans of the demo history instead: generated from the seed files and executed in this process, "
                + "block by block as facet devnet commits it (from the seed file's start date), with its ground truth."
        ))
    var fromDemo = false
    @Option(help: "With --from-demo: the seed files' folder (default: ./seeds, else the repository's).")
    var seeds: String?
    @Option(help: "With --from-ledger: the node's configuration, for its store and genesis.")
    var config = "devnet/validator-0/node.json"
    @Option(
        help: ArgumentHelp(
            "With --from-ledger: the share of loans, in percent, held out of training for validation.",
            discussion: "Loans are split by their id, so train and validate with the same value see disjoint sets."))
    var holdoutPercent = 0
    @Option(help: "With --from-ledger: a demo network's ground-truth file, to report the best possible AUC.")
    var groundTruth: String?

    func validate() throws {
        guard (0...90).contains(holdoutPercent) else { throw ValidationError("--holdout-percent is 0 to 90") }
        guard !(fromLedger && fromDemo) else { throw ValidationError("give --from-ledger or --from-demo, not both") }
    }

    /// Loans are read from a ledger (a node's or the demo's) rather than a CSV book.
    var used: Bool { fromLedger || fromDemo }

    /// The outcome column the ledger's rows use.
    static let target = "defaulted"

    enum Part { case training, holdout }

    /// The ledger's closed loans split into the training and the holdout part (all in training without a
    /// holdout), and with `--from-demo` the history's ground truth.
    struct Parts {
        var training: [TrainingRow]
        var holdout: [TrainingRow]
        var height: UInt64
        var truth: GroundTruth?

        func rows(_ part: Part) -> [TrainingRow] { part == .training ? training : holdout }
    }

    func parts() async throws -> Parts {
        let (index, height, truth) = fromDemo ? try Self.demo(seeds) : try await replayNode()
        var parts = Parts(training: [], holdout: [], height: height, truth: truth)
        for row in index.trainingRows() {
            let held = holdoutPercent > 0 && Int(row.loan.hash.bytes[0]) * 100 / 256 < holdoutPercent
            if held { parts.holdout.append(row) } else { parts.training.append(row) }
        }
        for part in [Part.training, .holdout] where part == .training || holdoutPercent > 0 {
            let rows = parts.rows(part)
            CreditIO.progress(
                "\(rows.count) closed loans (\(rows.filter(\.bad).count) defaulted) at height \(height)"
                    + (holdoutPercent > 0 ? " in the \(part == .holdout ? "holdout" : "training") part" : ""))
        }
        return parts
    }

    /// The closed loans of the ledger in `part` (all of them without a holdout), and with `--from-demo` the
    /// history's ground truth.
    func rows(_ part: Part) async throws -> (rows: [TrainingRow], height: UInt64, truth: GroundTruth?) {
        let parts = try await parts()
        return (parts.rows(part), parts.height, parts.truth)
    }

    private func replayNode() async throws -> (FeatureIndex, UInt64, GroundTruth?) {
        let node = try NodeConfig.read(path: config)
        let genesis = try Genesis(json: try CLIFiles.read(node.genesisFile))
        let location = try StoreLocation(parsing: node.store)
        let (index, height) = try await location.withStore { store in try await Self.replay(store, genesis: genesis) }
        return (index, height, nil)
    }

    /// The seed files' demo history executed in this process into a fresh index.
    static func demo(_ seeds: String?) throws -> (FeatureIndex, UInt64, GroundTruth?) {
        let folder = try DevnetSeeds.folder(seeds)
        let consortium = try DemoConsortium(
            seed: try DevnetSeeds.consortiumSeed(in: folder), settings: try DevnetSeeds.settings(in: folder))
        var index = FeatureIndex(genesis: consortium.genesis)
        var height: UInt64 = 0
        var transactions = 0
        CreditIO.progress("generating and executing the demo history of \(folder.path)")
        let (generator, _) = try HistoryExecution.run(consortium) { block in
            index.apply(
                height: block.height, time: block.time, transactions: block.transactions, results: block.results)
            height = block.height
            transactions += block.transactions.count
        }
        let truth = generator.groundTruth
        CreditIO.progress(
            "the demo history: \(transactions) transactions in \(height) blocks, \(truth.loans.count) loans "
                + "(\(truth.loans.filter { $0.outcome == .defaulted }.count) in default)")
        return (index, height, truth)
    }

    /// Every committed block, in order, into a fresh index; progress every 100 blocks.
    static func replay(_ store: any LedgerStore, genesis: Genesis) async throws -> (FeatureIndex, UInt64) {
        var index = FeatureIndex(genesis: genesis)
        let head = try await store.head()?.height ?? 0
        var next: UInt64 = 1
        while next <= head {
            let blocks = try await store.blocks(from: next, limit: 64)
            guard !blocks.isEmpty else { break }
            for block in blocks {
                index.apply(
                    height: block.header.height, time: block.header.time, transactions: block.transactions,
                    results: block.results)
                next = block.header.height + 1
            }
            CreditIO.progress("replayed \(next - 1) of \(head) blocks")
        }
        return (index, next - 1)
    }

    /// The rows as a dataset for the scorecard, with the outcome as the target.
    static func dataset(_ rows: [TrainingRow]) -> Dataset {
        Dataset(inferringFeaturesOf: rows.map(\.features), targets: rows.map { $0.bad ? 1 : 0 })
    }

    /// The AUC of the generator's true default probabilities on the same rows: the best a model could reach.
    func oracleAUC(_ rows: [TrainingRow], generated: GroundTruth? = nil) throws -> Double? {
        guard let truth = try groundTruth.map({ try GroundTruth.decode(try CLIFiles.read($0)) }) ?? generated else {
            return nil
        }
        var probability = [String: Double]()
        for firm in truth.firms { probability[firm.id] = firm.defaultProbability }
        // Higher scores are better in the scorecard's convention: the oracle's score is minus its PD.
        let scores = rows.map { -(probability[$0.firm.hex] ?? 0) }
        return Discrimination.auc(scores: scores, bads: rows.map { $0.bad ? 1 : 0 })
    }
}
