import ArgumentParser
import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetNode
import FacetScorecard
import FacetStore
import Foundation

/// `--from-ledger`: the loans a node has committed, as a training or validation set. The node's store is replayed
/// block by block into a `FeatureIndex`; each closed loan becomes a row of its borrower's features as they stood
/// just before the loan opened, and its outcome (bad = declared in default).
struct LedgerSource: ParsableArguments {
    @Flag(help: "Use the loans the ledger holds instead of a CSV book.") var fromLedger = false
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
    }

    /// The outcome column the ledger's rows use.
    static let target = "defaulted"

    enum Part { case training, holdout }

    /// The closed loans of the ledger in `part` (all of them without a holdout).
    func rows(_ part: Part) async throws -> (rows: [TrainingRow], height: UInt64) {
        let node = try NodeConfig.read(path: config)
        let genesis = try Genesis(json: try CLIFiles.read(node.genesisFile))
        let location = try StoreLocation(parsing: node.store)
        let (index, height) = try await location.withStore { store in try await Self.replay(store, genesis: genesis) }
        let rows = index.trainingRows().filter { row in
            guard holdoutPercent > 0 else { return true }
            let held = Int(row.loan.hash.bytes[0]) * 100 / 256 < holdoutPercent
            return part == .holdout ? held : !held
        }
        CreditIO.progress(
            "\(rows.count) closed loans (\(rows.filter(\.bad).count) defaulted) at height \(height)"
                + (holdoutPercent > 0 ? " in the \(part == .holdout ? "holdout" : "training") part" : ""))
        return (rows, height)
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
    func oracleAUC(_ rows: [TrainingRow]) throws -> Double? {
        guard let groundTruth else { return nil }
        let truth = try GroundTruth.decode(try CLIFiles.read(groundTruth))
        var probability = [String: Double]()
        for firm in truth.firms { probability[firm.id] = firm.defaultProbability }
        // Higher scores are better in the scorecard's convention: the oracle's score is minus its PD.
        let scores = rows.map { -(probability[$0.firm.hex] ?? 0) }
        return Discrimination.auc(scores: scores, bads: rows.map { $0.bad ? 1 : 0 })
    }
}
