import FacetCore
import FacetLedger

/// A signed consensus message as validators exchange it: a proposal or a vote.
public enum ConsensusMessage: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    case proposal(Proposal)
    case vote(Vote)

    public var height: UInt64 {
        switch self {
        case .proposal(let proposal): proposal.height
        case .vote(let vote): vote.height
        }
    }

    public var round: UInt32 {
        switch self {
        case .proposal(let proposal): proposal.round
        case .vote(let vote): vote.round
        }
    }

    public var sender: MemberID {
        switch self {
        case .proposal(let proposal): proposal.proposer
        case .vote(let vote): vote.validator
        }
    }

    public var slot: ConsensusSlot {
        switch self {
        case .proposal(let proposal): proposal.slot
        case .vote(let vote): vote.slot
        }
    }

    /// True when the signature verifies under `key`: what a driver checks before handing the message in.
    public func hasValidSignature(key: PublicKey, chainID: Label) -> Bool {
        switch self {
        case .proposal(let proposal): proposal.hasValidSignature(key: key, chainID: chainID)
        case .vote(let vote): vote.hasValidSignature(key: key, chainID: chainID)
        }
    }

    public var description: String {
        switch self {
        case .proposal(let proposal): proposal.description
        case .vote(let vote): vote.description
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .proposal(let proposal):
            encoder.u8(1)
            encoder.encode(proposal)
        case .vote(let vote):
            encoder.u8(2)
            encoder.encode(vote)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.u8() {
        case 1: self = .proposal(try decoder.decode())
        case 2: self = .vote(try decoder.decode())
        case let tag: throw CoreError(.unknownTag, "unknown consensus message tag \(tag)")
        }
    }
}
