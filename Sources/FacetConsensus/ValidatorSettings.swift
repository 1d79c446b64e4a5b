/// The pace and bounds of one validator's protocol around Tendermint, as durations: what `ValidatorMachine` needs
/// to decide, with no clock of its own (the driver passes the time in with each event).
public struct ValidatorSettings: Hashable, Sendable {
    public var timeouts: TimeoutParameters
    /// Wait after a commit before starting the next height (Tendermint's timeout_commit): the pace of blocks.
    public var commitInterval: Duration
    /// How often the validator announces its head to its peers.
    public var statusInterval: Duration
    /// How long a sync request may go unanswered before another peer is asked.
    public var syncTimeout: Duration
    /// How long a height may stand still (no new round) before this validator sends its messages again.
    public var rebroadcastInterval: Duration
    /// nil: a block every `commitInterval`, empty or not. Set: the next height waits until a transaction waits in
    /// the mempool, a peer's message for that height arrives, or this long has passed since the last commit.
    public var emptyBlockInterval: Duration?
    /// How long the head may stand still while a peer backs a higher one before the validator reports `stalled`.
    public var stallAfter: Duration

    public init(
        timeouts: TimeoutParameters, commitInterval: Duration, statusInterval: Duration, syncTimeout: Duration,
        rebroadcastInterval: Duration, emptyBlockInterval: Duration?, stallAfter: Duration
    ) {
        precondition(syncTimeout > .zero && rebroadcastInterval > .zero, "the machine waits for something")
        self.timeouts = timeouts
        self.commitInterval = commitInterval
        self.statusInterval = statusInterval
        self.syncTimeout = syncTimeout
        self.rebroadcastInterval = rebroadcastInterval
        self.emptyBlockInterval = emptyBlockInterval
        self.stallAfter = stallAfter
    }
}
