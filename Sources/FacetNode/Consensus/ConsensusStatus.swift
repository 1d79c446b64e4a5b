import FacetConsensus

/// Where a validator's consensus stands: `ValidatorMachine`'s status, as the node reports it.
public typealias ConsensusStatus = ValidatorStatus

extension ValidatorStatus.Mode {
    /// Why the validator is not healthy, for `/healthz`; nil when it is.
    public var unhealthy: NodeError? {
        switch self {
        case .voting, .syncing: nil
        case .storeUnavailable:
            NodeError(.storeUnavailable, "the store is unavailable: this validator cannot sign or commit")
        case .stalled: NodeError(.stalled, "this validator's height has not advanced while its peers' has")
        }
    }
}
