import FacetCore

/// How many refused transactions of one signer a block may hold. Every refusal is stored with its code (so its
/// submitter learns why), which lets a member that signs transactions bound to fail spend the validators' disks; this
/// cap, with the mempool's bound on a signer's pending transactions, bounds what it can store.
///
/// A proposer executes its batch and, past a signer's `perSignerPerBlock`-th refusal, leaves that signer's further
/// refused transactions out of the block (they stay in its pool for a later block, where they may be accepted or be
/// refused in turn); a refused transaction changed nothing, so the others' results stay the same. A validator refuses
/// a proposal over the cap (`block.too_many_refusals`), so a faulty proposer cannot store more either. So over any
/// run of `b` blocks a signer has at most `perSignerPerBlock × b` refusals stored.
public enum RefusalCap {
    /// Refused transactions one signer may have in one block.
    public static let perSignerPerBlock = 16

    /// Positions, ascending, of the refused transactions beyond each signer's cap, in block order.
    public static func excess(_ transactions: [Transaction], results: [TransactionResult]) -> [Int] {
        precondition(transactions.count == results.count, "one result per transaction")
        var refusals = [MemberID: Int]()
        var positions = [Int]()
        for (position, (transaction, result)) in zip(transactions, results).enumerated() where !result.accepted {
            refusals[transaction.signer, default: 0] += 1
            if refusals[transaction.signer, default: 0] > perSignerPerBlock { positions.append(position) }
        }
        return positions
    }

    /// Executes `transactions` as a proposer does: leaving out each signer's refusals beyond the cap, executing again
    /// without them (at most a few times: each pass only removes). Returns what the block holds and its outcome.
    public static func execute(
        _ transactions: [Transaction], executor: BlockExecutor, on state: WorldState, time: Timestamp
    ) -> (transactions: [Transaction], outcome: BlockOutcome) {
        var included = transactions
        var outcome = executor.execute(included, on: state, time: time)
        while true {
            let excess = Self.excess(included, results: outcome.results)
            guard !excess.isEmpty else { break }
            let dropped = Set(excess)
            included = included.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
            outcome = executor.execute(included, on: state, time: time)
        }
        return (included, outcome)
    }
}
