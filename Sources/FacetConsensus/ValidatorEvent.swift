import FacetCore
import FacetLedger

/// A timer `ValidatorMachine` asked for (`ValidatorAction.schedule`), handed back when it is due. A timer for a
/// height or round the machine has left is ignored, so a driver never needs to cancel one.
public enum ValidatorTimer: Hashable, Sendable {
    /// One of Tendermint's round timeouts.
    case timeout(TimeoutKind, height: UInt64, round: UInt32)
    /// The commit interval after a commit has passed: the next height may start.
    case startHeight(UInt64)
}

/// What a periodic tick brings from the node: how many transactions wait in its mempool (empty-block pacing), and
/// the transactions admitted since the last tick, to forward to the other validators.
public struct TickInput: Hashable, Sendable {
    public var mempoolCount: Int
    public var gossip: [Transaction]

    public init(mempoolCount: Int, gossip: [Transaction] = []) {
        self.mempoolCount = mempoolCount
        self.gossip = gossip
    }
}

/// How committing a decided block went (the answer to `ValidatorAction.commit`).
public enum CommitResult: Hashable, Sendable {
    /// Committed: the ledger's new head.
    case committed(LedgerHead)
    /// The decided block was never executed here: block sync brings it.
    case notExecuted
    /// The store refused or did not answer: retried with backoff.
    case storeFailed
}

/// How applying a sync answer went (the answer to `ValidatorAction.applySynced`): how many blocks were applied in
/// order from the head, whether one was refused (its certificate or execution did not verify: the peer's fault) or
/// could not be stored (this node's fault), and the head after them.
public struct SyncResult: Hashable, Sendable {
    public var applied: Int
    public var refused: Bool
    public var storeFailed: Bool
    public var head: LedgerHead

    public init(applied: Int, refused: Bool = false, storeFailed: Bool = false, head: LedgerHead) {
        self.applied = applied
        self.refused = refused
        self.storeFailed = storeFailed
        self.head = head
    }
}

/// What a driver hands to `ValidatorMachine`: the start, a peer's message, a timer, a tick, or the answer to the
/// action that asked for one (`ValidatorAction.expectsAnswer`). An answer is handed back before any other event.
public enum ValidatorEvent: Sendable {
    /// The validator starts (or restarts after a crash): its ledger's head, the last slot it signed and what it
    /// signed at that height, as its safety state holds them.
    case start(LedgerHead, lastSigned: ConsensusSlot?, signed: [ConsensusMessage])
    /// A decoded message from a peer, `bytes` long as it arrived.
    case peer(MemberID, ValidatorMessage, bytes: Int)
    case timer(ValidatorTimer)
    case tick(TickInput)

    // Answers.
    /// The block the driver built for `.buildProposal`.
    case built(ProposedBlock)
    /// The verdict on a block `.execute` asked for: nil when it is valid.
    case executed(Hash256, BlockRejection?)
    /// Whether `.storeSigned` was stored durably.
    case stored(Bool)
    case committed(CommitResult)
    case synced(SyncResult)

    /// Whether this event answers an action.
    public var isAnswer: Bool {
        switch self {
        case .start, .peer, .timer, .tick: false
        case .built, .executed, .stored, .committed, .synced: true
        }
    }
}
