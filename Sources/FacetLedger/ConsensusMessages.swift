import FacetCore

/// The two votes of Tendermint's rounds.
public enum VoteKind: UInt8, CanonicalEnum, Comparable {
    case prevote = 1
    case precommit = 2

    public var purpose: SignaturePurpose { self == .prevote ? .prevote : .precommit }

    public static func < (lhs: VoteKind, rhs: VoteKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A validator's signed prevote or precommit for a block id, or for nothing (nil).
///
/// The signed payload is `u64 height ‖ u32 round ‖ block id`, with 32 zero bytes standing for nil, under the
/// purpose `prevote` or `precommit`. A precommit's payload is therefore exactly the one a commit certificate's
/// signatures cover (`CommitCertificate.precommitPayload`), so a quorum of precommits is a certificate as is.
public struct Vote: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public var kind: VoteKind
    public var height: UInt64
    public var round: UInt32
    /// The block voted for; nil is a vote for no block.
    public var blockID: Hash256?
    public var validator: MemberID
    public var signature: Signature

    public init(
        kind: VoteKind, height: UInt64, round: UInt32, blockID: Hash256?, validator: MemberID, signature: Signature
    ) {
        self.kind = kind
        self.height = height
        self.round = round
        self.blockID = blockID
        self.validator = validator
        self.signature = signature
    }

    /// Signs a vote as `validator` with `key`.
    public static func sign(
        _ kind: VoteKind, height: UInt64, round: UInt32, blockID: Hash256?, chainID: Label, validator: MemberID,
        key: SigningKey
    ) -> Vote {
        let payload = payload(height: height, round: round, blockID: blockID)
        return Vote(
            kind: kind, height: height, round: round, blockID: blockID, validator: validator,
            signature: key.sign(purpose: kind.purpose, chainID: chainID, payload: payload))
    }

    public static func payload(height: UInt64, round: UInt32, blockID: Hash256?) -> [UInt8] {
        CommitCertificate.precommitPayload(height: height, round: round, blockID: blockID ?? .zero)
    }

    public var payload: [UInt8] { Vote.payload(height: height, round: round, blockID: blockID) }

    public func hasValidSignature(key: PublicKey, chainID: Label) -> Bool {
        key.verify(signature, purpose: kind.purpose, chainID: chainID, payload: payload)
    }

    /// The signature a commit certificate carries for this precommit.
    public var commitSignature: CommitSignature { CommitSignature(validator: validator, signature: signature) }

    /// Where a validator may sign only once: two votes with the same slot and different block ids equivocate.
    public var slot: ConsensusSlot {
        ConsensusSlot(height: height, round: round, step: kind == .prevote ? .prevote : .precommit)
    }

    public var description: String {
        "\(kind)(h=\(height) r=\(round) \(blockID.map { String($0.hex.prefix(12)) } ?? "nil") by \(validator.hex.prefix(8)))"
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(kind)
        encoder.u64(height)
        encoder.u32(round)
        encoder.optional(blockID)
        encoder.encode(validator)
        encoder.encode(signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        kind = try decoder.decode()
        height = try decoder.u64()
        round = try decoder.u32()
        blockID = try decoder.optional()
        validator = try decoder.decode()
        signature = try decoder.decode()
        if blockID == .zero { throw CoreError(.outOfRange, "a vote for nil omits the block id") }
    }
}

/// A proposer's signed proposal of a block id for (height, round), with Tendermint's valid round (nil is −1).
///
/// The signed payload is `u64 height ‖ u32 round ‖ u8 has-valid-round ‖ [u32 valid round] ‖ block id` under the
/// purpose `proposal`. The block itself travels beside the proposal; its header's id is `blockID`.
public struct Proposal: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public var height: UInt64
    public var round: UInt32
    public var validRound: UInt32?
    public var blockID: Hash256
    public var proposer: MemberID
    public var signature: Signature

    public init(
        height: UInt64, round: UInt32, validRound: UInt32?, blockID: Hash256, proposer: MemberID,
        signature: Signature
    ) {
        self.height = height
        self.round = round
        self.validRound = validRound
        self.blockID = blockID
        self.proposer = proposer
        self.signature = signature
    }

    public static func sign(
        height: UInt64, round: UInt32, validRound: UInt32?, blockID: Hash256, chainID: Label, proposer: MemberID,
        key: SigningKey
    ) -> Proposal {
        let payload = payload(height: height, round: round, validRound: validRound, blockID: blockID)
        return Proposal(
            height: height, round: round, validRound: validRound, blockID: blockID, proposer: proposer,
            signature: key.sign(purpose: .proposal, chainID: chainID, payload: payload))
    }

    public static func payload(height: UInt64, round: UInt32, validRound: UInt32?, blockID: Hash256) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.u64(height)
        encoder.u32(round)
        if let validRound {
            encoder.u8(1)
            encoder.u32(validRound)
        } else {
            encoder.u8(0)
        }
        encoder.encode(blockID)
        return encoder.bytes
    }

    public var payload: [UInt8] {
        Proposal.payload(height: height, round: round, validRound: validRound, blockID: blockID)
    }

    public func hasValidSignature(key: PublicKey, chainID: Label) -> Bool {
        key.verify(signature, purpose: .proposal, chainID: chainID, payload: payload)
    }

    public var slot: ConsensusSlot { ConsensusSlot(height: height, round: round, step: .propose) }

    public var description: String {
        "proposal(h=\(height) r=\(round) vr=\(validRound.map(String.init) ?? "-1") \(blockID.hex.prefix(12)) by \(proposer.hex.prefix(8)))"
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.u64(height)
        encoder.u32(round)
        encoder.optional(validRound)
        encoder.encode(blockID)
        encoder.encode(proposer)
        encoder.encode(signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        height = try decoder.u64()
        round = try decoder.u32()
        validRound = try decoder.optional()
        blockID = try decoder.decode()
        proposer = try decoder.decode()
        signature = try decoder.decode()
        if let validRound, validRound >= round {
            throw CoreError(.outOfRange, "a proposal's valid round precedes its round")
        }
    }
}

/// The steps of a Tendermint round, in order.
public enum ConsensusStep: UInt8, CanonicalEnum, Comparable {
    case propose = 1
    case prevote = 2
    case precommit = 3

    public static func < (lhs: ConsensusStep, rhs: ConsensusStep) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A (height, round, step): where a validator signs at most one message. Ordered lexicographically, which is the
/// order an honest validator signs in; its safety state is the last slot it signed.
public struct ConsensusSlot: Hashable, Comparable, Sendable, CanonicalCodable, CustomStringConvertible {
    public var height: UInt64
    public var round: UInt32
    public var step: ConsensusStep

    public init(height: UInt64, round: UInt32, step: ConsensusStep) {
        self.height = height
        self.round = round
        self.step = step
    }

    public static func < (lhs: ConsensusSlot, rhs: ConsensusSlot) -> Bool {
        (lhs.height, lhs.round, lhs.step.rawValue) < (rhs.height, rhs.round, rhs.step.rawValue)
    }

    public var description: String { "h=\(height) r=\(round) \(step)" }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.u64(height)
        encoder.u32(round)
        encoder.encode(step)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        height = try decoder.u64()
        round = try decoder.u32()
        step = try decoder.decode()
    }
}

/// Proof that one validator signed twice in one slot: two proposals, or two votes of one kind, for different
/// block ids (or, for proposals, a different valid round). Both messages are kept, in ascending order of their
/// encodings, so one misbehavior has one encoding whichever order it was observed in.
public enum Misbehavior: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    case conflictingVotes(Vote, Vote)
    case conflictingProposals(Proposal, Proposal)

    /// Pairs two votes in canonical order, or nil if they do not conflict.
    public static func votes(_ a: Vote, _ b: Vote) -> Misbehavior? {
        guard a.validator == b.validator, a.slot == b.slot, a.blockID != b.blockID else { return nil }
        return a.canonicalBytes.lexicographicallyPrecedes(b.canonicalBytes)
            ? .conflictingVotes(a, b) : .conflictingVotes(b, a)
    }

    /// Pairs two proposals in canonical order, or nil if they do not conflict.
    public static func proposals(_ a: Proposal, _ b: Proposal) -> Misbehavior? {
        guard a.proposer == b.proposer, a.slot == b.slot, a.payload != b.payload else { return nil }
        return a.canonicalBytes.lexicographicallyPrecedes(b.canonicalBytes)
            ? .conflictingProposals(a, b) : .conflictingProposals(b, a)
    }

    public var offender: MemberID {
        switch self {
        case .conflictingVotes(let vote, _): vote.validator
        case .conflictingProposals(let proposal, _): proposal.proposer
        }
    }

    public var slot: ConsensusSlot {
        switch self {
        case .conflictingVotes(let vote, _): vote.slot
        case .conflictingProposals(let proposal, _): proposal.slot
        }
    }

    /// True when the two messages really conflict, are in canonical order, and both verify under `key`.
    public func isProven(key: PublicKey, chainID: Label) -> Bool {
        switch self {
        case .conflictingVotes(let a, let b):
            Misbehavior.votes(a, b) == self && a.hasValidSignature(key: key, chainID: chainID)
                && b.hasValidSignature(key: key, chainID: chainID)
        case .conflictingProposals(let a, let b):
            Misbehavior.proposals(a, b) == self && a.hasValidSignature(key: key, chainID: chainID)
                && b.hasValidSignature(key: key, chainID: chainID)
        }
    }

    public var description: String {
        switch self {
        case .conflictingVotes(let a, let b): "conflicting votes \(a) / \(b)"
        case .conflictingProposals(let a, let b): "conflicting proposals \(a) / \(b)"
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .conflictingVotes(let a, let b):
            encoder.u8(1)
            encoder.encode(a)
            encoder.encode(b)
        case .conflictingProposals(let a, let b):
            encoder.u8(2)
            encoder.encode(a)
            encoder.encode(b)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.u8() {
        case 1: self = .conflictingVotes(try decoder.decode(), try decoder.decode())
        case 2: self = .conflictingProposals(try decoder.decode(), try decoder.decode())
        case let tag: throw CoreError(.unknownTag, "unknown misbehavior tag \(tag)")
        }
    }
}
