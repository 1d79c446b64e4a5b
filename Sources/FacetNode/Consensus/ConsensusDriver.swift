import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging
import Synchronization

/// The other validators, as consensus sees them: somewhere to send bytes. `PeerTransport` is the real one.
public protocol PeerLink: Sendable {
    func send(_ payload: [UInt8], to member: MemberID) async
    func broadcast(_ payload: [UInt8]) async
    /// The validators allowed to connect, after a set change.
    func allow(_ validators: [ValidatorSet]) async
    /// The validators connected now.
    func connected() async -> [MemberID]
}

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
}

/// Where a validator's consensus stands, for its status and logs.
public struct ConsensusStatus: Hashable, Sendable {
    public enum Mode: String, Sendable {
        /// Taking part in rounds at the next height.
        case voting
        /// Behind its peers: fetching committed blocks before it can vote usefully.
        case syncing
        /// Its store refuses or does not answer: it signs nothing it could not store, retries with backoff, and
        /// resumes when the store returns.
        case storeUnavailable = "store_unavailable"
        /// Its head has not moved for `stallAfter` while a peer backs a higher one.
        case stalled

        /// Why the validator is not healthy, for `/healthz`; nil when it is.
        public var unhealthy: NodeError? {
            switch self {
            case .voting, .syncing: nil
            case .storeUnavailable:
                NodeError(.storeUnavailable, "the store is unavailable: this validator cannot sign or commit")
            case .stalled: NodeError(.stalled, "this validator's height has not advanced while its peers' has")
            }
        }
    }

    public var mode: Mode
    public var height: UInt64
    public var round: UInt32
    public var step: ConsensusStep
    /// The highest height a peer backs (announced and served; see `PeerHeads`).
    public var bestPeerHeight: UInt64
}

/// One validator's consensus: a `Tendermint` machine, driven by one serial loop of events (peer messages, timeouts,
/// the start of each height and a periodic tick), with the node's ledger, its store and the peer link.
///
/// - Every signature in a peer message is verified once here, before the machine sees it; a message that fails a
///   check is dropped and counted (`facet_peer_messages_dropped_total{reason}`), never fatal.
/// - Before broadcasting anything it signed, it stores the message in its safety state; a restarted validator
///   resumes from it and never signs a conflicting message. A store that refuses or hangs (`storeTimeout`) puts the
///   validator in `storeUnavailable`: it sends nothing it could not store, retries with backoff, and when the store
///   answers again it stores and sends what it signed meanwhile and carries on.
/// - A validator that is behind (restarted, partitioned, new) learns it from its peers' status and fetches
///   committed blocks with their certificates (block sync, `PeerHeads`), then votes at the next height.
/// - Bounded against a faulty peer: its messages wait in the inbox only up to its share (`InboxQuota`), its sync
///   requests and forwarded transactions are rate-limited (`TokenBucket`), its blocks at a height take at most its
///   share (`HeightBlocks`), a block over the size limit is refused before it is executed, and a block found invalid
///   is never executed again at that height.
public actor ConsensusDriver {
    enum Event: Sendable {
        case peer(MemberID, [UInt8])
        case timeout(TimeoutKind, height: UInt64, round: UInt32)
        case startHeight(UInt64)
        case tick
    }

    /// What waits in the event stream, as counted at the door: per-peer messages and bytes, and whether a tick is
    /// already queued (ticks coalesce: a slow event never lets them pile up).
    struct Gate: Sendable {
        var quota: InboxQuota
        var tickQueued = false
    }

    let node: LedgerNode
    let link: any PeerLink
    let identity: MemberID
    let key: SigningKey
    let chainID: Label
    let settings: ConsensusSettings
    let clock: any NodeClock
    let logger: Logger
    var machine: Tendermint
    /// Unbounded as a stream, bounded at its door: peer messages by `gate`'s per-peer quota, ticks by coalescing,
    /// timeouts and height starts by the timers this driver schedules (cancelled at each height).
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let gate: Mutex<Gate>
    /// The origin of the driver's monotonic time, which the pure parts (`PeerHeads`, `TokenBucket`) take as
    /// offsets from it.
    private let origin = ContinuousClock.now
    private var timers: [Task<Void, Never>] = []
    private var ticker: Task<Void, Never>?
    /// Forwarded transactions wait here for `admitter`, which verifies their signatures on every core and queues
    /// them in arrival order, so votes and proposals never wait behind signature checks. Bounded: past
    /// `maxForwardedBatches` a batch is dropped (its transactions still reach this node in the proposal).
    private let forwarded: AsyncStream<[Transaction]>
    private let forwardedInput: AsyncStream<[Transaction]>.Continuation
    private var admitter: Task<Void, Never>?
    static let maxForwardedBatches = 256
    /// Blocks proposed at the current height and the verdicts on those executed.
    var blocks = HeightBlocks(maxBytesPerProposer: 2 * ValidatorMessage.maxProposalBytes)
    /// Blocks executed per round at this height: the machine keeps at most two proposals a round, so a third
    /// distinct block in a round is never executed.
    private var executedRounds: [UInt32: Int] = [:]
    static let maxExecutionsPerRound = 2
    /// Messages of the next height, replayed when it starts (bounded).
    private var nextHeight: [(MemberID, ValidatorMessage, Int)] = []
    private var bufferedBy: [MemberID: Int] = [:]
    /// Messages of this height whose signature was verified and that were handed to the machine: a copy (a
    /// re-broadcast, a duplicate) is neither verified nor handed in again. Bounded; past the bound, copies are
    /// verified again, which costs time but never correctness.
    private var seen: Set<ConsensusMessage> = []
    static let maxSeenMessages = 4_096
    /// When this height last moved: its start, a new round, or a re-broadcast.
    private var lastActivity = ContinuousClock.now
    private var activityRound: UInt32 = 0
    /// What this validator signed at the current height, as stored in its safety state (or waiting to be).
    var signed: [ConsensusMessage] = []
    var heads: PeerHeads
    /// Per-peer rate limits: sync requests served, transactions forwarded.
    var syncQuotas: [MemberID: TokenBucket] = [:]
    var gossipQuotas: [MemberID: TokenBucket] = [:]
    static let syncRequestBurst = 4
    static let syncRequestsPerSecond = 2
    static let forwardedBurst = 4 * ValidatorMessage.maxGossipTransactions
    static let forwardedPerSecond = 2 * ValidatorMessage.maxGossipTransactions
    private var lastStatus = ContinuousClock.now
    /// When the head last moved (a commit, or a synced block).
    var lastProgress = ContinuousClock.now
    /// Set while the store fails: what waits (a decided block to commit, signed messages to store) and when the
    /// next attempt is due.
    var storeFailure: StoreFailure?
    /// The mode last counted in `facet_consensus_degraded_total`.
    private var countedMode: ConsensusStatus.Mode = .voting
    /// Nil until the first report, so the round gauge is exported (at 0) from the first message on.
    private var lastReportedRound: UInt32?
    /// The height that waits for a transaction before it starts (`emptyBlockInterval`), and since when.
    private var idle: (height: UInt64, since: ContinuousClock.Instant)?
    private var reported: ConsensusInfo?

    static let maxBufferedMessages = 1_024
    static let syncBatch: UInt32 = 32
    static let maxSyncBytes = 8 << 20
    /// A peer's share of the inbox: enough for a round's worth of messages from every height it may be at, and
    /// for two maximal frames.
    static let inboxMessagesPerPeer = 1_024
    static let inboxBytesPerPeer = 2 * ValidatorMessage.maxBytes + (1 << 20)

    public init(
        node: LedgerNode, link: any PeerLink, key: SigningKey, settings: ConsensusSettings, clock: any NodeClock,
        logger: Logger
    ) {
        self.node = node
        self.link = link
        self.key = key
        self.identity = MemberID(initialKey: key.publicKey)
        self.chainID = node.genesis.params.chainID
        self.settings = settings
        self.clock = clock
        var logger = logger
        logger[metadataKey: "node.part"] = "consensus"
        self.logger = logger
        self.machine = Tendermint(identity: identity, key: key, chainID: chainID, timeouts: settings.timeouts)
        self.heads = PeerHeads(timeout: settings.syncTimeout)
        gate = Mutex(Gate(quota: InboxQuota(maxMessages: Self.inboxMessagesPerPeer, maxBytes: Self.inboxBytesPerPeer)))
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        (forwarded, forwardedInput) = AsyncStream.makeStream(
            of: [Transaction].self, bufferingPolicy: .bufferingOldest(Self.maxForwardedBatches))
    }

    /// Monotonic time since the driver was made: what the pure parts are given as "now".
    var now: Duration { ContinuousClock.now - origin }

    /// Hands a peer's frame to the loop (from the transport's inbound stream), unless the peer's share of the inbox
    /// is full: then the frame is dropped and counted (`inbox_full`).
    public nonisolated func deliver(from member: MemberID, payload: [UInt8]) {
        guard gate.withLock({ $0.quota.admit(payload.count, from: member) }) else {
            node.metrics.droppedPeerMessage(reason: "inbox_full")
            return
        }
        continuation.yield(.peer(member, payload))
    }

    /// Queues a tick unless one is queued already.
    private nonisolated func queueTick() {
        let queue = gate.withLock { state -> Bool in
            defer { state.tickQueued = true }
            return !state.tickQueued
        }
        if queue { continuation.yield(.tick) }
    }

    /// Whether every peer message admitted so far was handled.
    nonisolated var inboxEmpty: Bool { gate.withLock { $0.quota.isEmpty } }

    /// Ends the loop after the event in progress (a commit in flight completes, or its store call times out).
    public nonisolated func stop() { continuation.finish() }

    public func status() async -> ConsensusStatus {
        let head = await node.head.height
        let best = heads.best(head: head)
        let mode: ConsensusStatus.Mode
        if storeFailure != nil {
            mode = .storeUnavailable
        } else if best > head, ContinuousClock.now - lastProgress >= settings.stallAfter {
            mode = .stalled
        } else {
            mode = best > head + 1 ? .syncing : .voting
        }
        return ConsensusStatus(
            mode: mode, height: machine.height, round: machine.round, step: machine.step, bestPeerHeight: best)
    }

    /// Runs until `stop()` or cancellation: recovers the safety state, starts the next height, then serves events.
    public func run() async throws(NodeError) {
        await node.enableGossip()
        let recovered = try await recover()
        let head = await node.head
        let interval = settings.gossipInterval
        ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                queueTick()
            }
        }
        admitter = Task { [node, forwarded] in
            for await transactions in forwarded {
                _ = await node.submit(transactions, bytes: transactions.map(\.canonicalBytes), forward: false)
            }
        }
        defer {
            ticker?.cancel()
            forwardedInput.finish()
            admitter?.cancel()
            for timer in timers { timer.cancel() }
        }
        logger.info(
            "consensus starting",
            metadata: [
                "ledger.height": "\(head.height)",
                "consensus.last_signed": "\(machine.lastSigned.map(\.description) ?? "none")",
            ])
        await startHeight(head.height + 1, recovered: recovered)
        await announce()
        for await event in events {
            if Task.isCancelled { break }
            await process(event)
        }
        logger.info("consensus stopped", metadata: ["consensus.height": "\(machine.height)"])
    }

    /// The safety state: the last slot signed and what was signed at its height. The machine is rebuilt with it.
    private func recover() async throws(NodeError) -> [ConsensusMessage] {
        let record: SafetyRecord?
        do {
            record = try await node.store.loadSafetyState()
        } catch {
            throw NodeError(store: error)
        }
        guard let record else { return [] }
        var messages = [ConsensusMessage]()
        if let decoded = try? SignedMessages(canonicalBytes: record.message) { messages = decoded.messages }
        machine = Tendermint(
            identity: identity, key: key, chainID: chainID, timeouts: settings.timeouts, lastSigned: record.slot)
        logger.info(
            "safety state recovered",
            metadata: ["consensus.last_signed": "\(record.slot)", "consensus.signed_messages": "\(messages.count)"])
        return messages
    }

    private func process(_ event: Event) async {
        switch event {
        case .peer(let member, let payload):
            defer { gate.withLock { $0.quota.release(payload.count, from: member) } }
            guard let message = try? ValidatorMessage(canonicalBytes: payload, limit: ValidatorMessage.maxBytes) else {
                node.metrics.droppedPeerMessage(reason: "malformed")
                return
            }
            await receive(message, from: member, bytes: payload.count)
        case .timeout(let kind, let height, let round):
            guard height == machine.height else { return }
            await perform(machine.handle(.timeout(kind, height: height, round: round)))
        case .startHeight(let height):
            guard height > machine.height || machine.validators == nil else { return }
            if settings.emptyBlockInterval != nil, await node.mempoolCount == 0 {
                idle = (height, lastProgress)
                return
            }
            await startHeight(height, recovered: [])
        case .tick:
            gate.withLock { $0.tickQueued = false }
            await tick()
        }
        if machine.round != lastReportedRound {
            lastReportedRound = machine.round
            node.metrics.consensus(round: machine.round)
        }
    }

    /// Tells the node where consensus stands when that changed (for `/v1/status` and `/healthz`); from the tick, not
    /// after every message, so a burst of votes costs no status reads. Entering an unhealthy mode is counted.
    private func reportStatus() async {
        let current = await status()
        if current.mode != countedMode {
            countedMode = current.mode
            if current.mode.unhealthy != nil {
                node.metrics.degraded(reason: current.mode.rawValue)
                logger.warning("consensus degraded", metadata: ["consensus.mode": "\(current.mode.rawValue)"])
            }
        }
        let info = ConsensusInfo(
            mode: current.mode.rawValue, height: current.height, round: current.round, step: "\(current.step)",
            bestPeerHeight: current.bestPeerHeight, peers: await link.connected().sorted(),
            unhealthy: current.mode.unhealthy)
        guard info != reported else { return }
        reported = info
        await node.report(consensus: info)
    }

    // MARK: Heights

    func startHeight(_ height: UInt64, recovered: [ConsensusMessage]) async {
        idle = nil
        for timer in timers { timer.cancel() }
        timers = []
        blocks.start(height: height)
        executedRounds = [:]
        let mine = recovered.filter { $0.height == height }
        signed = mine
        let validators = await node.validators(at: height)
        useConsensusKey(of: validators, at: height)
        let next = await node.validators(at: height + 1)
        await link.allow([validators, next])
        heads.keep(only: Set(validators.validators.map(\.member) + next.validators.map(\.member)))
        await perform(machine.start(height: height, validators: validators, recovered: mine))
        // What this validator signed before a restart goes out again, exactly as signed.
        await rebroadcast()
        let buffered = nextHeight
        nextHeight = []
        bufferedBy = [:]
        seen = []
        lastActivity = .now
        for (member, message, bytes) in buffered { await receive(message, from: member, bytes: bytes) }
    }

    private func perform(_ actions: [ConsensusAction]) async {
        for action in actions {
            switch action {
            case .persist:
                // The broadcast that follows carries the message; it is stored there, before it is sent.
                continue
            case .broadcastProposal(let proposal):
                guard await persist(.proposal(proposal)) else { continue }
                await broadcast(.proposal(proposal, blocks[proposal.blockID]))
            case .broadcastVote(let vote):
                guard await persist(.vote(vote)) else { continue }
                await broadcast(.vote(vote))
            case .scheduleTimeout(let kind, let height, let round, let after):
                schedule(.timeout(kind, height: height, round: round), after: after)
            case .requestProposalValue(let height, let round):
                let block = await node.proposal(
                    now: clock.now(), maxTransactions: settings.maxTransactions, maxBytes: settings.maxBytes,
                    builder: BlockBuilder(time: settings.time))
                // Its own block: held without counting against a share (it proposes once per round it leads).
                _ = blocks.insert(block, bytes: 0, proposer: identity, pinned: [])
                blocks.judge(block.id, .valid)
                await perform(machine.handle(.proposalValue(block.id, height: height, round: round)))
            case .commit(let decision):
                await commit(decision)
            case .evidence(let misbehavior):
                await report(misbehavior)
            }
        }
    }

    func schedule(_ event: Event, after: Duration) {
        let continuation = self.continuation
        timers.append(
            Task {
                try? await Task.sleep(for: after)
                if !Task.isCancelled { continuation.yield(event) }
            })
    }

    /// Reports a validator's equivocation as an evidence transaction, signed by this validator's member key.
    private func report(_ misbehavior: Misbehavior) async {
        node.metrics.evidence()
        logger.warning(
            "equivocation detected",
            metadata: [
                "consensus.offender": "\(misbehavior.offender.hex)", "consensus.slot": "\(misbehavior.slot)",
            ])
        let nonce = await node.nextNonce(for: identity)
        let transaction = Transaction.signed(
            chainID: chainID, signer: identity, nonce: nonce,
            body: .reportEvidence(ReportEvidence(misbehavior: misbehavior)),
            key: key)
        do {
            _ = try await node.submit(transaction.canonicalBytes)
        } catch {
            logger.warning("evidence transaction refused", metadata: ["node.error": "\(error)"])
        }
    }

    // MARK: Peer messages

    private func receive(_ message: ValidatorMessage, from member: MemberID, bytes: Int) async {
        // A peer that started the height this validator is holding back had a transaction to order.
        if let idle, message.consensusHeight == idle.height { await startHeight(idle.height, recovered: []) }
        switch message {
        case .proposal(let proposal, let block):
            guard await admit(height: proposal.height, message, from: member, bytes: bytes) else { return }
            await receive(proposal, block: block, bytes: bytes)
        case .vote(let vote):
            guard await admit(height: vote.height, message, from: member, bytes: bytes) else { return }
            await receive(vote)
        case .transactions(let transactions):
            guard gossipQuotas[member, default: Self.forwardedQuota].take(transactions.count, at: now) else {
                node.metrics.droppedPeerMessage(reason: "gossip_quota")
                return
            }
            node.metrics.peerMessage("transactions")
            if case .dropped = forwardedInput.yield(transactions) {
                node.metrics.droppedPeerMessage(reason: "admission_backlog")
            }
        case .status(let height, _):
            heads.claim(height, by: member)
            await requestSync(force: false)
        case .syncRequest(let from, let limit):
            guard syncQuotas[member, default: Self.syncQuota].take(at: now) else {
                node.metrics.droppedPeerMessage(reason: "sync_quota")
                return
            }
            await serveSync(from: from, limit: limit, to: member)
        case .syncBlocks(let certified):
            await applySync(certified, from: member)
        }
    }

    static var forwardedQuota: TokenBucket { TokenBucket(burst: forwardedBurst, perSecond: forwardedPerSecond) }
    static var syncQuota: TokenBucket { TokenBucket(burst: syncRequestBurst, perSecond: syncRequestsPerSecond) }

    /// Whether a consensus message is for the current height; the next height's are kept for later. A message for
    /// the current height once it is decided (a late vote, while the commit interval runs) is stale like an older
    /// height's: the machine would ignore it, so it is dropped and counted.
    private func admit(height: UInt64, _ message: ValidatorMessage, from member: MemberID, bytes: Int) async -> Bool {
        if height == machine.height && machine.decision == nil { return true }
        if height == machine.height + 1 {
            // Each validator gets an equal share of the buffer, so one cannot crowd out the others' messages.
            let share = Self.maxBufferedMessages / max(machine.validators?.count ?? 1, 1)
            if nextHeight.count < Self.maxBufferedMessages && (bufferedBy[member] ?? 0) < share {
                nextHeight.append((member, message, bytes))
                bufferedBy[member, default: 0] += 1
            } else {
                node.metrics.droppedPeerMessage(reason: "buffer_full")
            }
            return false
        }
        node.metrics.droppedPeerMessage(reason: height > machine.height ? "future_height" : "stale_height")
        return false
    }

    private func receive(_ proposal: Proposal, block: ProposedBlock?, bytes: Int) async {
        guard !seen.contains(.proposal(proposal)) else { return }
        guard let validators = machine.validators, let proposer = validators.validator(proposal.proposer) else {
            node.metrics.droppedPeerMessage(reason: "not_validator")
            return
        }
        guard
            Tendermint.proposer(height: proposal.height, round: proposal.round, validators: validators)
                == proposer.member
        else {
            node.metrics.droppedPeerMessage(reason: "not_proposer")
            return
        }
        guard proposal.hasValidSignature(key: proposer.publicKey, chainID: chainID) else {
            node.metrics.droppedPeerMessage(reason: "bad_signature")
            return
        }
        if let block, block.id != proposal.blockID {
            node.metrics.droppedPeerMessage(reason: "block_mismatch")
            return
        }
        let valid: Bool
        if let verdict = blocks.verdict(proposal.blockID) {
            // Judged before at this height (a re-proposal, or this node's own block): never executed again.
            valid = verdict == .valid
        } else if block != nil, bytes > ValidatorMessage.maxProposalBytes {
            // Over the block limit: a quorum deciding it would leave a block sync cannot serve. Refused unread.
            valid = refuse(proposal, .tooLarge)
        } else if let candidate = block ?? blocks[proposal.blockID] {
            guard let checked = await check(candidate, proposal: proposal, bytes: bytes) else { return }
            valid = checked
        } else {
            node.metrics.droppedPeerMessage(reason: "unknown_block")
            return
        }
        node.metrics.peerMessage("proposal")
        remember(.proposal(proposal))
        await perform(machine.handle(.proposal(proposal, valid: valid)))
    }

    /// Executes a proposed block once and records the verdict; nil when the proposal is not to be handed in (the
    /// block cannot be held, or its round is outside what the machine keeps).
    private func check(_ candidate: ProposedBlock, proposal: Proposal, bytes: Int) async -> Bool? {
        let executions = executedRounds[proposal.round] ?? 0
        let ahead = proposal.round > machine.round && proposal.round - machine.round > machine.roundsAhead
        guard executions < Self.maxExecutionsPerRound, !ahead else {
            // The machine would not keep it (a third block in one round, or a far-ahead round): not executed.
            node.metrics.droppedPeerMessage(reason: "unexecuted_proposal")
            return ahead ? false : nil
        }
        let pinned = Set([machine.lockedValue, machine.validValue].compactMap { $0 })
        guard blocks.insert(candidate, bytes: bytes, proposer: proposal.proposer, pinned: pinned) else {
            node.metrics.droppedPeerMessage(reason: "block_quota")
            return nil
        }
        executedRounds[proposal.round] = executions + 1
        let rejection = await node.validate(candidate, now: clock.now(), builder: BlockBuilder(time: settings.time))
        guard let rejection else {
            blocks.judge(candidate.id, .valid)
            return true
        }
        return refuse(proposal, rejection)
    }

    /// Records a block's rejection (unless it depends on this node's clock, which may judge it again) and says
    /// the proposal is invalid.
    private func refuse(_ proposal: Proposal, _ rejection: BlockRejection) -> Bool {
        if rejection != .timeTooFarAhead { blocks.judge(proposal.blockID, .invalid(rejection)) }
        node.metrics.rejectedBlock(code: rejection.code)
        logger.warning(
            "proposed block refused",
            metadata: [
                "ledger.height": "\(proposal.height)", "consensus.round": "\(proposal.round)",
                "block.error": "\(rejection.code)",
            ])
        return false
    }

    private func receive(_ vote: Vote) async {
        guard !seen.contains(.vote(vote)) else { return }
        guard let validators = machine.validators, let validator = validators.validator(vote.validator) else {
            node.metrics.droppedPeerMessage(reason: "not_validator")
            return
        }
        guard vote.hasValidSignature(key: validator.publicKey, chainID: chainID) else {
            node.metrics.droppedPeerMessage(reason: "bad_signature")
            return
        }
        // Counted, and still handed in: Tendermint's "2f+1 votes for anything" rules need every signed vote, and a
        // vote for a block this node has not seen is legitimate when the proposal reached others first.
        if let blockID = vote.blockID, blocks[blockID] == nil {
            node.metrics.droppedPeerMessage(reason: "unknown_block")
        }
        node.metrics.peerMessage("vote")
        remember(.vote(vote))
        await perform(machine.handle(.vote(vote)))
    }

    private func remember(_ message: ConsensusMessage) {
        if seen.count < Self.maxSeenMessages { seen.insert(message) }
    }

    func broadcast(_ message: ValidatorMessage) async {
        await link.broadcast(message.canonicalBytes)
    }

    // MARK: Periodic work

    /// Sends again everything this validator signed at the current height, exactly as signed. Tendermint assumes
    /// every message between correct validators is eventually delivered; a message lost to a peer's crash or a
    /// dropped connection would otherwise be lost for good, and a bare quorum could wait on it forever. Nothing
    /// goes out while signed messages wait for the store.
    func rebroadcast() async {
        lastActivity = .now
        guard storeFailure == nil else { return }
        for message in signed where message.height == machine.height {
            switch message {
            case .proposal(let proposal): await broadcast(.proposal(proposal, blocks[proposal.blockID]))
            case .vote(let vote): await broadcast(.vote(vote))
            }
        }
    }

    private func tick() async {
        await reportStatus()
        await retryStore()
        if let idle, let wait = settings.emptyBlockInterval,
            await node.mempoolCount > 0 || ContinuousClock.now - idle.since >= wait
        {
            await startHeight(idle.height, recovered: [])
        }
        if machine.round != activityRound {
            activityRound = machine.round
            lastActivity = .now
        }
        if machine.decision == nil, ContinuousClock.now - lastActivity >= settings.rebroadcastInterval {
            await rebroadcast()
        }
        let gossip = await node.takeGossip()
        var start = 0
        while start < gossip.count {
            let end = min(start + ValidatorMessage.maxGossipTransactions, gossip.count)
            await broadcast(.transactions(Array(gossip[start..<end])))
            start = end
        }
        if ContinuousClock.now - lastStatus >= settings.statusInterval {
            await announce()
            // One height behind is normally a commit in flight; for longer than the sync timeout it is a block this
            // validator will not decide itself (it missed the proposal), so it fetches it.
            let stalled = ContinuousClock.now - lastProgress > settings.syncTimeout
            await requestSync(force: stalled)
        }
    }

    func announce() async {
        lastStatus = .now
        let head = await node.head
        await broadcast(.status(height: head.height, blockID: head.blockID))
    }
}

/// What a validator signed at one height, stored beside its last signed slot (`SafetyRecord.message`).
struct SignedMessages: CanonicalCodable {
    var messages: [ConsensusMessage]

    init(messages: [ConsensusMessage]) {
        self.messages = messages
    }

    func encode(to encoder: inout CanonicalEncoder) { encoder.list(messages) }

    init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        messages = try decoder.list(max: 4_096)
    }
}
