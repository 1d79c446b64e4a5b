import FacetCore
import FacetLedger

/// One block of a `SimulatedChain`: what a node holds right after executing and finalising a block, ready to be
/// handed to a store.
public struct SimulatedBlock: Sendable {
    public let transactions: [Transaction]
    public let outcome: BlockOutcome
    /// The state the block was executed on.
    public let stateBefore: WorldState
    public let header: BlockHeader
    public let certificate: CommitCertificate
}

/// A `LedgerSimulation` dressed as a finalised chain: every block gets a header linked to the previous one and a
/// certificate signed by the fixture's validators. The same seed and block size give the same chain, block ids
/// and all, in every process: what a crash test needs to check a store against a re-execution.
public struct SimulatedChain: Sendable {
    public private(set) var simulation: LedgerSimulation
    public let blockSize: Int
    /// The last block's id; the genesis hash before the first block.
    public private(set) var lastBlockID: Hash256

    public init(seed: UInt64, blockSize: Int) {
        precondition(blockSize >= 0 && blockSize <= Limits.maxBlockTransactions, "block size out of range")
        simulation = LedgerSimulation(seed: seed)
        self.blockSize = blockSize
        lastBlockID = simulation.fixture.genesis.hash
    }

    public var genesis: Genesis { simulation.fixture.genesis }
    public var state: WorldState { simulation.state }
    public var height: UInt64 { simulation.state.height }

    /// Generates, executes, finalises and commits (in memory) the next block.
    public mutating func next() -> SimulatedBlock {
        let before = simulation.state
        let outcome = simulation.step(size: blockSize)
        guard let transactions = simulation.blocks.last?.transactions else {
            preconditionFailure("the simulation records every block it steps")
        }
        let fixture = simulation.fixture
        let signers = before.validators.set(at: outcome.height).validators
        let proposer = signers[Int(outcome.height % UInt64(signers.count))].member
        let header = BlockHeader(
            outcome: outcome, executedOn: before, previousBlockID: lastBlockID, proposer: proposer)
        let signatures = signers.compactMap { validator -> CommitSignature? in
            guard let actor = fixture.actors.values.first(where: { $0.id == validator.member }) else { return nil }
            return CommitCertificate.precommit(
                height: header.height, round: 0, blockID: header.id, chainID: header.chainID,
                validator: validator.member, key: actor.key)
        }
        let certificate = CommitCertificate(
            height: header.height, round: 0, blockID: header.id, signatures: signatures)
        lastBlockID = header.id
        return SimulatedBlock(
            transactions: transactions, outcome: outcome, stateBefore: before, header: header,
            certificate: certificate)
    }

    /// Advances without keeping the blocks, up to `height`.
    public mutating func advance(to height: UInt64) {
        while self.height < height { _ = next() }
    }
}
