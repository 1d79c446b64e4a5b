import FacetCore
import FacetLedger
import FacetTestSupport
import FacetTestTraits
import Testing

/// Properties over random transaction sequences of every kind. Each case is driven by its seed; a failure
/// message names the seed and height that reproduce it.
@Suite(.onOwnThread) struct LedgerPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6]
    static let blocks = 40
    static let blockSize = 12

    /// Every committed state satisfies the invariants: in particular no piece or invoice is ever pledged to
    /// two loans, and every pledge points both ways.
    @Test(arguments: seeds)
    func invariantsHoldAfterEveryBlock(seed: UInt64) {
        var simulation = LedgerSimulation(seed: seed)
        var accepted = 0
        var refusals = Set<LedgerError.Code>()
        for _ in 0..<Self.blocks {
            let outcome = simulation.step(size: Self.blockSize)
            accepted += outcome.results.filter(\.accepted).count
            for result in outcome.results { if let code = result.error?.code { refusals.insert(code) } }
            let problems = StateChecker.violations(simulation.state)
            #expect(problems.isEmpty, "seed \(seed) height \(simulation.state.height): \(problems)")
            if !problems.isEmpty { return }
        }
        #expect(accepted > Self.blocks, "seed \(seed): too few accepted transactions (\(accepted)) to mean much")
        #expect(refusals.count >= 5, "seed \(seed): too few kinds of refusal exercised: \(refusals.sorted())")
    }

    /// Executing the same blocks from the same genesis gives the same state root at every height, and
    /// executing one block twice on one state gives identical outcomes.
    @Test(arguments: seeds)
    func executionIsDeterministic(seed: UInt64) {
        var simulation = LedgerSimulation(seed: seed)
        var roots = [Hash256]()
        for _ in 0..<Self.blocks {
            roots.append(simulation.step(size: Self.blockSize).stateRoot)
        }
        var replay = LedgerFixture(seed: seed)
        for (height, block) in simulation.blocks.enumerated() {
            let first = replay.executor.execute(block.transactions, on: replay.state, time: block.time)
            let second = replay.executor.execute(block.transactions, on: replay.state, time: block.time)
            #expect(
                first.stateRoot == second.stateRoot && first.changes == second.changes
                    && first.results == second.results, "seed \(seed) height \(height + 1)")
            #expect(first.stateRoot == roots[height], "seed \(seed) height \(height + 1): replay diverged")
            replay.time = block.time
            replay.commitForReplay(first)
        }
        #expect(replay.state.log.root == simulation.state.log.root)
    }

    /// A refused transaction changes nothing: the block without its refused transactions yields the same state
    /// root and the same changes.
    @Test(arguments: seeds)
    func refusedTransactionsChangeNothing(seed: UInt64) {
        var simulation = LedgerSimulation(seed: seed)
        var checkedRefusals = 0
        for _ in 0..<Self.blocks {
            let before = simulation.state
            let outcome = simulation.step(size: Self.blockSize)
            guard let block = simulation.blocks.last else { return }
            let kept = zip(block.transactions, outcome.results).filter { $0.1.accepted }.map(\.0)
            checkedRefusals += block.transactions.count - kept.count
            let withoutRefused = simulation.fixture.executor.execute(kept, on: before, time: block.time)
            #expect(
                withoutRefused.stateRoot == outcome.stateRoot && withoutRefused.changes == outcome.changes,
                "seed \(seed) height \(outcome.height)")
            #expect(withoutRefused.results.allSatisfy { $0.accepted }, "seed \(seed) height \(outcome.height)")
        }
        #expect(checkedRefusals > 0)
    }

    /// The incremental state root equals the root of a tree rebuilt from all records, and the log's root
    /// equals the RFC 9162 root over every accepted transaction.
    @Test(arguments: seeds)
    func incrementalRootsMatchRebuiltOnes(seed: UInt64) {
        var simulation = LedgerSimulation(seed: seed)
        var acceptedLeaves = [Hash256]()
        var log = MerkleLog()
        for _ in 0..<Self.blocks {
            let outcome = simulation.step(size: Self.blockSize)
            guard let block = simulation.blocks.last else { return }
            #expect(outcome.encodedTransactions == block.transactions.map(\.canonicalBytes), "seed \(seed)")
            var expectedNodes = [MerkleNode]()
            for (transaction, result) in zip(block.transactions, outcome.results) where result.accepted {
                acceptedLeaves.append(MerkleTree.leafHash(transaction.canonicalBytes))
                expectedNodes += log.append(leafHash: acceptedLeaves[acceptedLeaves.count - 1])
            }
            #expect(outcome.logNodes == expectedNodes, "seed \(seed) height \(outcome.height)")
            let leaves = block.transactions.map { MerkleTree.leafHash($0.canonicalBytes) }
            #expect(outcome.transactionRoot == MerkleTree.root(leafHashes: leaves))
        }
        let state = simulation.state
        let rebuilt = WorldState(height: state.height, time: state.time, records: state.records, log: state.log)
        #expect(rebuilt.stateRoot == state.stateRoot, "seed \(seed)")
        #expect(state.log.size == acceptedLeaves.count)
        #expect(state.log.root == MerkleTree.root(leafHashes: acceptedLeaves), "seed \(seed)")
    }

    /// Every record in the state survives its canonical encoding.
    @Test func stateRecordsRoundTrip() throws {
        var simulation = LedgerSimulation(seed: 9)
        for _ in 0..<Self.blocks { simulation.step(size: Self.blockSize) }
        for key in simulation.state.records.keys.sorted() {
            let value = try #require(simulation.state.records[key])
            let bytes = value.canonicalBytes
            #expect(try StateValue(canonicalBytes: bytes, limit: 1 << 20) == value, "\(key)")
            #expect(try StateKey(canonicalBytes: key.canonicalBytes) == key)
        }
    }
}
