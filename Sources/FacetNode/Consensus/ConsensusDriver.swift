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

/// One validator's consensus on a node: a thin loop that hands a `ValidatorMachine` its events (peer frames from
/// one bounded inbox, timers, a periodic tick) with the time, and carries out the actions it returns with the node's
/// ledger, its store and the peer link. Every decision is the machine's; the simulation drives the same machine.
///
/// - The inbox is bounded at its door: a peer's frames wait only up to its share (`InboxQuota`), ticks coalesce,
///   and timers are the machine's own (a few per round).
/// - Timers, the tick and the admission of forwarded transactions are child tasks of `run`, ended with it; the
///   tick and the timers sleep on the injected `ConsensusClock`, which also gives the machine its time.
/// - A store call that refuses or hangs past `storeTimeout` counts as failed (`withStoreTimeout`): the machine then
///   signs nothing it could not store and retries with backoff.
public actor ConsensusDriver {
    enum Input: Sendable {
        case peer(MemberID, [UInt8])
        case timer(ValidatorTimer)
        case tick
    }

    /// What waits in the inbox, as counted at the door: per-peer messages and bytes, and whether a tick is already
    /// queued (ticks coalesce: a slow event never lets them pile up).
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
    var machine: ValidatorMachine
    /// Unbounded as a stream, bounded at its door: peer messages by `gate`'s per-peer quota, ticks by coalescing,
    /// timers by what the machine schedules.
    private let inputs: AsyncStream<Input>
    private let continuation: AsyncStream<Input>.Continuation
    private let gate: Mutex<Gate>
    /// The timers the machine asked for, to the child task that sleeps them.
    private let timers: AsyncStream<(ValidatorTimer, Duration)>
    let timerInput: AsyncStream<(ValidatorTimer, Duration)>.Continuation
    /// Forwarded transactions wait here for the admitting child task, which verifies their signatures on every core
    /// and queues them in arrival order, so votes and proposals never wait behind signature checks. Bounded: past
    /// `maxForwardedBatches` a batch is dropped (its transactions still reach this node in the proposal).
    private let forwarded: AsyncStream<[Transaction]>
    let forwardedInput: AsyncStream<[Transaction]>.Continuation
    /// The machine's monotonic time, and what the tick and the timers sleep on.
    let monotonic: any ConsensusClock
    /// The mode last counted in `facet_consensus_degraded_total`.
    private var countedMode: ConsensusStatus.Mode = .voting
    private var reported: ConsensusInfo?
    /// The snapshots this validator serves to joining nodes (state sync).
    var shelf: SnapshotShelf

    static let maxForwardedBatches = 256
    /// A peer's share of the inbox: enough for a round's worth of messages from every height it may be at, and
    /// for two maximal frames.
    static let inboxMessagesPerPeer = 1_024
    static let inboxBytesPerPeer = 2 * ValidatorMessage.maxBytes + (1 << 20)

    public init(
        node: LedgerNode, link: any PeerLink, key: SigningKey, settings: ConsensusSettings, clock: any NodeClock,
        monotonic: any ConsensusClock = SystemConsensusClock(), logger: Logger
    ) {
        self.node = node
        self.link = link
        self.key = key
        self.identity = MemberID(initialKey: key.publicKey)
        self.chainID = node.genesis.params.chainID
        self.settings = settings
        self.clock = clock
        self.monotonic = monotonic
        var logger = logger
        logger[metadataKey: "node.part"] = "consensus"
        self.logger = logger
        machine = ValidatorMachine(key: key, chainID: node.genesis.params.chainID, settings: settings.validator)
        shelf = SnapshotShelf(kept: settings.snapshotsKept)
        gate = Mutex(Gate(quota: InboxQuota(maxMessages: Self.inboxMessagesPerPeer, maxBytes: Self.inboxBytesPerPeer)))
        (inputs, continuation) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
        (timers, timerInput) = AsyncStream.makeStream(of: (ValidatorTimer, Duration).self, bufferingPolicy: .unbounded)
        (forwarded, forwardedInput) = AsyncStream.makeStream(
            of: [Transaction].self, bufferingPolicy: .bufferingOldest(Self.maxForwardedBatches))
    }

    /// The machine's "now".
    var now: Duration { monotonic.elapsed }

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

    public func status() -> ConsensusStatus { machine.status(at: now) }

    /// Runs until `stop()` or cancellation: recovers the safety state, starts the machine, then serves the inbox.
    public func run() async throws(NodeError) {
        await node.enableGossip()
        let (lastSigned, recovered) = try await recover()
        let head = await ledgerHead()
        logger.info(
            "consensus starting",
            metadata: [
                "ledger.height": "\(head.height)",
                "consensus.last_signed": "\(lastSigned.map(\.description) ?? "none")",
            ])
        await withDiscardingTaskGroup { group in
            let (interval, monotonic) = (settings.gossipInterval, monotonic)
            group.addTask {
                while !Task.isCancelled {
                    try? await monotonic.sleep(for: interval)
                    self.queueTick()
                }
            }
            group.addTask { [node, forwarded] in
                for await transactions in forwarded {
                    _ = await node.submit(transactions, bytes: transactions.map(\.canonicalBytes), forward: false)
                }
            }
            group.addTask { [timers, continuation] in
                await withDiscardingTaskGroup { sleepers in
                    for await (timer, after) in timers {
                        sleepers.addTask {
                            try? await monotonic.sleep(for: after)
                            if !Task.isCancelled { continuation.yield(.timer(timer)) }
                        }
                    }
                }
            }
            await handle(.start(head, lastSigned: lastSigned, signed: recovered))
            for await input in inputs {
                if Task.isCancelled { break }
                await process(input)
            }
            timerInput.finish()
            forwardedInput.finish()
            group.cancelAll()
        }
        logger.info("consensus stopped", metadata: ["consensus.height": "\(machine.tendermint.height)"])
    }

    /// The safety state: the last slot signed and what was signed at its height.
    private func recover() async throws(NodeError) -> (ConsensusSlot?, [ConsensusMessage]) {
        let record: SafetyRecord?
        do {
            record = try await node.store.loadSafetyState()
        } catch {
            throw NodeError(store: error)
        }
        guard let record else { return (nil, []) }
        var messages = [ConsensusMessage]()
        if let decoded = try? SignedMessages(canonicalBytes: record.message) { messages = decoded.messages }
        logger.info(
            "safety state recovered",
            metadata: ["consensus.last_signed": "\(record.slot)", "consensus.signed_messages": "\(messages.count)"])
        return (record.slot, messages)
    }

    private func process(_ input: Input) async {
        switch input {
        case .peer(let member, let payload):
            defer { gate.withLock { $0.quota.release(payload.count, from: member) } }
            guard let message = try? ValidatorMessage(canonicalBytes: payload, limit: ValidatorMessage.maxBytes) else {
                node.metrics.droppedPeerMessage(reason: "malformed")
                return
            }
            await handle(.peer(member, message, bytes: payload.count))
        case .timer(let timer):
            await handle(.timer(timer))
        case .tick:
            gate.withLock { $0.tickQueued = false }
            let count = await node.mempoolCount
            let gossip = await node.takeGossip()
            await handle(.tick(TickInput(mempoolCount: count, gossip: gossip)))
            await reportStatus()
        }
    }

    /// Hands an event to the machine and carries out its actions, handing each answer back before anything else.
    func handle(_ event: ValidatorEvent) async {
        var actions = machine.handle(event, at: now)
        while true {
            var answer: ValidatorEvent?
            for action in actions {
                if let result = await perform(action) { answer = result }
            }
            guard let answer else { return }
            actions = machine.handle(answer, at: now)
        }
    }

    /// The ledger's head with the validator sets of the next two heights.
    func ledgerHead() async -> LedgerHead {
        let head = await node.head
        let validators = await node.validators(at: head.height + 1)
        let next = await node.validators(at: head.height + 2)
        holdConsensusKeys(of: [validators, next])
        return LedgerHead(height: head.height, blockID: head.blockID, validators: validators, nextValidators: next)
    }

    /// Tells the node where consensus stands when that changed (for `/v1/status` and `/healthz`); from the tick, not
    /// after every message, so a burst of votes costs no status reads. Entering an unhealthy mode is counted.
    private func reportStatus() async {
        let current = status()
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
}
