import FacetCore
import FacetLedger

/// One validator's whole protocol as a state machine without I/O: Tendermint (`Tendermint`) plus block sync, the
/// next-height buffer, de-duplication, re-broadcast, the transaction gossip policy, empty-block pacing, evidence and
/// the store's retry with backoff. The node's `ConsensusDriver` and the seeded simulation both drive this machine,
/// so every simulated seed runs the code that runs in production.
///
/// Events go in (`ValidatorEvent`: a peer's message, a timer, a tick, the answer to an action) with the time as an
/// offset from any fixed origin; actions come out (`ValidatorAction`: send, schedule, store, execute, commit, sync,
/// report), to be carried out in order. An action that `expectsAnswer` ends its batch: the driver hands its answer
/// back as the next event. Work that must wait for an answer is kept as a queue of steps, resumed by the answer,
/// so the machine does exactly what a driver that awaited each call in place would do.
///
/// - Every signature in a peer message is verified once, before Tendermint sees it; a message that fails a check
///   is dropped and observed (`.dropped(reason)`), never fatal. A copy of a message already handed in is dropped
///   unread (bounded by `maxSeenMessages`).
/// - Before anything it signed leaves, the validator stores it (`.storeSigned`); while the store fails it sends
///   nothing it could not store, retries with backoff, and then stores and sends what it signed meanwhile.
/// - A validator behind its peers learns it from their status and fetches committed blocks (`PeerHeads`).
/// - Bounded against a faulty peer: sync requests and forwarded transactions are rate-limited (`TokenBucket`), its
///   blocks at a height take at most its share (`HeightBlocks`), a proposal over the size limit is refused before
///   its block is executed (a verdict on that message, not on the block), a block found invalid is never executed
///   again at that height, and the next height's messages
///   wait in a buffer where each validator has an equal share.
public struct ValidatorMachine: Sendable {
    /// Work waiting its turn; what a step adds runs before the steps already queued (depth first, as nested calls).
    enum Step: Sendable {
        case consensus(ConsensusAction)
        case peer(MemberID, ValidatorMessage, bytes: Int)
        case startHeight(recovered: [ConsensusMessage])
        case requestSync(force: Bool)
        case rebroadcast
        case announce
        case retryStore
        case retrySignatures
        case tickIdle(TickInput)
        case tickTail(TickInput)
    }

    /// The answer the machine waits for, with what it needs to go on.
    enum Awaiting: Sendable {
        case built(height: UInt64, round: UInt32)
        case executed(Proposal)
        /// Signed messages being stored: `message` goes out once they are; nil for a retry after a failure.
        case stored(ConsensusMessage?)
        case committed(Decision, retry: Bool)
        case synced(MemberID)
    }

    public let identity: MemberID
    public let chainID: Label
    public let settings: ValidatorSettings
    let key: SigningKey
    /// The consensus keys this validator holds, by public key: its member key (its first consensus key) and any a
    /// `rotate_validator_key` moved it to, handed in by `hold(_:)`. Each height is signed with the key its validator
    /// set names.
    var keys: [PublicKey: SigningKey]
    public internal(set) var tendermint: Tendermint
    /// The ledger's head, as the driver last reported it (nil before `.start`).
    public internal(set) var head: LedgerHead?
    /// Blocks proposed at the current height and the verdicts on those executed.
    public internal(set) var blocks = HeightBlocks(maxBytesPerProposer: 2 * ValidatorMessage.maxProposalBytes)
    /// Blocks executed per round at this height: Tendermint keeps at most two proposals a round, so a third
    /// distinct block in a round is never executed.
    var executedRounds: [UInt32: Int] = [:]
    /// Messages of the next height, replayed when it starts (bounded, an equal share per validator).
    var nextHeight: [(member: MemberID, message: ValidatorMessage, bytes: Int)] = []
    var bufferedBy: [MemberID: Int] = [:]
    /// Messages of this height whose signature was verified and that were handed in: a copy is dropped unread.
    var seen: Set<ConsensusMessage> = []
    /// The same messages in the order they arrived (what a relay sends; a set's order is not stable).
    var received: [ConsensusMessage] = []
    /// What this validator signed at the current height, as stored in its safety state (or waiting to be).
    public internal(set) var signed: [ConsensusMessage] = []
    public internal(set) var heads: PeerHeads
    var syncQuotas: [MemberID: TokenBucket] = [:]
    var gossipQuotas: [MemberID: TokenBucket] = [:]
    var snapshotQuotas: [MemberID: TokenBucket] = [:]
    /// When this height last moved: its start, a new round, or a re-broadcast.
    var lastActivity: Duration = .zero
    var activityRound: UInt32 = 0
    var lastStatus: Duration = .zero
    /// When the head last moved (a commit, or a synced block).
    var lastProgress: Duration = .zero
    /// Set while the store fails.
    var storeFailure: StoreFailure?
    /// The height that waits for a transaction before it starts (`emptyBlockInterval`), and since when.
    var idle: (height: UInt64, since: Duration)?
    /// The round last observed; nil until the first event, so the round gauge is exported (at 0) from the start.
    var reportedRound: UInt32?
    /// The valid round whose polka was last relayed at this height.
    var relayedPolka: UInt32?

    var steps: [Step] = []
    var awaiting: Awaiting?
    var out: [ValidatorAction] = []
    /// The time of the event being handled.
    public internal(set) var now: Duration = .zero

    public static let maxBufferedMessages = 1_024
    public static let maxSeenMessages = 4_096
    public static let maxExecutionsPerRound = 2
    public static let syncBatch: UInt32 = 32
    public static let syncRequestBurst = 4
    public static let syncRequestsPerSecond = 2
    /// Snapshot manifest and chunk requests a peer may make: a burst, then a steady rate (8 MiB/s of chunks).
    public static let snapshotRequestBurst = 16
    public static let snapshotRequestsPerSecond = 8
    public static let forwardedBurst = 4 * ValidatorMessage.maxGossipTransactions
    public static let forwardedPerSecond = 2 * ValidatorMessage.maxGossipTransactions

    public init(key: SigningKey, chainID: Label, settings: ValidatorSettings) {
        self.key = key
        self.keys = [key.publicKey: key]
        self.identity = MemberID(initialKey: key.publicKey)
        self.chainID = chainID
        self.settings = settings
        tendermint = Tendermint(identity: identity, key: key, chainID: chainID, timeouts: settings.timeouts)
        heads = PeerHeads(timeout: settings.syncTimeout)
    }

    /// Holds `key` as one of this validator's consensus keys from now on (the driver hands in what its keyring holds
    /// for the keys the current and next validator sets name, before the height that needs it starts).
    public mutating func hold(_ key: SigningKey) {
        keys[key.publicKey] = key
    }

    /// Whether the machine waits for the answer to its last action.
    public var isAwaitingAnswer: Bool { awaiting != nil }

    /// Handles one event at `now` and returns the actions to carry out, in order.
    public mutating func handle(_ event: ValidatorEvent, at now: Duration) -> [ValidatorAction] {
        precondition(event.isAnswer == (awaiting != nil), "an answer comes exactly when one is awaited")
        self.now = max(self.now, now)
        if let awaiting {
            self.awaiting = nil
            resume(awaiting, with: event)
        } else {
            begin(event)
        }
        drain()
        if awaiting == nil { relayNewPolka() }
        if tendermint.round != reportedRound {
            reportedRound = tendermint.round
            // Before the question, if one is asked: the action that expects an answer ends its batch.
            out.insert(.observe(.round(tendermint.round)), at: awaiting == nil ? out.endIndex : out.endIndex - 1)
        }
        defer { out = [] }
        return out
    }

    private mutating func begin(_ event: ValidatorEvent) {
        switch event {
        case .start(let head, let lastSigned, let signed):
            tendermint = Tendermint(
                identity: identity, key: key, chainID: chainID, timeouts: settings.timeouts, lastSigned: lastSigned)
            self.head = head
            lastProgress = now
            lastStatus = now
            push([.startHeight(recovered: signed), .announce])
        case .peer(let member, let message, let bytes):
            push([.peer(member, message, bytes: bytes)])
        case .timer(.timeout(let kind, let height, let round)):
            guard height == tendermint.height else { return }
            push(consensus: tendermint.handle(.timeout(kind, height: height, round: round)))
        case .timer(.startHeight(let height)):
            guard let head, height == head.height + 1, height > tendermint.height || tendermint.validators == nil
            else { return }
            if settings.emptyBlockInterval != nil {
                // Started by the next tick if a transaction waits, or once the empty-block interval has passed.
                idle = (height, lastProgress)
            } else {
                push([.startHeight(recovered: [])])
            }
        case .tick(let input):
            push([.retryStore, .tickIdle(input), .tickTail(input)])
        case .built, .executed, .stored, .committed, .synced:
            preconditionFailure("an answer nobody asked for")
        }
    }

    /// Runs queued steps until none is left or one waits for an answer.
    mutating func drain() {
        while awaiting == nil, !steps.isEmpty {
            run(steps.removeFirst())
        }
    }

    /// Queues steps ahead of those already queued, keeping their order.
    mutating func push(_ new: [Step]) {
        steps.insert(contentsOf: new, at: 0)
    }

    mutating func push(consensus actions: [ConsensusAction]) {
        push(actions.map { .consensus($0) })
    }

    /// Emits an action that expects an answer and waits for it.
    mutating func ask(_ action: ValidatorAction, _ awaiting: Awaiting) {
        precondition(action.expectsAnswer && self.awaiting == nil, "one question at a time")
        out.append(action)
        self.awaiting = awaiting
    }

    private mutating func run(_ step: Step) {
        switch step {
        case .consensus(let action): perform(action)
        case .peer(let member, let message, let bytes): receive(message, from: member, bytes: bytes)
        case .startHeight(let recovered): startHeight(recovered: recovered)
        case .requestSync(let force): requestSync(force: force)
        case .rebroadcast: rebroadcast()
        case .announce: announce()
        case .retryStore: retryStore()
        case .retrySignatures: retrySignatures()
        case .tickIdle(let input): tickIdle(input)
        case .tickTail(let input): tickTail(input)
        }
    }

    private mutating func resume(_ awaiting: Awaiting, with event: ValidatorEvent) {
        switch (awaiting, event) {
        case (.built(let height, let round), .built(let block)):
            // Its own block: held without counting against a share (it proposes once per round it leads).
            _ = blocks.insert(block, bytes: 0, proposer: identity, pinned: [])
            blocks.judge(block.id, .valid)
            push(consensus: tendermint.handle(.proposalValue(block.id, height: height, round: round)))
        case (.executed(let proposal), .executed(let id, let rejection)):
            precondition(id == proposal.blockID, "the verdict on the block asked for")
            if let rejection {
                hand(proposal, valid: refuse(proposal, rejection))
            } else {
                blocks.judge(id, .valid)
                hand(proposal, valid: true)
            }
        case (.stored(let message), .stored(let ok)):
            stored(message, ok: ok)
        case (.committed(let decision, let retry), .committed(let result)):
            committed(decision, result, retry: retry)
        case (.synced(let member), .synced(let result)):
            synced(result, from: member)
        default:
            preconditionFailure("the answer does not match the question")
        }
    }

    /// Carries out one of Tendermint's actions.
    private mutating func perform(_ action: ConsensusAction) {
        switch action {
        case .persist:
            // The broadcast that follows carries the message; it is stored there, before it is sent.
            break
        case .broadcastProposal(let proposal):
            persist(.proposal(proposal))
        case .broadcastVote(let vote):
            persist(.vote(vote))
        case .scheduleTimeout(let kind, let height, let round, let after):
            out.append(.schedule(.timeout(kind, height: height, round: round), after: after))
        case .requestProposalValue(let height, let round):
            ask(.buildProposal(height: height, round: round), .built(height: height, round: round))
        case .commit(let decision):
            commit(decision)
        case .evidence(let misbehavior):
            out.append(.observe(.equivocation(misbehavior)))
            out.append(.reportEvidence(misbehavior))
        }
    }

    /// Starts the height after the head: Tendermint with its validator set and what this validator signed at it
    /// before a restart (sent again, exactly as signed), then the messages buffered for it.
    mutating func startHeight(recovered: [ConsensusMessage]) {
        guard let head else { return }
        let height = head.height + 1
        guard tendermint.validators == nil || height > tendermint.height else { return }
        idle = nil
        blocks.start(height: height)
        executedRounds = [:]
        let mine = recovered.filter { $0.height == height }
        signed = mine
        useConsensusKey(of: head.validators, at: height)
        out.append(.allow([head.validators, head.nextValidators]))
        heads.keep(only: Set(head.validators.validators.map(\.member) + head.nextValidators.validators.map(\.member)))
        let actions = tendermint.start(height: height, validators: head.validators, recovered: mine)
        let buffered = nextHeight.filter { $0.message.consensusHeight == height }
        nextHeight = []
        bufferedBy = [:]
        seen = []
        received = []
        relayedPolka = nil
        lastActivity = now
        activityRound = tendermint.round
        let replayed = buffered.map { Step.peer($0.member, $0.message, bytes: $0.bytes) }
        push(actions.map { .consensus($0) } + [.rebroadcast] + replayed)
    }

    /// Signs `height` with the consensus key `validators` names for this validator: when that is not the key
    /// Tendermint holds, it is rebuilt with it, keeping its last signed slot (it starts a new height anyway).
    mutating func useConsensusKey(of validators: ValidatorSet, at height: UInt64) {
        guard let listed = validators.validator(identity)?.publicKey, listed != tendermint.publicKey else { return }
        guard let key = keys[listed] else {
            out.append(.observe(.missingConsensusKey(listed, height: height)))
            return
        }
        tendermint = Tendermint(
            identity: identity, key: key, chainID: chainID, timeouts: settings.timeouts,
            lastSigned: tendermint.lastSigned)
        out.append(.observe(.consensusKey(listed, height: height)))
    }

    func broadcast(_ message: ConsensusMessage) -> ValidatorAction {
        switch message {
        case .proposal(let proposal): .broadcast(.proposal(proposal, blocks[proposal.blockID]))
        case .vote(let vote): .broadcast(.vote(vote))
        }
    }

    /// Sends again everything this validator signed at the current height, exactly as signed. Tendermint assumes
    /// every message between correct validators is eventually delivered; a message lost to a peer's crash or a
    /// dropped connection would otherwise be lost for good. Nothing goes out while signed messages wait for the store.
    mutating func rebroadcast() {
        lastActivity = now
        guard storeFailure == nil else { return }
        for message in signed where message.height == tendermint.height { out.append(broadcast(message)) }
    }

    /// Relays the prevotes of a polka this validator has just seen (its valid value moved to a new round), once:
    /// a correct validator that saw them only because an equivocator showed them to it passes them on while the
    /// round still runs, so every correct validator can take the same valid value and the next correct proposer's
    /// value is accepted by all (what Tendermint's gossip guarantees).
    mutating func relayNewPolka() {
        guard let round = tendermint.validRound, let value = tendermint.validValue, relayedPolka != round,
            storeFailure == nil
        else { return }
        relayedPolka = round
        relayPrevotes(round: round, for: value)
    }

    /// Relays the prevotes of the rounds that justify this validator's lock and valid value (`lockedRound` and
    /// `validRound`), when its height stands still. An equivocator can show a polka to some correct validators
    /// only; a validator locked on it then refuses every other value, and without the prevotes the others never
    /// accept its value either. Tendermint's liveness assumes what one correct validator received reaches the
    /// others; relaying those rounds' prevotes (at most two rounds' worth, nil ones too: they show where the
    /// others stood) is what makes that true here.
    mutating func relayPolkas() {
        guard storeFailure == nil else { return }
        for round in Set([tendermint.lockedRound, tendermint.validRound].compactMap { $0 }).sorted() {
            relayPrevotes(round: round, for: nil)
        }
    }

    /// Relays the other validators' precommits of every round where a quorum precommitted one block (a commit
    /// certificate), when the height stands still. A validator can hold the certificate without the block (it missed
    /// the proposal) while those holding the block lack a precommit: the one that went to a validator which then
    /// committed and moved on, or which is Byzantine. Relayed, the certificate lets every correct validator holding
    /// the block decide it (Tendermint's "2f+1 precommits for v at any round", as its gossip delivers them).
    mutating func relayCertificates() {
        guard storeFailure == nil, let log = tendermint.log else { return }
        for number in log.roundNumbers {
            let messages = log[number]
            var candidates = [Hash256]()
            for vote in messages.precommits + messages.conflictingPrecommits {
                if let blockID = vote?.blockID, !candidates.contains(blockID) { candidates.append(blockID) }
            }
            for blockID in candidates where messages.count(.precommit, for: blockID) >= tendermint.quorum {
                for vote in messages.votes(.precommit, for: blockID) where vote.validator != identity {
                    out.append(.broadcast(.vote(vote)))
                }
            }
        }
    }

    /// Broadcasts the other validators' prevotes at `round` (for `value` only, when given), as received.
    mutating func relayPrevotes(round: UInt32, for value: Hash256?) {
        for message in received {
            guard case .vote(let vote) = message, vote.kind == .prevote, vote.round == round,
                value == nil || vote.blockID == value, vote.validator != identity
            else { continue }
            out.append(.broadcast(.vote(vote)))
        }
    }

    mutating func announce() {
        lastStatus = now
        guard let head else { return }
        out.append(.broadcast(.status(height: head.height, blockID: head.blockID)))
    }

    /// Where consensus stands at `now`.
    public func status(at now: Duration) -> ValidatorStatus {
        let height = head?.height ?? 0
        let best = heads.best(head: height)
        let mode: ValidatorStatus.Mode
        if storeFailure != nil {
            mode = .storeUnavailable
        } else if best > height, now - lastProgress >= settings.stallAfter {
            mode = .stalled
        } else {
            mode = best > height + 1 ? .syncing : .voting
        }
        return ValidatorStatus(
            mode: mode, height: tendermint.height, round: tendermint.round, step: tendermint.step,
            bestPeerHeight: best)
    }

    /// Bytes and counts this machine holds beyond Tendermint's log: what a simulation bounds per node.
    public var footprint: (buffered: Int, seen: Int, blocks: Int, signed: Int) {
        (nextHeight.count, seen.count, blocks.count, signed.count)
    }
}
