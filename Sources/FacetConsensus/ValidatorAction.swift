import FacetCore
import FacetLedger

/// What `ValidatorMachine` asks its driver to do, in order. The last action of a batch may expect an answer
/// (`expectsAnswer`): the driver carries it out and hands the answer back as the next event, before any other.
public enum ValidatorAction: Sendable {
    case send(ValidatorMessage, to: MemberID)
    case broadcast(ValidatorMessage)
    /// Hand `.timer(timer)` back once `after` has passed.
    case schedule(ValidatorTimer, after: Duration)
    /// Only these validator sets may connect (the current height's and the next one's).
    case allow([ValidatorSet])
    /// Build the block this validator proposes at (height, round); answer `.built`.
    case buildProposal(height: UInt64, round: UInt32)
    /// Execute a proposed block on the head's state; answer `.executed`.
    case execute(ProposedBlock)
    /// Store the safety state durably (the last slot signed and everything signed at its height); answer `.stored`.
    case storeSigned(ConsensusSlot, [ConsensusMessage])
    /// Commit the decided block with its certificate; answer `.committed`.
    case commit(Decision)
    /// Verify and apply committed blocks from a peer, in order from the head; answer `.synced`.
    case applySynced([CertifiedBlock], from: MemberID)
    /// Answer a peer's sync request with the committed blocks from `from`, at most `limit`.
    case serveSync(from: UInt64, limit: UInt32, to: MemberID)
    /// Answer a peer's state-sync request with this node's latest snapshot manifest or one of its chunks.
    case serveSnapshot(SnapshotQuery, to: MemberID)
    /// Forwarded transactions for the mempool (checked there).
    case admit([Transaction])
    /// A validator equivocated: report it on the ledger.
    case reportEvidence(Misbehavior)
    /// Something to count or log; changes nothing.
    case observe(ValidatorObservation)

    /// Whether the driver must hand an answer back before any other event.
    public var expectsAnswer: Bool {
        switch self {
        case .buildProposal, .execute, .storeSigned, .commit, .applySynced: true
        case .send, .broadcast, .schedule, .allow, .serveSync, .serveSnapshot, .admit, .reportEvidence, .observe:
            false
        }
    }
}

/// What a peer asked of this node's snapshots.
public enum SnapshotQuery: Hashable, Sendable {
    case manifest
    case chunk(manifest: Hash256, index: Int)
}

/// What the machine noticed, for the driver's metrics and logs.
public enum ValidatorObservation: Hashable, Sendable {
    /// A peer message was dropped, and why (`facet_peer_messages_dropped_total{reason}`).
    case dropped(String)
    /// A peer message of this type was handled.
    case handled(String)
    /// A proposed block was refused.
    case refused(Proposal, BlockRejection)
    /// A sync request went to `peer`, which claims `claimed`; the head is `head`.
    case syncing(peer: MemberID, head: UInt64, claimed: UInt64)
    /// Synced blocks were applied up to `head`, towards `target`.
    case synced(applied: Int, head: UInt64, target: UInt64)
    /// A store call failed; the next attempt is due after a backoff.
    case storeRetry
    /// The store answers again; consensus resumes at `height`.
    case storeRecovered(height: UInt64)
    /// The round of the current height moved.
    case round(UInt32)
    /// A validator equivocated.
    case equivocation(Misbehavior)
    /// This validator signs from `height` on with `key`, the consensus key its validator set names there
    /// (`rotate_validator_key`).
    case consensusKey(PublicKey, height: UInt64)
    /// The validator set names a consensus key for this validator at `height` that it does not hold: its messages
    /// would not verify, so it signs with the key it has and takes no part until the key is handed in.
    case missingConsensusKey(PublicKey, height: UInt64)
}
