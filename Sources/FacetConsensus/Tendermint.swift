import FacetCore
import FacetLedger

/// One validator's Tendermint consensus for one chain: Algorithm 1 of Buchman, Kwon and Milosevic, "The latest
/// gossip on BFT consensus" (arXiv 1807.04938), as a state machine without I/O. A driver hands it verified
/// messages, timeouts and proposal values through `handle`, and carries out the actions it returns in order.
///
/// Values are block ids; the driver owns the blocks. The machine signs its own proposals and votes, and never
/// signs at a slot at or below `lastSigned` (the safety state the driver persists): each signature is preceded by
/// `.persist(slot)`. After a crash the driver builds a new machine with the persisted `lastSigned`, and passes its
/// own signed messages of the height to `start(height:validators:recovered:)`; the machine re-derives its lock
/// from them and signs nothing it already signed. Re-broadcasting those stored messages is the driver's job.
///
/// Messages of other heights are ignored (the driver buffers the next height's and hands them in after `start`).
/// Rounds more than `roundsAhead` beyond the current one are not stored: only the highest such round of each
/// validator is remembered, and the machine jumps when f+1 validators are at or beyond a round (line 55).
public struct Tendermint: Sendable {
    public let identity: MemberID
    private let key: SigningKey
    /// The key this machine signs with (a validator's consensus key for the heights it runs).
    public var publicKey: PublicKey { key.publicKey }
    public let chainID: Label
    public let timeouts: TimeoutParameters
    /// How many rounds beyond the current one are stored in full.
    public let roundsAhead: UInt32
    /// How many rounds before the current one are kept (older ones are forgotten).
    public let roundsKept: UInt32

    public internal(set) var height: UInt64 = 0
    public internal(set) var round: UInt32 = 0
    public internal(set) var step: ConsensusStep = .propose
    public internal(set) var lockedValue: Hash256?
    public internal(set) var lockedRound: UInt32?
    public internal(set) var validValue: Hash256?
    public internal(set) var validRound: UInt32?
    public internal(set) var decision: Decision?
    /// The last slot this validator signed: it never signs at this slot or below.
    public internal(set) var lastSigned: ConsensusSlot?
    public internal(set) var validators: ValidatorSet?

    var log: MessageLog?
    /// The highest far-ahead round (beyond `roundsAhead`) each validator sent a message for, by set position.
    var farRounds: [UInt32?] = []
    var awaitingValue = false
    /// The "for the first time" conditions of lines 34, 36 and 47, reset by each round.
    var prevoteTimeoutScheduled = false
    var lockOrValidUpdated = false
    var precommitTimeoutScheduled = false
    var actions: [ConsensusAction] = []
    /// Whether the last event's vote was not kept (`LogOutcome.unkept`): the driver may hand it in again.
    public internal(set) var unkept = false

    public init(
        identity: MemberID, key: SigningKey, chainID: Label, timeouts: TimeoutParameters = .standard,
        lastSigned: ConsensusSlot? = nil, roundsAhead: UInt32 = 8, roundsKept: UInt32 = 64
    ) {
        precondition(roundsAhead >= 1 && roundsKept >= 1, "the log keeps at least one round either side")
        self.identity = identity
        self.key = key
        self.chainID = chainID
        self.timeouts = timeouts
        self.lastSigned = lastSigned
        self.roundsAhead = roundsAhead
        self.roundsKept = roundsKept
    }

    /// The proposer of (height, round): the validator at index (height + round) mod n of the set in ascending
    /// member order.
    public static func proposer(height: UInt64, round: UInt32, validators: ValidatorSet) -> MemberID {
        let count = UInt64(validators.count)
        precondition(count > 0, "a validator set is never empty")
        let index = (height % count + UInt64(round) % count) % count
        return validators.validators[Int(index)].member
    }

    /// Starts consensus at `height` (after the previous height was committed, or after a restart). `recovered` are
    /// the messages this validator signed at `height` before a crash, as the driver stored them: they re-enter the
    /// log, restore the lock, and the machine resumes at the round of `lastSigned`.
    public mutating func start(height: UInt64, validators: ValidatorSet, recovered: [ConsensusMessage] = [])
        -> [ConsensusAction]
    {
        precondition(log == nil || height > self.height, "heights only move forward")
        precondition(validators.count > 0, "a validator set is never empty")
        self.height = height
        self.validators = validators
        log = MessageLog(validators: validators)
        farRounds = Array(repeating: nil, count: validators.count)
        decision = nil
        lockedValue = nil
        lockedRound = nil
        validValue = nil
        validRound = nil
        actions = []
        for message in recovered where message.height == height && message.sender == identity {
            receive(message, valid: true)
            if case .vote(let vote) = message, vote.kind == .precommit, let blockID = vote.blockID,
                lockedRound.map({ vote.round > $0 }) ?? true
            {
                lockedValue = blockID
                lockedRound = vote.round
                validValue = blockID
                validRound = vote.round
            }
        }
        var resume: UInt32 = 0
        if let lastSigned, lastSigned.height == height { resume = lastSigned.round }
        startRound(resume)
        evaluate()
        return takeActions()
    }

    /// Handles one event and returns the actions to carry out, in order.
    public mutating func handle(_ event: ConsensusEvent) -> [ConsensusAction] {
        guard log != nil, decision == nil else { return [] }
        actions = []
        unkept = false
        switch event {
        case .proposal(let proposal, let valid):
            receive(.proposal(proposal), valid: valid)
        case .vote(let vote):
            receive(.vote(vote), valid: true)
        case .timeout(let kind, let height, let round):
            guard height == self.height, round == self.round else { break }
            onTimeout(kind)
        case .proposalValue(let blockID, let height, let round):
            guard height == self.height, round == self.round, step == .propose, awaitingValue else { break }
            awaitingValue = false
            propose(blockID, validRound: nil)
        }
        evaluate()
        return takeActions()
    }

    private mutating func takeActions() -> [ConsensusAction] {
        defer { actions = [] }
        return actions
    }

    var faultTolerance: Int { validators?.faultTolerance ?? 0 }
    var quorum: Int { validators?.quorum ?? 1 }

    func index(of member: MemberID) -> Int? {
        validators?.validators.firstIndex { $0.member == member }
    }

    /// Adds a message of the current height to the log (or notes a far-ahead round), reporting equivocation.
    mutating func receive(_ message: ConsensusMessage, valid: Bool) {
        guard message.height == height, let validators, let sender = index(of: message.sender) else { return }
        if case .proposal(let proposal) = message {
            let expected = Tendermint.proposer(height: height, round: proposal.round, validators: validators)
            guard proposal.proposer == expected else { return }
        }
        if message.round > round, message.round - round > roundsAhead {
            farRounds[sender] = max(farRounds[sender] ?? 0, message.round)
            return
        }
        if message.round < round, round - message.round > roundsKept { return }
        let outcome: LogOutcome
        switch message {
        case .proposal(let proposal): outcome = log!.add(proposal, valid: valid, index: sender)
        case .vote(let vote): outcome = log!.add(vote, index: sender)
        }
        if case .conflict(let misbehavior, _) = outcome { actions.append(.evidence(misbehavior)) }
        if case .unkept = outcome { unkept = true }
    }

    /// StartRound(round) of the paper.
    mutating func startRound(_ newRound: UInt32) {
        guard let validators else { return }
        round = newRound
        step = .propose
        awaitingValue = false
        prevoteTimeoutScheduled = false
        lockOrValidUpdated = false
        precommitTimeoutScheduled = false
        if newRound > roundsKept { log!.prune(below: newRound - roundsKept) }
        let horizon = UInt64(newRound) + UInt64(roundsAhead)
        for index in farRounds.indices where UInt64(farRounds[index] ?? 0) <= horizon { farRounds[index] = nil }
        let slot = ConsensusSlot(height: height, round: newRound, step: .propose)
        if Tendermint.proposer(height: height, round: newRound, validators: validators) == identity, mayBeSigned(slot) {
            if let validValue {
                propose(validValue, validRound: validRound)
            } else {
                awaitingValue = true
                actions.append(.requestProposalValue(height: height, round: newRound))
            }
        } else {
            schedule(.propose)
        }
    }

    func mayBeSigned(_ slot: ConsensusSlot) -> Bool {
        guard validators?.validator(identity) != nil else { return false }
        return lastSigned.map { slot > $0 } ?? true
    }

    mutating func schedule(_ kind: TimeoutKind) {
        actions.append(
            .scheduleTimeout(kind, height: height, round: round, after: timeouts.duration(kind, round: round)))
    }

    /// Signs and broadcasts a proposal, then delivers it to itself (a broadcast reaches its sender too).
    mutating func propose(_ blockID: Hash256, validRound: UInt32?) {
        let slot = ConsensusSlot(height: height, round: round, step: .propose)
        guard mayBeSigned(slot) else { return }
        let proposal = Proposal.sign(
            height: height, round: round, validRound: validRound, blockID: blockID, chainID: chainID,
            proposer: identity, key: key)
        lastSigned = slot
        actions.append(.persist(slot))
        actions.append(.broadcastProposal(proposal))
        receive(.proposal(proposal), valid: true)
    }

    /// Signs and broadcasts a vote at the current round, unless the safety state forbids it; then delivers it to
    /// itself.
    mutating func vote(_ kind: VoteKind, _ blockID: Hash256?) {
        let slot = ConsensusSlot(height: height, round: round, step: kind == .prevote ? .prevote : .precommit)
        guard mayBeSigned(slot) else { return }
        let vote = Vote.sign(
            kind, height: height, round: round, blockID: blockID, chainID: chainID, validator: identity, key: key)
        lastSigned = slot
        actions.append(.persist(slot))
        actions.append(.broadcastVote(vote))
        receive(.vote(vote), valid: true)
    }
}
