import FacetConsensus
import FacetCore
import FacetLedger
@testable import FacetServer
import FacetStore
import FacetTestSupport
import Logging
import Prometheus
import Synchronization
import Testing

@testable import FacetNode

/// What a driver sent, with the safety slot its store held at that moment.
struct SentMessage: Sendable {
    let message: ValidatorMessage
    let to: MemberID?
    let storedSlot: ConsensusSlot?
}

/// A link that records what the driver sends instead of sending it.
final class RecordingLink: PeerLink {
    let store: FlakyStore
    private let sent = Mutex<[SentMessage]>([])

    init(store: FlakyStore) { self.store = store }

    private func record(_ payload: [UInt8], to member: MemberID?) {
        guard let message = try? ValidatorMessage(canonicalBytes: payload, limit: ValidatorMessage.maxBytes) else {
            preconditionFailure("the driver sent a message it cannot decode")
        }
        let entry = SentMessage(message: message, to: member, storedSlot: store.savedSlot)
        sent.withLock { $0.append(entry) }
    }

    func send(_ payload: [UInt8], to member: MemberID) async { record(payload, to: member) }
    func broadcast(_ payload: [UInt8]) async { record(payload, to: nil) }
    func allow(_ validators: [ValidatorSet]) async {}
    func connected() async -> [MemberID] { [] }

    var messages: [SentMessage] { sent.withLock { $0 } }

    /// The votes sent, each with the slot stored when it went out.
    var votes: [(vote: Vote, stored: ConsensusSlot?)] {
        messages.compactMap { entry in
            if case .vote(let vote) = entry.message { return (vote, entry.storedSlot) }
            return nil
        }
    }
}

/// One `ConsensusDriver` with no network: a real `LedgerNode` on SQLite behind a `FlakyStore`, a `RecordingLink`,
/// and the test in the place of the other three validators (it signs their messages with the fixture's keys).
/// Timeouts are long unless given, so the machine stays where the test puts it.
struct DriverHarness: Sendable {
    static let slow = ConsensusSettings(
        timeouts: TimeoutParameters(
            propose: .seconds(120), prevote: .seconds(120), precommit: .seconds(120), increment: .seconds(1)),
        commitInterval: .milliseconds(50), statusInterval: .milliseconds(200), gossipInterval: .milliseconds(10),
        syncTimeout: .seconds(2), storeTimeout: .seconds(2))

    let fixture: LedgerFixture
    let name: String
    let path: String
    let store: FlakyStore
    let node: LedgerNode
    let link: RecordingLink
    let driver: ConsensusDriver
    let registry: PrometheusCollectorRegistry
    let task: Task<Void, any Error>

    var member: MemberID { fixture.id(name) }
    var chainID: Label { fixture.genesis.params.chainID }
    var validators: ValidatorSet { fixture.state.validators.set(at: 1) }

    /// Starts a driver for a validator that does not propose at (1, 0), so the test's proposer does, and returns
    /// once it runs height 1.
    static func start(settings: ConsensusSettings = slow) async throws -> DriverHarness {
        let fixture = LedgerFixture(validators: 4)
        let validators = fixture.state.validators.set(at: 1)
        let first = Tendermint.proposer(height: 1, round: 0, validators: validators)
        let name = ["v1", "v2", "v3", "v4"].first { fixture.id($0) != first }!
        let path = APITestNode.temporaryPath()
        let logger = NetworkValidator.logger(name)
        let store = FlakyStore(try await SQLiteLedgerStore.open(path: path, logger: logger))
        let registry = PrometheusCollectorRegistry()
        let node = try await LedgerNode(
            genesis: fixture.genesis, store: store, validatorKey: fixture.actor(name).key,
            mempool: Mempool.Bounds(maxCount: 10_000, maxBytes: 1 << 24),
            metrics: NodeMetrics(factory: NodeLauncher.metricsFactory(registry: registry)), logger: logger)
        let link = RecordingLink(store: store)
        let driver = ConsensusDriver(
            node: node, link: link, key: fixture.actor(name).key, settings: settings, clock: SystemNodeClock(),
            logger: logger)
        let task = Task { try await driver.run() }
        // Started (its safety state read, height 1 begun) before a test switches the store off.
        try await waitUntil("the driver starts height 1") { await driver.status().height == 1 }
        return DriverHarness(
            fixture: fixture, name: name, path: path, store: store, node: node, link: link, driver: driver,
            registry: registry, task: task)
    }

    func stop() async {
        driver.stop()
        task.cancel()
        _ = await task.result
        try? await store.close()
        APITestNode.removeStore(at: path)
    }

    func key(of member: MemberID) -> SigningKey {
        let name = ["v1", "v2", "v3", "v4"].first { fixture.id($0) == member }!
        return fixture.actor(name).key
    }

    func proposer(height: UInt64 = 1, round: UInt32) -> MemberID {
        Tendermint.proposer(height: height, round: round, validators: validators)
    }

    /// A proposal signed by the round's proposer.
    func proposal(height: UInt64 = 1, round: UInt32, validRound: UInt32? = nil, _ blockID: Hash256) -> Proposal {
        let proposer = proposer(height: height, round: round)
        return Proposal.sign(
            height: height, round: round, validRound: validRound, blockID: blockID, chainID: chainID,
            proposer: proposer, key: key(of: proposer))
    }

    func vote(_ kind: VoteKind, by member: MemberID, height: UInt64 = 1, round: UInt32, _ blockID: Hash256?) -> Vote {
        Vote.sign(kind, height: height, round: round, blockID: blockID, chainID: chainID, validator: member,
            key: key(of: member))
    }

    /// The other validators, in set order.
    var others: [MemberID] { validators.validators.map(\.member).filter { $0 != member } }

    func deliver(_ message: ValidatorMessage, from peer: MemberID) {
        driver.deliver(from: peer, payload: message.canonicalBytes)
    }

    /// A valid empty block for height 1 as `proposer` would build it, and the same with a wrong state root (it
    /// decodes and passes every check but execution).
    func blocks(proposer: MemberID) -> (valid: ProposedBlock, invalid: ProposedBlock) {
        let builder = BlockBuilder(time: BlockTimeBounds(maxDriftMillis: 5_000))
        let (valid, _) = builder.propose(
            [], on: fixture.state, previousBlockID: fixture.genesis.hash, proposer: proposer,
            now: SystemNodeClock().now())
        var header = valid.header
        header.stateRoot = SHA256Hash.digest(Array("not the state".utf8))
        return (valid, ProposedBlock(header: header, transactions: valid.transactions))
    }

    /// The value of one series in the text exposition, 0 when absent.
    func metric(_ name: String, _ labels: String? = nil) -> Double { metricValue(registry, name, labels) }

    func dropped(_ reason: String) -> Double {
        metric(NodeMetrics.peerMessagesDroppedTotal, #"reason="\#(reason)""#)
    }

    func rejected(_ code: BlockRejection) -> Double {
        metric(NodeMetrics.blockRejectedTotal, #"code="\#(code.code)""#)
    }

    var proposalsHandled: Double { metric(NodeMetrics.peerMessagesTotal, #"type="proposal""#) }
}

/// Runs `body` with a started harness and stops it whatever the outcome.
func withDriver<T>(settings: ConsensusSettings = DriverHarness.slow, _ body: (DriverHarness) async throws -> T)
    async throws -> T
{
    let harness = try await DriverHarness.start(settings: settings)
    let result: Result<T, any Error>
    do {
        result = .success(try await body(harness))
    } catch {
        result = .failure(error)
    }
    await harness.stop()
    return try result.get()
}
