import FacetCore
import FacetDemo
import FacetLedger
import Foundation

/// The seed files and a small history executed through the real block executor.
enum DemoHistory {
    static let seedsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds")

    static func seedFile(_ name: String) throws -> Data {
        try Data(contentsOf: seedsDirectory.appendingPathComponent(name))
    }

    static func consortium(firms: Int, months: Int, seed: UInt64, defaultRatePermille: Int? = nil) throws
        -> DemoConsortium
    {
        var settings = try GeneratorSettings.decode(seedFile("settings.json"))
        settings.firms = firms
        settings.months = months
        settings.seed = seed
        if let defaultRatePermille { settings.defaultRatePermille = defaultRatePermille }
        return try DemoConsortium(seed: ConsortiumSeed.decode(seedFile("consortium.json")), settings: settings)
    }

    struct Run {
        var state: WorldState
        var generator: HistoryGenerator
        /// Refusals other than the generator's intended double pledge.
        var refusals: [String] = []
        /// Every refused transaction with its code, the intended one included.
        var refused: [(id: TransactionID, code: LedgerError.Code)] = []
        var accepted: [String: Int] = [:]
        var transactions = 0
    }

    /// Generates the whole history and commits it block by block, counting accepted kinds and refusals.
    static func run(firms: Int, months: Int, seed: UInt64, defaultRatePermille: Int? = nil) throws -> Run {
        let consortium = try consortium(
            firms: firms, months: months, seed: seed, defaultRatePermille: defaultRatePermille)
        var generator = HistoryGenerator(consortium: consortium)
        var run = Run(state: try WorldState(genesis: consortium.genesis), generator: generator)
        let executor = BlockExecutor()
        while let month = generator.nextMonth() {
            for block in month.blocks {
                let outcome = executor.execute(block.transactions, on: run.state, time: block.time)
                for (transaction, result) in zip(block.transactions, outcome.results) {
                    run.transactions += 1
                    if let error = result.error {
                        run.refused.append((result.id, error.code))
                        guard result.id != generator.doublePledge?.transaction else { continue }
                        run.refusals.append(
                            "month \(month.index) \(transaction.body.kind): \(error.code.rawValue) \(error.message)")
                    } else {
                        run.accepted["\(transaction.body.kind)", default: 0] += 1
                    }
                }
                run.state.commit(outcome)
            }
        }
        run.generator = generator
        return run
    }
}
