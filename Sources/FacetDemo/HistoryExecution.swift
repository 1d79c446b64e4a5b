import FacetCore
import FacetLedger

/// The demo history executed in this process through the real block executor, one generated block per ledger block
/// at its intended time, as `facet devnet`'s validators commit it, but without consensus or a store: the demo's
/// loans can be read (for training or validating a model) without running a devnet.
public enum HistoryExecution {
    /// A block as committed: the generator's transactions and the executor's result for each.
    public struct Block: Sendable {
        public let height: UInt64
        public let time: Timestamp
        public let transactions: [Transaction]
        public let results: [TransactionResult]
    }

    /// Generates and executes the whole history; `apply` sees every block in height order. Returns the finished
    /// generator (for its ground truth) and the final state.
    public static func run(_ consortium: DemoConsortium, _ apply: (Block) -> Void) throws -> (
        generator: HistoryGenerator, state: WorldState
    ) {
        var generator = HistoryGenerator(consortium: consortium)
        var state = try WorldState(genesis: consortium.genesis)
        let executor = BlockExecutor()
        while let month = generator.nextMonth() {
            for block in month.blocks {
                let outcome = executor.execute(block.transactions, on: state, time: block.time)
                apply(
                    Block(
                        height: outcome.height, time: outcome.time, transactions: block.transactions,
                        results: outcome.results))
                state.commit(outcome)
            }
        }
        return (generator, state)
    }
}
