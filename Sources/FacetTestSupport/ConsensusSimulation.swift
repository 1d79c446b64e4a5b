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
            + " equivocations=\(equivocations) evidence=\(evidence) commitAfterHeal=\(heal)"
            + (setChangeHeight.map { " setChangeAt=\($0)" } ?? "")
            + " virtual=\(virtualMillis)ms digest=\(String(digest, radix: 16)) [reproduce: \(parameters)]"
    }
}

enum SimulationEvent: Sendable {
    case deliver(to: Int, from: Int, SimulatedMessage)
    case timeout(node: Int, incarnation: Int, TimeoutKind, height: UInt64, round: UInt32)
    case gossip(node: Int)
    case crash(node: Int)
    case restart(node: Int)
    case partition([Int])
    case heal
    case gst
}

/// A deterministic simulation of n validators running `Tendermint` over a faulty network, on virtual time and a
/// `SeededRandom`: delays, drops, duplicates and reordering, a partition that heals, crashes with restarts from
/// persisted state, and Byzantine validators that equivocate. Values are real blocks built and re-executed with
/// `BlockBuilder`. After every step it checks agreement (one block and one state root per height among correct
/// validators), the safety state, the evidence, and liveness after GST. Nothing here reads a clock or iterates a
/// dictionary or set in a way that decides anything: the same parameters give the same run, bit for bit.
///
/// For speed in debug builds, a signature is verified once per distinct message and a block is executed once per
/// (block, state) pair across the simulated validators, as a real node verifies and executes each once.
public struct ConsensusSimulation: Sendable {
    public let parameters: SimulationParameters
    public internal(set) var report: SimulationReport

    static let gossipIntervalMillis: Int64 = 500
    static let syncRetryMillis: Int64 = 200
    static let timeouts = TimeoutParameters(
        propose: .milliseconds(400), prevote: .milliseconds(200), precommit: .milliseconds(200),
        increment: .milliseconds(150))

    var rng: SeededRandom
    var queue = EventQueue<SimulationEvent>()
    var now: Int64 = 0
    var nodes: [SimulatedValidator] = []
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
    var verified: [ConsensusMessage: Bool] = [:]
    var executions: [ExecutionKey: Result<BlockOutcome, BlockRejection>] = [:]
    var decided: [UInt64: (blockID: Hash256, stateRoot: Hash256)] = [:]
    var certificateChecked: Set<UInt64> = []
    var proofChecked = false
    var trace = TraceDigest()
    /// The set that signs from height 1, and the one `parameters.setChange` moves to.
    let genesisSet: ValidatorSet
    let plannedSet: ValidatorSet?
    /// The `change_validators` transaction a proposer puts in a block at each height (signed once per height).
    var changeTransactions: [UInt64: Transaction] = [:]
    /// Once a block scheduled the planned set: the height it takes effect at and the change transaction's log entry.
    var setChange: (effectiveHeight: UInt64, entry: LogEntry?)?
    /// The transparency log of the decided blocks' accepted transactions (kept in a set-change run, for its proof).
    var acceptedLog = MerkleLog()

    struct ExecutionKey: Hashable, Sendable {
        var blockID: Hash256
        var stateRoot: Hash256
        var previousBlockID: Hash256
    }

    /// Runs one simulation to the end and returns its report.
    public static func run(_ parameters: SimulationParameters) -> SimulationReport {
        var simulation = ConsensusSimulation(parameters)
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
        for number in 1...parameters.nodeCount {
            let actor = fixture.actor("v\(number)")
            let machine = Tendermint(
                identity: actor.id, key: actor.key, chainID: chainID, timeouts: ConsensusSimulation.timeouts)
            nodes.append(
                SimulatedValidator(
                    identity: actor.id, key: actor.key,
                    byzantine: number > parameters.validators - parameters.byzantine && number <= parameters.validators,
                    state: fixture.state, machine: machine))
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
            let validators = nodes[index].state.validators.set(at: 1)
            let actions = nodes[index].machine.start(height: 1, validators: validators)
            perform(index, actions)
            let first = Int64.random(in: 1...ConsensusSimulation.gossipIntervalMillis, using: &rng)
            queue.schedule(.gossip(node: index), at: first)
        }
        while report.violation == nil, let (time, event) = queue.next() {
            now = time
            if now > gst + parameters.finishBoundMillis {
                let unsettled = setChangeSettled ? "" : ", the new validator set has not all signed"
                fail("no finish by GST + \(parameters.finishBoundMillis)ms (target height \(target)\(unsettled))")
                break
            }
            process(event)
            if healed, report.commitAfterHealMillis == nil, now > gst + parameters.livenessBoundMillis {
                fail("no commit within \(parameters.livenessBoundMillis)ms of GST")
            }
            if finished { break }
        }
        report.virtualMillis = now
        report.heightsCommitted = correct.map { nodes[$0].state.height }.min() ?? 0
        if report.violation == nil, parameters.byzantine > 0, report.equivocations > 0, report.evidence == 0 {
            fail("the Byzantine validators equivocated \(report.equivocations) times but no evidence was produced")
        }
        if report.violation == nil, parameters.setChange != nil { checkProofAcrossChange() }
        report.digest = trace.value
    }

    /// Done when every correct validator reached the target after a commit past GST, and evidence surfaced if
    /// a Byzantine validator equivocated (the run goes on until it does, within the finish bound).
    var finished: Bool {
        let evidenceSettled = report.equivocations == 0 || report.evidence > 0
        return healed && evidenceSettled && setChangeSettled && report.commitAfterHealMillis != nil
            && correct.allSatisfy { nodes[$0].state.height >= target }
    }

    mutating func fail(_ reason: String) {
        if report.violation == nil { report.violation = "at \(now)ms: \(reason)" }
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
    }

    mutating func process(_ event: SimulationEvent) {
        switch event {
        case .deliver(let to, let from, let message):
            trace.mix(1, UInt64(now), UInt64(to), UInt64(from))
            guard nodes[to].alive else { return }
            receive(to, from: from, message)
        case .timeout(let node, let incarnation, let kind, let height, let round):
            guard nodes[node].alive, nodes[node].incarnation == incarnation else { return }
            trace.mix(2, UInt64(now), UInt64(node), height, UInt64(round), UInt64(kind.rawValue))
            perform(node, nodes[node].machine.handle(.timeout(kind, height: height, round: round)))
        case .gossip(let node):
            queue.schedule(.gossip(node: node), at: now + ConsensusSimulation.gossipIntervalMillis)
            guard nodes[node].alive else { return }
            trace.mix(3, UInt64(now), UInt64(node))
            gossip(node)
        case .crash(let node):
            trace.mix(4, UInt64(now), UInt64(node))
            nodes[node].alive = false
            nodes[node].incarnation += 1
            report.crashes += 1
        case .restart(let node):
            trace.mix(5, UInt64(now), UInt64(node))
            restart(node)
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
