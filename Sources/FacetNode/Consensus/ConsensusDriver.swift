import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging

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

    public init(
        timeouts: TimeoutParameters = .standard, time: BlockTimeBounds = BlockTimeBounds(maxDriftMillis: 5_000),
        maxTransactions: Int = 1_000, maxBytes: Int = 4 << 20, commitInterval: Duration = .seconds(1),
        statusInterval: Duration = .seconds(1), gossipInterval: Duration = .milliseconds(10),
        syncTimeout: Duration = .seconds(5), rebroadcastInterval: Duration? = nil, emptyBlockInterval: Duration? = nil
    ) {
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
        /// Stopped signing because its safety state could not be stored.
        case halted
    }

    public var mode: Mode
    public var height: UInt64
    public var round: UInt32
    public var step: ConsensusStep
    /// The highest height a peer announced.
    public var bestPeerHeight: UInt64
}

/// One validator's consensus: a `Tendermint` machine, driven by one serial loop of events (peer messages, timeouts,
/// the start of each height and a periodic tick), with the node's ledger, its store and the peer link.
///
/// - Every signature in a peer message is verified once here, before the machine sees it; a message that fails a
///   check is dropped and counted (`facet_peer_messages_dropped_total{reason}`), never fatal.
/// - Before broadcasting anything it signed, it stores the message in its safety state; a restarted validator
///   resumes from it and never signs a conflicting message.
/// - A validator that is behind (restarted, partitioned, new) learns it from its peers' status and fetches
///   committed blocks with their certificates (block sync), then votes at the next height.
public actor ConsensusDriver {
    enum Event: Sendable {
        case peer(MemberID, [UInt8])
        case timeout(TimeoutKind, height: UInt64, round: UInt32)
        case startHeight(UInt64)
        case tick
    }

    let node: LedgerNode
    let link: any PeerLink
    let identity: MemberID
    let key: SigningKey
    let chainID: Label
    let settings: ConsensusSettings
    let clock: any NodeClock
    let logger: Logger
    private var machine: Tendermint
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private var timers: [Task<Void, Never>] = []
    private var ticker: Task<Void, Never>?
    /// Forwarded transactions wait here for `admitter`, which verifies their signatures on every core and queues
    /// them in arrival order, so votes and proposals never wait behind signature checks. Bounded: past
    /// `maxForwardedBatches` a batch is dropped (its transactions still reach this node in the proposal).
    private let forwarded: AsyncStream<[Transaction]>
    private let forwardedInput: AsyncStream<[Transaction]>.Continuation
    private var admitter: Task<Void, Never>?
    static let maxForwardedBatches = 256
    /// Blocks proposed at the current height, by id: to check proposals and re-send with re-proposals.
    private var blocks: [Hash256: ProposedBlock] = [:]
    /// Messages of the next height, replayed when it starts (bounded).
    private var nextHeight: [(MemberID, ValidatorMessage)] = []
    private var bufferedBy: [MemberID: Int] = [:]
    /// Messages of this height whose signature was verified and that were handed to the machine: a copy (a
    /// re-broadcast, a duplicate) is neither verified nor handed in again. Bounded; past the bound, copies are
    /// verified again, which costs time but never correctness.
    private var seen: Set<ConsensusMessage> = []
    static let maxSeenMessages = 4_096
    /// When this height last moved: its start, a new round, or a re-broadcast.
    private var lastActivity = ContinuousClock.now
    private var activityRound: UInt32 = 0
    /// What this validator signed at the current height, as stored in its safety state.
    private var signed: [ConsensusMessage] = []
    private var peerHeights: [MemberID: UInt64] = [:]
    private var syncRequest: (peer: MemberID, from: UInt64, sent: ContinuousClock.Instant)?
    private var lastStatus = ContinuousClock.now
    /// When the head last moved (a commit, or a synced block).
    private var lastProgress = ContinuousClock.now
    private var halted = false
    private var lastReportedRound: UInt32 = 0
    /// The height that waits for a transaction before it starts (`emptyBlockInterval`), and since when.
    private var idle: (height: UInt64, since: ContinuousClock.Instant)?
    private var reported: ConsensusInfo?

    static let maxBufferedMessages = 1_024
    static let syncBatch: UInt32 = 32
    static let maxSyncBytes = 8 << 20

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
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        (forwarded, forwardedInput) = AsyncStream.makeStream(
            of: [Transaction].self, bufferingPolicy: .bufferingOldest(Self.maxForwardedBatches))
    }

    /// Hands a peer's frame to the loop (from the transport's inbound stream).
    public nonisolated func deliver(from member: MemberID, payload: [UInt8]) {
        continuation.yield(.peer(member, payload))
    }

    /// Ends the loop after the event in progress (a commit in flight completes).
    public nonisolated func stop() { continuation.finish() }

    public func status() async -> ConsensusStatus {
        let head = await node.head.height
        let best = peerHeights.values.max() ?? 0
        let mode: ConsensusStatus.Mode = halted ? .halted : (best > head + 1 ? .syncing : .voting)
        return ConsensusStatus(
            mode: mode, height: machine.height, round: machine.round, step: machine.step, bestPeerHeight: best)
    }

    /// Runs until `stop()` or cancellation: recovers the safety state, starts the next height, then serves events.
    public func run() async throws(NodeError) {
        await node.enableGossip()
        let recovered = try await recover()
        let head = await node.head
        let interval = settings.gossipInterval
        ticker = Task { [continuation] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(.tick)
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
        guard !halted else { return }
        switch event {
        case .peer(let member, let payload):
            guard let message = try? ValidatorMessage(canonicalBytes: payload, limit: ValidatorMessage.maxBytes) else {
                node.metrics.droppedPeerMessage(reason: "malformed")
                return
            }
            await receive(message, from: member)
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
            await tick()
        }
        if machine.round != lastReportedRound {
            lastReportedRound = machine.round
            node.metrics.consensus(round: machine.round)
        }
    }

    /// Tells the node where consensus stands when that changed (for `/v1/status`); from the tick, not after every
    /// message, so a burst of votes costs no status reads.
    private func reportStatus() async {
        let current = await status()
        let info = ConsensusInfo(
            mode: current.mode.rawValue, height: current.height, round: current.round, step: "\(current.step)",
            bestPeerHeight: current.bestPeerHeight, peers: await link.connected().sorted())
        guard info != reported else { return }
        reported = info
        await node.report(consensus: info)
    }

    // MARK: Heights

    private func startHeight(_ height: UInt64, recovered: [ConsensusMessage]) async {
        idle = nil
        for timer in timers { timer.cancel() }
        timers = []
        blocks = blocks.filter { $0.value.height == height }
        let mine = recovered.filter { $0.height == height }
        signed = mine
        let validators = await node.validators(at: height)
        await link.allow([validators, await node.validators(at: height + 1)])
        await perform(machine.start(height: height, validators: validators, recovered: mine))
        // What this validator signed before a restart goes out again, exactly as signed.
        await rebroadcast()
        let buffered = nextHeight
        nextHeight = []
        bufferedBy = [:]
        seen = []
        lastActivity = .now
        for (member, message) in buffered { await receive(message, from: member) }
    }

    private func perform(_ actions: [ConsensusAction]) async {
        for action in actions {
            guard !halted else { return }
            switch action {
            case .persist:
                // The broadcast that follows carries the message; it is stored there, before it is sent.
                continue
            case .broadcastProposal(let proposal):
                guard await persist(.proposal(proposal)) else { return }
                await broadcast(.proposal(proposal, blocks[proposal.blockID]))
            case .broadcastVote(let vote):
                guard await persist(.vote(vote)) else { return }
                await broadcast(.vote(vote))
            case .scheduleTimeout(let kind, let height, let round, let after):
                let continuation = self.continuation
                timers.append(
                    Task {
                        try? await Task.sleep(for: after)
                        if !Task.isCancelled { continuation.yield(.timeout(kind, height: height, round: round)) }
                    })
            case .requestProposalValue(let height, let round):
                let block = await node.proposal(
                    now: clock.now(), maxTransactions: settings.maxTransactions, maxBytes: settings.maxBytes,
                    builder: BlockBuilder(time: settings.time))
                blocks[block.id] = block
                await perform(machine.handle(.proposalValue(block.id, height: height, round: round)))
            case .commit(let decision):
                await commit(decision)
            case .evidence(let misbehavior):
                await report(misbehavior)
            }
        }
    }

    /// Stores what this validator signed at this height, durably, before it leaves the process. If the store
    /// refuses, the validator stops signing (it may not send what it could not record).
    private func persist(_ message: ConsensusMessage) async -> Bool {
        signed.append(message)
        let record = SafetyRecord(slot: message.slot, message: SignedMessages(messages: signed).canonicalBytes)
        do {
            try await node.store.saveSafetyState(record)
            return true
        } catch {
            halted = true
            logger.critical(
                "cannot store the safety state; this validator stops signing",
                metadata: ["consensus.slot": "\(message.slot)", "store.error": "\(error)"])
            return false
        }
    }

    private func commit(_ decision: Decision) async {
        let certificate = decision.certificate
        do {
            let header = try await node.commitDecided(certificate)
            lastProgress = .now
            logger.info(
                "block committed",
                metadata: [
                    "ledger.height": "\(header.height)", "consensus.round": "\(decision.round)",
                    "block.transactions": "\(header.transactionCount)",
                    "block.proposer": "\(header.proposer.hex.prefix(8))",
                ])
            await announce()
            let next = header.height + 1
            let continuation = self.continuation
            let interval = settings.commitInterval
            timers.append(
                Task {
                    try? await Task.sleep(for: interval)
                    continuation.yield(.startHeight(next))
                })
        } catch {
            // The quorum decided, so the block is final; this node gets it from a peer by block sync.
            logger.error(
                "committing the decided block failed; it will be fetched by block sync",
                metadata: ["ledger.height": "\(decision.height)", "node.error": "\(error)"])
            await requestSync(force: true)
        }
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

    private func receive(_ message: ValidatorMessage, from member: MemberID) async {
        // A peer that started the height this validator is holding back had a transaction to order.
        if let idle, message.consensusHeight == idle.height { await startHeight(idle.height, recovered: []) }
        switch message {
        case .proposal(let proposal, let block):
            guard await admit(height: proposal.height, message, from: member) else { return }
            await receive(proposal, block: block)
        case .vote(let vote):
            guard await admit(height: vote.height, message, from: member) else { return }
            await receive(vote)
        case .transactions(let transactions):
            node.metrics.peerMessage("transactions")
            if case .dropped = forwardedInput.yield(transactions) {
                node.metrics.droppedPeerMessage(reason: "admission_backlog")
            }
        case .status(let height, _):
            peerHeights[member] = height
            await requestSync(force: false)
        case .syncRequest(let from, let limit):
            await serveSync(from: from, limit: limit, to: member)
        case .syncBlocks(let certified):
            await applySync(certified, from: member)
        }
    }

    /// Whether a consensus message is for the current height; the next height's are kept for later. A message for
    /// the current height once it is decided (a late vote, while the commit interval runs) is stale like an older
    /// height's: the machine would ignore it, so it is dropped and counted.
    private func admit(height: UInt64, _ message: ValidatorMessage, from member: MemberID) async -> Bool {
        if height == machine.height && machine.decision == nil { return true }
        if height == machine.height + 1 {
            // Each validator gets an equal share of the buffer, so one cannot crowd out the others' messages.
            let share = Self.maxBufferedMessages / max(machine.validators?.count ?? 1, 1)
            if nextHeight.count < Self.maxBufferedMessages && (bufferedBy[member] ?? 0) < share {
                nextHeight.append((member, message))
                bufferedBy[member, default: 0] += 1
            } else {
                node.metrics.droppedPeerMessage(reason: "buffer_full")
            }
            return false
        }
        node.metrics.droppedPeerMessage(reason: height > machine.height ? "future_height" : "stale_height")
        return false
    }

    private func receive(_ proposal: Proposal, block: ProposedBlock?) async {
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
        guard let candidate = block ?? blocks[proposal.blockID] else {
            node.metrics.droppedPeerMessage(reason: "unknown_block")
            return
        }
        guard candidate.id == proposal.blockID else {
            node.metrics.droppedPeerMessage(reason: "block_mismatch")
            return
        }
        blocks[candidate.id] = candidate
        let rejection = await node.validate(candidate, now: clock.now(), builder: BlockBuilder(time: settings.time))
        if let rejection {
            node.metrics.rejectedBlock(code: rejection.code)
            logger.warning(
                "proposed block refused",
                metadata: ["ledger.height": "\(proposal.height)", "block.error": "\(rejection.code)"])
        }
        node.metrics.peerMessage("proposal")
        remember(.proposal(proposal))
        await perform(machine.handle(.proposal(proposal, valid: rejection == nil)))
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

    private func broadcast(_ message: ValidatorMessage) async {
        await link.broadcast(message.canonicalBytes)
    }

    // MARK: Periodic work

    /// Sends again everything this validator signed at the current height, exactly as signed. Tendermint assumes
    /// every message between correct validators is eventually delivered; a message lost to a peer's crash or a
    /// dropped connection would otherwise be lost for good, and a bare quorum could wait on it forever.
    private func rebroadcast() async {
        lastActivity = .now
        for message in signed where message.height == machine.height {
            switch message {
            case .proposal(let proposal): await broadcast(.proposal(proposal, blocks[proposal.blockID]))
            case .vote(let vote): await broadcast(.vote(vote))
            }
        }
    }

    private func tick() async {
        await reportStatus()
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

    private func announce() async {
        lastStatus = .now
        let head = await node.head
        await broadcast(.status(height: head.height, blockID: head.blockID))
    }

    // MARK: Block sync

    /// Asks the most advanced peer for the blocks after this node's head, when a peer is ahead by two heights or
    /// more (one height ahead is the normal lag of a commit in flight), or when `force`d.
    private func requestSync(force: Bool) async {
        let head = await node.head.height
        guard let (peer, best) = peerHeights.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), best > head else {
            return
        }
        guard force || best > head + 1 else { return }
        if let pending = syncRequest, pending.from == head + 1,
            ContinuousClock.now - pending.sent < settings.syncTimeout
        {
            return
        }
        syncRequest = (peer, head + 1, .now)
        logger.info(
            "syncing",
            metadata: ["ledger.height": "\(head)", "sync.target": "\(best)", "sync.peer": "\(peer.hex.prefix(8))"])
        await link.send(ValidatorMessage.syncRequest(from: head + 1, limit: Self.syncBatch).canonicalBytes, to: peer)
    }

    private func serveSync(from height: UInt64, limit: UInt32, to member: MemberID) async {
        guard let found = try? await node.certifiedBlocks(from: height, limit: Int(min(limit, Self.syncBatch))) else {
            return
        }
        var answer = [CertifiedBlock]()
        var bytes = 0
        for block in found {
            let size = block.canonicalBytes.count
            if !answer.isEmpty && bytes + size > Self.maxSyncBytes { break }
            answer.append(block)
            bytes += size
        }
        await link.send(ValidatorMessage.syncBlocks(answer).canonicalBytes, to: member)
    }

    private func applySync(_ certified: [CertifiedBlock], from member: MemberID) async {
        syncRequest = nil
        // A peer that announced a height it then cannot serve is not asked again until it announces anew.
        if certified.isEmpty { peerHeights[member] = nil }
        var applied = 0
        for entry in certified {
            let head = await node.head.height
            guard entry.block.height == head + 1 else { continue }
            do {
                _ = try await node.applyCertified(entry.block, certificate: entry.certificate)
                lastProgress = .now
                applied += 1
                node.metrics.synced(target: peerHeights.values.max() ?? 0)
            } catch {
                node.metrics.droppedPeerMessage(reason: "bad_sync_block")
                logger.warning(
                    "synced block refused",
                    metadata: ["ledger.height": "\(entry.block.height)", "node.error": "\(error)"])
                peerHeights[member] = nil
                break
            }
        }
        guard applied > 0 else { return }
        let head = await node.head.height
        logger.info(
            "synced blocks",
            metadata: [
                "ledger.height": "\(head)", "sync.target": "\(peerHeights.values.max() ?? head)",
                "sync.blocks": "\(applied)",
            ])
        if machine.height <= head {
            await startHeight(head + 1, recovered: signed.filter { $0.height == head + 1 })
        }
        await requestSync(force: false)
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
