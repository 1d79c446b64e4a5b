import FacetCore
import FacetLedger

/// Something kept in step with the chain outside the ledger actor (`CreditServing`): the node tells it of every
/// block it commits, with the state after it, inside the commit. Both calls run on the node's actor, so they must be
/// quick and must not call the node.
public protocol CommitObserver: AnyObject, Sendable {
    /// The state the node stands at when the observer is attached, and the node's validator (its operator).
    func attached(state: WorldState, operatorID: MemberID)
    /// A block was committed and applied; `state` is the state after it.
    func committed(
        header: BlockHeader, transactions: [Transaction], results: [TransactionResult], state: WorldState)
}
