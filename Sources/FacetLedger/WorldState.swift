import FacetCore

/// The committed world state after `height` blocks: every record, the sparse Merkle tree whose root commits
/// to them, and the frontier of the transparency log. A value type: executing a block reads it and returns
/// a `BlockOutcome`; `commit` then applies that outcome in time proportional to what the block changed.
public struct WorldState: Sendable {
    public private(set) var height: UInt64
    public private(set) var time: Timestamp
    public private(set) var records: [StateKey: StateValue]
    public private(set) var tree: SparseMerkleTree
    /// The RFC 9162 log over every accepted transaction since genesis.
    public private(set) var log: MerkleFrontier

    public var stateRoot: Hash256 { tree.root }
    public var chainID: Label { params.chainID }

    public var params: LedgerParams {
        guard case .params(let params)? = records[.params] else { preconditionFailure("state has no parameters") }
        return params
    }

    public var validators: ValidatorSchedule {
        guard case .validators(let schedule)? = records[.validators] else {
            preconditionFailure("state has no validator schedule")
        }
        return schedule
    }

    /// The state at height 0.
    public init(genesis: Genesis) throws(LedgerError) {
        try genesis.validate()
        var records: [StateKey: StateValue] = [
            .params: .params(genesis.params),
            .validators: .validators(ValidatorSchedule(current: genesis.validatorSet)),
        ]
        for member in genesis.members {
            let record = Member(
                id: member.id, name: member.name, roles: member.roles, publicKey: member.publicKey,
                status: .active, approvals: [], since: genesis.time)
            records[StateKey(.member, member.id.hash)] = .member(record)
            records[StateKey(.publicKeyIndex, member.publicKey.raw)] = .publicKeyIndex(member.id)
        }
        self.init(height: 0, time: genesis.time, records: records, log: MerkleFrontier())
    }

    /// Rebuilds a state from its records (for a store loading a node): the tree is built in one pass.
    public init(height: UInt64, time: Timestamp, records: [StateKey: StateValue], log: MerkleFrontier) {
        self.height = height
        self.time = time
        self.records = records
        self.log = log
        let entries = records.map { (key: $0.key.treeKey, value: $0.value.valueHash) }
        self.tree = SparseMerkleTree.build(entries: entries)
    }

    public subscript(key: StateKey) -> StateValue? { records[key] }

    public func record<R: StateRecord>(_ type: R.Type, _ id: Hash256) -> R? {
        records[StateKey(R.table, id)].flatMap(R.extract)
    }

    /// Applies an executed block. The outcome must have been computed from this very state.
    public mutating func commit(_ outcome: BlockOutcome) {
        precondition(outcome.height == height + 1, "block \(outcome.height) does not follow \(height)")
        precondition(outcome.previousStateRoot == stateRoot, "block was executed on another state")
        for change in outcome.changes {
            records[change.key] = change.value
        }
        tree = outcome.tree
        log = outcome.log
        height = outcome.height
        time = outcome.time
    }
}
