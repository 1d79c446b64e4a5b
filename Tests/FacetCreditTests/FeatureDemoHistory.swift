import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import Foundation

/// A small demo history executed through the real block executor, with every committed block kept so several
/// indexes can be fed the same blocks.
struct FeatureDemoHistory: Sendable {
    struct Block: Sendable {
        let height: UInt64
        let time: Timestamp
        let transactions: [Transaction]
        let results: [TransactionResult]
    }

    let genesis: Genesis
    let generator: HistoryGenerator
    let state: WorldState
    let blocks: [Block]

    static let seedsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds")

    init(firms: Int, months: Int, seed: UInt64, defaultRatePermille: Int? = nil) throws {
        func file(_ name: String) throws -> Data {
            try Data(contentsOf: FeatureDemoHistory.seedsDirectory.appendingPathComponent(name))
        }
        var settings = try GeneratorSettings.decode(file("settings.json"))
        settings.firms = firms
        settings.months = months
        settings.seed = seed
        if let defaultRatePermille { settings.defaultRatePermille = defaultRatePermille }
        let consortium = try DemoConsortium(seed: ConsortiumSeed.decode(file("consortium.json")), settings: settings)
        var generator = HistoryGenerator(consortium: consortium)
        var state = try WorldState(genesis: consortium.genesis)
        var blocks = [Block]()
        let executor = BlockExecutor()
        while let month = generator.nextMonth() {
            for block in month.blocks {
                let outcome = executor.execute(block.transactions, on: state, time: block.time)
                blocks.append(
                    Block(
                        height: outcome.height, time: outcome.time, transactions: block.transactions,
                        results: outcome.results))
                state.commit(outcome)
            }
        }
        self.genesis = consortium.genesis
        self.generator = generator
        self.state = state
        self.blocks = blocks
    }

    func index(settings: FeatureSettings = .standard) -> FeatureIndex {
        var index = FeatureIndex(genesis: genesis, settings: settings)
        for block in blocks {
            index.apply(
                height: block.height, time: block.time, transactions: block.transactions, results: block.results)
        }
        return index
    }

    /// Loans the ledger closed: repaid or declared in default.
    var closedLoans: [Loan] {
        state.records.values.compactMap { value -> Loan? in
            guard case .loan(let loan) = value, loan.status != .active else { return nil }
            return loan
        }
    }

    /// Firms that joined the ledger by the end of the history.
    var memberFirms: [MemberID] {
        generator.firms.map(\.id).filter { state.record(Member.self, $0.hash) != nil }.sorted()
    }
}
