import FacetCore
import FacetLedger

/// The three timeouts of a Tendermint round.
public enum TimeoutKind: UInt8, Hashable, Sendable, Comparable, CustomStringConvertible {
    case propose = 1
    case prevote = 2
    case precommit = 3

    public static func < (lhs: TimeoutKind, rhs: TimeoutKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .propose: "propose"
        case .prevote: "prevote"
        case .precommit: "precommit"
        }
    }
}

/// What a driver hands to a `Tendermint` machine. Signatures and blocks are checked by the driver first: the
/// machine trusts that a vote or proposal was signed by the validator it names.
public enum ConsensusEvent: Hashable, Sendable {
    /// A proposal whose signature the driver verified; `valid` is the paper's `valid(v)` for its block.
    case proposal(Proposal, valid: Bool)
    /// A prevote or precommit whose signature the driver verified.
    case vote(Vote)
    /// A timeout the machine scheduled has expired.
    case timeout(TimeoutKind, height: UInt64, round: UInt32)
    /// The answer to `.requestProposalValue`: the id of a block the driver built and holds (getValue()).
    case proposalValue(Hash256, height: UInt64, round: UInt32)
}

/// What a `Tendermint` machine asks its driver to do, in order.
public enum ConsensusAction: Hashable, Sendable {
    /// Durably record that the machine signed at this slot, before carrying out the broadcast that follows it
    /// (the driver stores the signed message with it, to re-broadcast and to recover the lock after a restart).
    case persist(ConsensusSlot)
    case broadcastProposal(Proposal)
    case broadcastVote(Vote)
    /// Deliver `.timeout(kind, height, round)` back after `after` has passed.
    case scheduleTimeout(TimeoutKind, height: UInt64, round: UInt32, after: Duration)
    /// The machine proposes at (height, round) and needs a block: answer with `.proposalValue`.
    case requestProposalValue(height: UInt64, round: UInt32)
    /// The height is decided; the driver applies the block, then calls `start` for the next height.
    case commit(Decision)
    /// A validator signed two conflicting messages at one slot.
    case evidence(Misbehavior)
}

/// A decided height: the block id, the round it was decided in, and the precommits (at least a quorum) for it.
public struct Decision: Hashable, Sendable, CustomStringConvertible {
    public var height: UInt64
    public var round: UInt32
    public var blockID: Hash256
    /// Precommits for `blockID` at (height, round), one per validator, in ascending validator order.
    public var precommits: [Vote]

    public init(height: UInt64, round: UInt32, blockID: Hash256, precommits: [Vote]) {
        self.height = height
        self.round = round
        self.blockID = blockID
        self.precommits = precommits
    }

    /// The commit certificate these precommits form (the precommit payload is the certificate's).
    public var certificate: CommitCertificate {
        CommitCertificate(
            height: height, round: round, blockID: blockID, signatures: precommits.map(\.commitSignature))
    }

    public var description: String { "decision(h=\(height) r=\(round) \(blockID.hex.prefix(12)))" }
}
