import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import Foundation

/// A small demo history executed through the real block executor, with every committed block kept so several
/// indexes can be fed the same blocks.
struct FeatureDemoHistory: Sendable {
    typealias Block = HistoryExecution.Block

    let genesis: Genesis
    let generator: HistoryGenerator
    let state: WorldState
    let blocks: [Block]

    static let seedsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds")

    /// The seed files' history, with any setting given replacing the file's.
    init(firms: Int? = nil, months: Int? = nil, seed: UInt64? = nil, defaultRatePermille: Int? = nil) throws {
        func file(_ name: String) throws -> Data {
            try Data(contentsOf: FeatureDemoHistory.seedsDirectory.appendingPathComponent(name))
        }
        var settings = try GeneratorSettings.decode(file("settings.json"))
        if let firms { settings.firms = firms }
        if let months { settings.months = months }
        if let seed { settings.seed = seed }
        if let defaultRatePermille { settings.defaultRatePermille = defaultRatePermille }
        let consortium = try DemoConsortium(seed: ConsortiumSeed.decode(file("consortium.json")), settings: settings)
        var blocks = [Block]()
        let (generator, state) = try HistoryExecution.run(consortium) { blocks.append($0) }
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
