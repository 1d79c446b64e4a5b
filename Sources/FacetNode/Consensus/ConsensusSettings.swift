import FacetConsensus
import FacetCore
import FacetLedger

/// How a validator runs consensus: Tendermint's timeouts, the block-time bounds, block limits, and the pace of
/// heights, status announcements, transaction forwarding and block sync.
public struct ConsensusSettings: Sendable {
    public var timeouts: TimeoutParameters
    public var time: BlockTimeBounds
    public var maxTransactions: Int
    public var maxBytes: Int
    /// Wait after a commit before starting the next height (Tendermint's timeout_commit): the pace of blocks.
    public var commitInterval: Duration
    public var statusInterval: Duration
    public var gossipInterval: Duration
    /// How long a sync request may go unanswered before another peer is asked.
    public var syncTimeout: Duration
    /// How long a height may stand still (no new round) before this validator sends its messages again.
    public var rebroadcastInterval: Duration
    /// nil: a block every `commitInterval`, empty or not. Set: when this validator has no transaction to order,
    /// the next height waits until one arrives, a peer's message for that height arrives, or this long has passed
    /// since the last commit (an empty block then shows the chain is live). CometBFT's `create_empty_blocks`.
    public var emptyBlockInterval: Duration?
    /// How long one store call (the safety state, a block commit) may take before it counts as failed; a failed
    /// write is retried with backoff, so a hung database never hangs consensus or its shutdown.
    public var storeTimeout: Duration
    /// How long this validator's head may stand still while a peer backs a higher one before it reports itself
    /// stalled (`/healthz` 503, mode `stalled`).
    public var stallAfter: Duration
    /// State sync's serving side: a snapshot is built when a peer asks for one and the latest is this many heights
    /// behind the head (or none exists); the last `snapshotsKept` are served; chunks are at most `snapshotChunkBytes`.
    public var snapshotInterval: UInt64 = 1_000
    public var snapshotsKept = 2
    public var snapshotChunkBytes = SnapshotManifest.maxChunkBytes

    public init(
        timeouts: TimeoutParameters = .standard, time: BlockTimeBounds = BlockTimeBounds(maxDriftMillis: 5_000),
        maxTransactions: Int = 1_000, maxBytes: Int = 4 << 20, commitInterval: Duration = .seconds(1),
        statusInterval: Duration = .seconds(1), gossipInterval: Duration = .milliseconds(10),
        syncTimeout: Duration = .seconds(5), rebroadcastInterval: Duration? = nil, emptyBlockInterval: Duration? = nil,
        storeTimeout: Duration = .seconds(5), stallAfter: Duration? = nil
    ) {
        // A block this validator proposes must pass every validator's size check (`ValidatorMessage.maxProposalBytes`).
        precondition(maxBytes > 0 && maxBytes <= Limits.maxBlockBytes, "a block's transactions fit the block limit")
        self.storeTimeout = storeTimeout
        // Twenty block intervals, and never less than three sync timeouts (a restarted node's catch-up).
        self.stallAfter = stallAfter ?? max(commitInterval * 20, syncTimeout * 3)
        // By default somewhat longer than a round's timeouts, so a healthy round never resends.
        self.rebroadcastInterval =
            rebroadcastInterval ?? max(timeouts.propose + timeouts.prevote + timeouts.precommit, .milliseconds(500))
        self.timeouts = timeouts
        self.time = time
        self.maxTransactions = maxTransactions
        self.maxBytes = maxBytes
        self.commitInterval = commitInterval
        self.statusInterval = statusInterval
        self.gossipInterval = gossipInterval
        self.syncTimeout = syncTimeout
        self.emptyBlockInterval = emptyBlockInterval
    }

    /// The part `ValidatorMachine` decides with.
    public var validator: ValidatorSettings {
        ValidatorSettings(
            timeouts: timeouts, commitInterval: commitInterval, statusInterval: statusInterval,
            syncTimeout: syncTimeout, rebroadcastInterval: rebroadcastInterval,
            emptyBlockInterval: emptyBlockInterval, stallAfter: stallAfter)
    }
}
