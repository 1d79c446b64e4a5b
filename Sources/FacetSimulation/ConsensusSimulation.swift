import FacetConsensus
import FacetCore
import FacetLedger

/// The outcome of one simulation run: counters, the first violation if any, and a digest of the whole trace.
public struct SimulationReport: Sendable, CustomStringConvertible {
    public var parameters: SimulationParameters
    /// The lowest height among correct validators at the end.
    public var heightsCommitted: UInt64 = 0
    public var messagesSent = 0
    public var messagesDropped = 0
    public var messagesDuplicated = 0
    public var crashes = 0
    public var partitions = 0
    public var blocksSynced = 0
    /// Conflicting message pairs the Byzantine validators sent.
    public var equivocations = 0
    /// Evidence reports by correct validators.
    public var evidence = 0
    /// Store outages on correct validators, and proposals correct validators refused (invalid, oversize).
    public var storeOutages = 0
    public var refusedProposals = 0
    /// The most messages waiting in the simulated network at once, and the largest buffers a machine held.
    public var peakInFlight = 0
    public var peakBuffered = 0
    /// Virtual time from GST to the first new height a correct validator commits.
    public var commitAfterHealMillis: Int64?
    /// In a set-change run: the height from which the new set signs.
    public var setChangeHeight: UInt64?
    public var virtualMillis: Int64 = 0
    public var violation: String?
    /// A digest of every event processed and every commit: equal for equal parameters.
    public var digest: UInt64 = 0

    public var passed: Bool { violation == nil }

    public var description: String {
        let heal = commitAfterHealMillis.map { "\($0)ms" } ?? "-"
        let outcome = violation.map { "VIOLATION: \($0)" } ?? "ok"
        return "\(outcome) heights=\(heightsCommitted) sent=\(messagesSent) dropped=\(messagesDropped)"
            + " duplicated=\(messagesDuplicated) crashes=\(crashes) partitions=\(partitions) synced=\(blocksSynced)"
            + " equivocations=\(equivocations) evidence=\(evidence) storeOutages=\(storeOutages)"
            + " refused=\(refusedProposals) peakInFlight=\(peakInFlight) peakBuffered=\(peakBuffered)"
            + " commitAfterHeal=\(heal)"
            + (setChangeHeight.map { " setChangeAt=\($0)" } ?? "")
            + " virtual=\(virtualMillis)ms digest=\(String(digest, radix: 16)) [reproduce: \(parameters)]"
    }
}

enum SimulationEvent: Sendable {
    case deliver(to: Int, from: Int, ValidatorMessage, bytes: Int)
    case timer(node: Int, incarnation: Int, ValidatorTimer)
    case tick(node: Int)
    case crash(node: Int)
    case restart(node: Int)
    case storeDown(node: Int)
    case storeUp(node: Int)
    case partition([Int])
    case heal
    case gst
}

/// A deterministic simulation of n validators, each running the production `ValidatorMachine` (Tendermint with
/// block sync, buffering, de-duplication, re-broadcast and evidence) over a faulty simulated network, on virtual
/// time and a `SeededRandom`: delays, drops, duplicates and reordering, a partition that heals, crashes with
/// restarts from the persisted safety state, stores that fail and return, and Byzantine validators
/// (`SimulatedAttack`). In the place of a node's ledger and store, each node holds a `WorldState` and its chain, and
/// blocks are real blocks built and executed with `BlockBuilder`. After every step it checks agreement (one block
/// and one state root per height among correct validators), the safety state, the evidence, bounded buffers, and
/// liveness after GST. Nothing here reads a clock or lets a dictionary's order decide anything: the same parameters
/// give the same run, bit for bit.
///
/// For speed, a block is executed once per (block, state) pair across the simulated validators, as every correct
/// validator at a height holds the same state (which the agreement check confirms at each commit).
public struct ConsensusSimulation: Sendable {
    public let parameters: SimulationParameters
    public internal(set) var report: SimulationReport

    static let tickMillis: Int64 = 100
    static let timeouts = TimeoutParameters(
        propose: .milliseconds(400), prevote: .milliseconds(200), precommit: .milliseconds(200),
        increment: .milliseconds(150))
    /// The machine's pace in the simulation: a status every half second, a quick next height, and a re-broadcast
    /// when a height stands still for longer than a round's timeouts.
    static let settings = ValidatorSettings(
        timeouts: timeouts, commitInterval: .milliseconds(20), statusInterval: .milliseconds(500),
        syncTimeout: .seconds(1), rebroadcastInterval: .milliseconds(800), emptyBlockInterval: nil,
        stallAfter: .seconds(10))
    /// A bound on the messages in flight: past it the run fails (a machine that floods the network).
    static let maxInFlight = 200_000

    var rng: SeededRandom
    var queue = EventQueue<SimulationEvent>()
    var now: Int64 = 0
    var nodes: [SimulatedNode] = []
    let builder = BlockBuilder(time: BlockTimeBounds(maxDriftMillis: 10_000))
    let genesis: Genesis
    let chainID: Label
    let pool: [Transaction]
    let gst: Int64
    var healed = false
    var heightAtGST: UInt64 = 0
    var target: UInt64
    var partition: [Int]?
    /// For each Byzantine validator's messages: true sends the original to that peer, false the twin.
    var halves: [Bool] = []
    var executions: [ExecutionKey: Result<BlockOutcome, BlockRejection>] = [:]
    var decided: [UInt64: (blockID: Hash256, stateRoot: Hash256)] = [:]
    var certificateChecked: Set<UInt64> = []
    var proofChecked = false
    var trace = TraceDigest()
    /// Where a readable trace goes (`run(_:trace:)`); nil runs without one.
    var tracer: (@Sendable (String) -> Void)?
    /// The set that signs from height 1, and the one `parameters.setChange` moves to.
    let genesisSet: ValidatorSet
    let plannedSet: ValidatorSet?
    /// The `change_validators` transaction a proposer puts in a block at each height (signed once per height).
    var changeTransactions: [UInt64: Transaction] = [:]
    /// Once a block scheduled the planned set: the height it takes effect at and the change transaction's log entry.
    var setChange: (effectiveHeight: UInt64, entry: LogEntry?)?
    /// The transparency log of the decided blocks' accepted transactions (kept in a set-change run, for its proof).
    var acceptedLog = MerkleLog()
    /// Encoded sizes of proposals with their block, by block id (the frame size the machine is told).
    var proposalBytes: [Hash256: Int] = [:]

    struct ExecutionKey: Hashable, Sendable {
        var blockID: Hash256
        var stateRoot: Hash256
        var previousBlockID: Hash256
    }

    /// Runs one simulation to the end and returns its report.
    public static func run(_ parameters: SimulationParameters, trace: (@Sendable (String) -> Void)? = nil)
        -> SimulationReport
    {
        var simulation = ConsensusSimulation(parameters)
        simulation.tracer = trace
        simulation.execute()
        return simulation.report
    }

    public init(_ parameters: SimulationParameters) {
        self.parameters = parameters
        report = SimulationReport(parameters: parameters)
        rng = SeededRandom(seed: parameters.seed)
        let change = parameters.setChange
        let params = change.map { LedgerParams(chainID: LedgerFixture.chainID, validatorChangeDelay: $0.delay) }
        var fixture = LedgerFixture(seed: parameters.seed, params: params, validators: parameters.validators)
        genesis = fixture.genesis
        chainID = fixture.state.chainID
        genesisSet = fixture.state.validators.current
        var registrations = [Transaction]()
        for number in (parameters.validators + 1)..<(parameters.nodeCount + 1) {
            let joining = fixture.addOutsider("v\(number)", roles: .validator)
            registrations.append(
                fixture.sign(
                    "admin",
                    .registerMember(.init(name: joining.name, roles: .validator, publicKey: joining.key.publicKey))))
        }
        plannedSet = change.map { change in
            ValidatorSet(
                change.validators.map { number in
                    let actor = fixture.actor("v\(number)")
                    return Validator(member: actor.id, publicKey: actor.key.publicKey)
                })
        }
        let heights = max(parameters.heights, change.map { $0.announceHeight + $0.delay + $0.heightsAfter } ?? 0)
        pool =
            registrations
            + ConsensusSimulation.transactions(count: Int(heights + 20) * parameters.blockSize, fixture: &fixture)
        let faults = parameters.faults
        gst = Int64.random(in: faults.gstMillis, using: &rng)
        target = parameters.heights
        let byzantine = Array(1...parameters.validators).suffix(parameters.byzantine)
        var numbers = Array(1...parameters.nodeCount)
        if parameters.attack == .twins { numbers += byzantine }
        for number in numbers {
            let actor = fixture.actor("v\(number)")
            let machine = ValidatorMachine(key: actor.key, chainID: chainID, settings: ConsensusSimulation.settings)
            nodes.append(
                SimulatedNode(
                    identity: actor.id, key: actor.key, byzantine: byzantine.contains(number), state: fixture.state,
                    machine: machine))
        }
        var order = Array(nodes.indices)
        order.shuffle(using: &rng)
        halves = Array(repeating: true, count: nodes.count)
        for index in order.prefix(nodes.count / 2) { halves[index] = false }
    }

    /// Simple valid transactions (reference prices from the exchange), signed up front.
    static func transactions(count: Int, fixture: inout LedgerFixture) -> [Transaction] {
        guard let band = try? Label("Au999") else { preconditionFailure("a valid label") }
        return (0..<count).map { number in
            guard let price = try? Money(minorUnits: Int64(1_000 + number), currency: .cny) else {
                preconditionFailure("a valid amount")
            }
            return fixture.sign(
                "exchange", .publishPrice(PublishPrice(category: .gold, band: band, pricePerUnit: price)))
        }
    }

    var correct: [Int] { nodes.indices.filter { !nodes[$0].byzantine } }

    mutating func execute() {
        scheduleFaults()
        queue.schedule(.gst, at: gst)
        for index in nodes.indices {
            let head = nodes[index].head(genesis: genesis.hash)
            drive(index, .start(head, lastSigned: nil, signed: []))
            let first = Int64.random(in: 1...ConsensusSimulation.tickMillis, using: &rng)
            queue.schedule(.tick(node: index), at: first)
        }
        while report.violation == nil, let (time, event) = queue.next() {
            now = time
            if now > gst + parameters.finishBoundMillis {
                let unsettled = setChangeSettled ? "" : ", the new validator set has not all signed"
                fail(
                    "no finish by GST + \(parameters.finishBoundMillis)ms (target height \(target)\(unsettled));"
                        + " \(standing)")
                break
            }
            process(event)
            checkBounds()
            if healed, report.commitAfterHealMillis == nil, now > gst + parameters.livenessBoundMillis {
                fail("no commit within \(parameters.livenessBoundMillis)ms of GST; \(standing)")
            }
            if finished { break }
        }
        report.virtualMillis = now
        report.heightsCommitted = correct.map { nodes[$0].state.height }.min() ?? 0
        if report.violation == nil, parameters.byzantine > 0, parameters.attack == .equivocation,
            report.equivocations > 0, report.evidence == 0
        {
            fail("the Byzantine validators equivocated \(report.equivocations) times but no evidence was produced")
        }
        if report.violation == nil, parameters.setChange != nil { checkProofAcrossChange() }
        report.digest = trace.value
    }

    /// Done when every correct validator reached the target after a commit past GST, and evidence surfaced if
    /// a Byzantine validator equivocated (the run goes on until it does, within the finish bound).
    var finished: Bool {
        let evidenceSettled = parameters.attack != .equivocation || report.equivocations == 0 || report.evidence > 0
        return healed && evidenceSettled && setChangeSettled && report.commitAfterHealMillis != nil
            && correct.allSatisfy { nodes[$0].state.height >= target }
    }

    /// Where each node stands (head, height, round, step, mode; B for Byzantine, x for down), for a failure.
    var standing: String {
        nodes.indices.map { index in
            let node = nodes[index]
            let status = node.machine.status(at: .milliseconds(now))
            let marks = (node.byzantine ? "B" : "") + (node.alive ? "" : "x") + (node.storeDown ? "s" : "")
            return "v\(index)\(marks):head=\(node.state.height) h=\(status.height) r=\(status.round) \(status.step)"
                + " \(status.mode.rawValue)"
        }.joined(separator: ", ")
    }

    mutating func fail(_ reason: String) {
        if report.violation == nil { report.violation = "at \(now)ms: \(reason)" }
    }

    /// Bounded memory per node: what a machine buffers stays within its limits, and the network within its bound.
    mutating func checkBounds() {
        report.peakInFlight = max(report.peakInFlight, queue.count)
        if queue.count > ConsensusSimulation.maxInFlight { fail("\(queue.count) events in flight") }
        for index in nodes.indices where nodes[index].alive {
            let footprint = nodes[index].machine.footprint
            report.peakBuffered = max(report.peakBuffered, footprint.buffered)
            if footprint.buffered > ValidatorMachine.maxBufferedMessages
                || footprint.seen > ValidatorMachine.maxSeenMessages
            {
                fail("validator \(index) holds \(footprint) beyond its bounds")
            }
        }
    }

    mutating func scheduleFaults() {
        let faults = parameters.faults
        guard gst > 0 else { return }
        if faults.partitions, nodes.count > 1 {
            let start = Int64.random(in: 0...gst / 2, using: &rng)
            let end = Int64.random(in: start...gst, using: &rng)
            var groups = nodes.indices.map { _ in Int.random(in: 0...1, using: &rng) }
            groups[0] = 0
            groups[nodes.count - 1] = 1
            queue.schedule(.partition(groups), at: start)
            queue.schedule(.heal, at: end)
        }
        if faults.crashes {
            let count = Int.random(in: 1...max(1, (nodes.count - 1) / 3), using: &rng)
            for index in correct.shuffled(using: &rng).prefix(count) {
                let start = Int64.random(in: 0...gst, using: &rng)
                let end = min(gst, start + Int64.random(in: 200...2_000, using: &rng))
                queue.schedule(.crash(node: index), at: start)
                queue.schedule(.restart(node: index), at: end)
            }
        }
        if faults.storeFailures {
            let index = correct[Int.random(in: 0...correct.count - 1, using: &rng)]
            let start = Int64.random(in: 0...gst, using: &rng)
            let end = min(gst, start + Int64.random(in: 100...1_500, using: &rng))
            queue.schedule(.storeDown(node: index), at: start)
            queue.schedule(.storeUp(node: index), at: end)
        }
    }

    mutating func process(_ event: SimulationEvent) {
        if let tracer {
            switch event {
            case .deliver, .timer, .tick: break
            default: tracer("\(now)ms \(event)")
            }
        }
        switch event {
        case .deliver(let to, let from, let message, let bytes):
            trace.mix(1, UInt64(now), UInt64(to), UInt64(from))
            guard nodes[to].alive else { return }
            drive(to, .peer(nodes[from].identity, message, bytes: bytes))
        case .timer(let node, let incarnation, let timer):
            guard nodes[node].alive, nodes[node].incarnation == incarnation else { return }
            trace.mix(2, UInt64(now), UInt64(node))
            drive(node, .timer(timer))
        case .tick(let node):
            queue.schedule(.tick(node: node), at: now + ConsensusSimulation.tickMillis)
            guard nodes[node].alive else { return }
            trace.mix(3, UInt64(now), UInt64(node))
            drive(node, .tick(TickInput(mempoolCount: 0)))
            if nodes[node].byzantine, parameters.attack == .syncFlood { flood(node) }
        case .crash(let node):
            trace.mix(4, UInt64(now), UInt64(node))
            nodes[node].alive = false
            nodes[node].incarnation += 1
            report.crashes += 1
        case .restart(let node):
            trace.mix(5, UInt64(now), UInt64(node))
            restart(node)
        case .storeDown(let node):
            trace.mix(10, UInt64(now), UInt64(node))
            nodes[node].storeDown = true
            report.storeOutages += 1
        case .storeUp(let node):
            trace.mix(11, UInt64(now), UInt64(node))
            nodes[node].storeDown = false
        case .partition(let groups):
            trace.mix(6, UInt64(now))
            partition = groups
            report.partitions += 1
        case .heal:
            trace.mix(7, UInt64(now))
            partition = nil
        case .gst:
            trace.mix(8, UInt64(now))
            healed = true
            partition = nil
            heightAtGST = correct.map { nodes[$0].state.height }.max() ?? 0
            target = max(target, heightAtGST + 1)
        }
    }

    /// A crashed validator comes back as a node does: a new machine from its ledger and its safety state (the last
    /// slot signed and what it signed at that height), which re-derives its lock and sends those messages again.
    mutating func restart(_ node: Int) {
        nodes[node].alive = true
        nodes[node].executed = [:]
        nodes[node].machine = ValidatorMachine(
            key: nodes[node].key, chainID: chainID, settings: ConsensusSimulation.settings)
        let head = nodes[node].head(genesis: genesis.hash)
        drive(node, .start(head, lastSigned: nodes[node].lastSigned, signed: nodes[node].signed))
    }
}

/// A running 64-bit digest of a trace (not cryptographic: it only tells two runs apart).
struct TraceDigest: Sendable {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func mix(_ values: UInt64...) {
        for item in values {
            value = (value ^ item) &* 0x0000_0100_0000_01B3
            value ^= value >> 29
        }
    }

    mutating func mix(_ hash: Hash256) {
        for byte in hash.bytes { mix(UInt64(byte)) }
    }
}
