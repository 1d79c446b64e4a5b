import FacetCore
import FacetLedger

/// A proposal as the machine keeps it, with the driver's verdict on its block.
struct ProposalEntry: Hashable, Sendable {
    var proposal: Proposal
    var valid: Bool
}

/// The messages of one round: at most two proposals from its proposer (the first, and the first conflicting one
/// for another block so a decision on it can still be recognised), and per validator (by position in the set) the
/// first prevote and precommit received, the first conflicting one, and a few more conflicting ones for values that
/// matter (nil, or a block a proposal of this height names). As in the paper, where every received message counts,
/// an equivocator's conflicting vote counts toward its own value; it never counts twice in one tally, and the "any
/// value" tallies count each validator once.
///
/// Why more than one conflicting vote: an equivocator can send three or more votes at one slot (one per half of the
/// network, and more), and which reach a correct validator first is the network's choice. A correct validator that
/// locked on a value because it counted the equivocator's vote for it re-proposes that value with its valid round;
/// the others accept it only if they count the same vote in that round's polka. Were only the first conflicting
/// vote kept, a junk one would hide it for good and the locked validator would refuse every other value: no round
/// decides (sim seed 4189, equivocation). Tendermint's `VoteSetMaj23` serves the same end.
struct RoundMessages: Sendable {
    /// Conflicting votes kept per validator and slot beyond the first conflicting one (values that matter only).
    static let maxNamedConflicts = 3

    var proposals: [ProposalEntry] = []
    var prevotes: [Vote?]
    var precommits: [Vote?]
    var conflictingPrevotes: [Vote?]
    var conflictingPrecommits: [Vote?]
    var namedPrevotes: [[Vote]]
    var namedPrecommits: [[Vote]]

    init(validators: Int) {
        prevotes = Array(repeating: nil, count: validators)
        precommits = prevotes
        conflictingPrevotes = prevotes
        conflictingPrecommits = prevotes
        namedPrevotes = Array(repeating: [], count: validators)
        namedPrecommits = namedPrevotes
    }

    func named(_ kind: VoteKind) -> [[Vote]] { kind == .prevote ? namedPrevotes : namedPrecommits }

    /// Whether `vote` is kept, as first, first conflicting or named conflicting vote of its validator.
    func holds(_ vote: Vote, index: Int) -> Bool {
        votes(vote.kind)[index] == vote || conflicting(vote.kind)[index] == vote
            || named(vote.kind)[index].contains(vote)
    }

    func votes(_ kind: VoteKind) -> [Vote?] { kind == .prevote ? prevotes : precommits }

    func conflicting(_ kind: VoteKind) -> [Vote?] { kind == .prevote ? conflictingPrevotes : conflictingPrecommits }

    func count(_ kind: VoteKind) -> Int {
        var count = 0
        for vote in votes(kind) where vote != nil { count += 1 }
        return count
    }

    /// The votes of `kind` for `blockID`, at most one per validator, in ascending validator order.
    func votes(_ kind: VoteKind, for blockID: Hash256?) -> [Vote] {
        var matching = [Vote]()
        let named = named(kind)
        for (index, (first, second)) in zip(votes(kind), conflicting(kind)).enumerated() {
            if let first, first.blockID == blockID {
                matching.append(first)
            } else if let second, second.blockID == blockID {
                matching.append(second)
            } else if let other = named[index].first(where: { $0.blockID == blockID }) {
                matching.append(other)
            }
        }
        return matching
    }

    func count(_ kind: VoteKind, for blockID: Hash256?) -> Int { votes(kind, for: blockID).count }

    /// Distinct validators that sent anything in this round.
    func senders(proposerIndex: Int) -> Int {
        var count = 0
        for index in prevotes.indices {
            let sent =
                prevotes[index] != nil || precommits[index] != nil
                || (index == proposerIndex && !proposals.isEmpty)
            if sent { count += 1 }
        }
        return count
    }
}

/// What adding a message to the log did.
enum LogOutcome: Hashable, Sendable {
    case added
    /// The same message again, or a conflicting one already reported: not counted.
    case ignored
    /// A conflicting message, reported now (once per offender and slot).
    case conflict(Misbehavior, added: Bool)
    /// A conflicting vote not kept: its validator's conflicting votes at that slot are full, and its value is not
    /// one that matters yet (no proposal names it). It may be handed in again later.
    case unkept
}

/// The message log of one height: the first message of each validator at each slot, and which offenders were
/// already reported. Rounds are kept in a dictionary used only for lookups; anything that decides iterates the
/// sorted round numbers.
struct MessageLog: Sendable {
    let validators: ValidatorSet
    private(set) var rounds: [UInt32: RoundMessages] = [:]
    private var reported: Set<Offense> = []

    private struct Offense: Hashable, Sendable {
        var validator: Int
        var slot: ConsensusSlot
    }

    init(validators: ValidatorSet) {
        self.validators = validators
    }

    var roundNumbers: [UInt32] { rounds.keys.sorted() }

    subscript(round: UInt32) -> RoundMessages {
        rounds[round] ?? RoundMessages(validators: validators.count)
    }

    mutating func add(_ vote: Vote, index: Int) -> LogOutcome {
        var messages = self[vote.round]
        let existing = messages.votes(vote.kind)[index]
        if let existing {
            guard let misbehavior = Misbehavior.votes(existing, vote) else { return .ignored }
            if messages.holds(vote, index: index) { return report(misbehavior, index: index, added: false) }
            if messages.conflicting(vote.kind)[index] == nil {
                if vote.kind == .prevote {
                    messages.conflictingPrevotes[index] = vote
                } else {
                    messages.conflictingPrecommits[index] = vote
                }
            } else if matters(vote.blockID), messages.named(vote.kind)[index].count < RoundMessages.maxNamedConflicts,
                !messages.named(vote.kind)[index].contains(where: { $0.blockID == vote.blockID })
            {
                if vote.kind == .prevote {
                    messages.namedPrevotes[index].append(vote)
                } else {
                    messages.namedPrecommits[index].append(vote)
                }
            } else {
                return .unkept
            }
            rounds[vote.round] = messages
            return report(misbehavior, index: index, added: true)
        }
        if vote.kind == .prevote {
            messages.prevotes[index] = vote
        } else {
            messages.precommits[index] = vote
        }
        rounds[vote.round] = messages
        return .added
    }

    /// Whether a vote's value is one the rules tally: nil, or a block some proposal of this height names.
    func matters(_ blockID: Hash256?) -> Bool {
        guard let blockID else { return true }
        return rounds.values.contains { $0.proposals.contains { $0.proposal.blockID == blockID } }
    }

    /// Whether the log keeps `vote` (nil index: the sender is not a validator of the set).
    func holds(_ vote: Vote, index: Int) -> Bool {
        rounds[vote.round]?.holds(vote, index: index) ?? false
    }

    mutating func add(_ proposal: Proposal, valid: Bool, index: Int) -> LogOutcome {
        var messages = self[proposal.round]
        guard let first = messages.proposals.first else {
            messages.proposals = [ProposalEntry(proposal: proposal, valid: valid)]
            rounds[proposal.round] = messages
            return .added
        }
        guard let misbehavior = Misbehavior.proposals(first.proposal, proposal) else { return .ignored }
        var added = false
        if messages.proposals.count < 2, proposal.blockID != first.proposal.blockID {
            messages.proposals.append(ProposalEntry(proposal: proposal, valid: valid))
            rounds[proposal.round] = messages
            added = true
        }
        return report(misbehavior, index: index, added: added)
    }

    private mutating func report(_ misbehavior: Misbehavior, index: Int, added: Bool) -> LogOutcome {
        let offense = Offense(validator: index, slot: misbehavior.slot)
        guard reported.insert(offense).inserted else { return added ? .added : .ignored }
        return .conflict(misbehavior, added: added)
    }

    /// Forgets rounds before `round` (bounded memory over long stalls).
    mutating func prune(below round: UInt32) {
        for old in rounds.keys.sorted() where old < round { rounds[old] = nil }
        reported = reported.filter { $0.slot.round >= round }
    }
}
