import FacetLedger

/// Where a validator's consensus stands, for its status, health check and logs.
public struct ValidatorStatus: Hashable, Sendable {
    public enum Mode: String, Sendable {
        /// Taking part in rounds at the next height.
        case voting
        /// Behind its peers: fetching committed blocks before it can vote usefully.
        case syncing
        /// Its store refuses or does not answer: it signs nothing it could not store, retries with backoff, and
        /// resumes when the store returns.
        case storeUnavailable = "store_unavailable"
        /// Its head has not moved for `stallAfter` while a peer backs a higher one.
        case stalled
    }

    public var mode: Mode
    public var height: UInt64
    public var round: UInt32
    public var step: ConsensusStep
    /// The highest height a peer backs (announced and served; see `PeerHeads`).
    public var bestPeerHeight: UInt64

    public init(mode: Mode, height: UInt64, round: UInt32, step: ConsensusStep, bestPeerHeight: UInt64) {
        self.mode = mode
        self.height = height
        self.round = round
        self.step = step
        self.bestPeerHeight = bestPeerHeight
    }
}
