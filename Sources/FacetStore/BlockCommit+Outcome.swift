import FacetCore
import FacetLedger

extension BlockCommit {
    /// The commit of a block a node executed and finalised. `state` is the state the block was executed on
    /// (before `WorldState.commit`). The transactions' bytes, ids and new log nodes come from the outcome, which
    /// computed them once: nothing is encoded or hashed again here.
    ///
    /// A store starts empty, so the commit of block 1 also carries the genesis records: a store always holds
    /// the whole state, and `loadState` never needs to replay genesis.
    public init(
        outcome: BlockOutcome, executedOn state: WorldState, header: BlockHeader, certificate: CommitCertificate,
        transactions: [Transaction]
    ) {
        precondition(
            header.height == outcome.height && header.stateRoot == outcome.stateRoot
                && header.transactionRoot == outcome.transactionRoot && header.logRoot == outcome.logRoot
                && header.logSize == UInt64(outcome.logSize),
            "the header is not this outcome's")
        precondition(outcome.previousStateRoot == state.stateRoot, "the outcome was executed on another state")
        precondition(transactions.count == outcome.results.count, "one result per transaction")
        let encoded = zip(transactions, zip(outcome.results, outcome.encodedTransactions)).map {
            EncodedTransaction(id: $1.0.id, bytes: $1.1, kind: $0.body.tag)
        }
        var after = [StateKey: StateValue?]()
        for change in outcome.changes { after[change.key] = .some(change.value) }
        let index = BlockIndexer.entries(
            transactions: transactions, results: outcome.results, touched: outcome.touched,
            record: { key in
                switch after[key] {
                case .some(.some(let value)): return value
                case .some(.none), .none: return state[key]
                }
            })
        // The header's next set is the schedule after the block, at the next height: the set a change announces.
        let next = outcome.validators.set(at: outcome.height + 1)
        precondition(next.hash == header.nextValidatorsHash, "the header's next validator set is not the outcome's")
        self.init(
            header: header, certificate: certificate, transactions: encoded, results: outcome.results,
            changes: outcome.height == 1 ? Self.withGenesisRecords(outcome.changes, genesis: state) : outcome.changes,
            logNodes: outcome.logNodes, index: index,
            validatorChange: header.nextValidatorsHash != header.validatorsHash ? next : nil)
    }

    /// The genesis records overlaid with block 1's changes, in ascending key order.
    private static func withGenesisRecords(_ changes: [StateChange], genesis: WorldState) -> [StateChange] {
        precondition(genesis.height == 0, "block 1 is executed on the genesis state")
        var merged = [StateKey: StateValue?]()
        for (key, value) in genesis.records { merged[key] = .some(value) }
        for change in changes { merged[change.key] = .some(change.value) }
        return merged.keys.sorted().map { key in StateChange(key: key, value: merged[key] ?? nil) }
    }
}
