import FacetCore

/// A committed block's header. Its id (the SHA-256 of its encoding) is what validators precommit to, so
/// the header binds everything an auditor checks: the block's transactions and results, the transparency
/// log after the block, the state root, and the validator sets.
public struct BlockHeader: Hashable, Sendable, CanonicalCodable {
    public var chainID: Label
    public var height: UInt64
    public var time: Timestamp
    /// The previous block's id; for height 1, the genesis hash.
    public var previousBlockID: Hash256
    /// RFC 9162 root over the block's transactions (all of them, accepted or refused), in block order.
    public var transactionRoot: Hash256
    public var transactionCount: UInt32
    /// RFC 9162 root over the block's results (`TransactionResult` encodings), in block order: proves a
    /// refusal and its code as well as an acceptance.
    public var resultsRoot: Hash256
    /// The transparency log over every accepted transaction since genesis, after this block.
    public var logSize: UInt64
    public var logRoot: Hash256
    /// The state root after this block.
    public var stateRoot: Hash256
    /// Hash of the set that signs this block, and of the set that signs the next one.
    public var validatorsHash: Hash256
    public var nextValidatorsHash: Hash256
    public var proposer: MemberID

    public init(
        chainID: Label, height: UInt64, time: Timestamp, previousBlockID: Hash256, transactionRoot: Hash256,
        transactionCount: UInt32, resultsRoot: Hash256, logSize: UInt64, logRoot: Hash256, stateRoot: Hash256,
        validatorsHash: Hash256, nextValidatorsHash: Hash256, proposer: MemberID
    ) {
        self.chainID = chainID
        self.height = height
        self.time = time
        self.previousBlockID = previousBlockID
        self.transactionRoot = transactionRoot
        self.transactionCount = transactionCount
        self.resultsRoot = resultsRoot
        self.logSize = logSize
        self.logRoot = logRoot
        self.stateRoot = stateRoot
        self.validatorsHash = validatorsHash
        self.nextValidatorsHash = nextValidatorsHash
        self.proposer = proposer
    }

    /// The header of an executed block. `state` is the state the block was executed on.
    public init(outcome: BlockOutcome, executedOn state: WorldState, previousBlockID: Hash256, proposer: MemberID) {
        let schedule = state.validators
        self.init(
            chainID: state.chainID, height: outcome.height, time: outcome.time, previousBlockID: previousBlockID,
            transactionRoot: outcome.transactionRoot, transactionCount: UInt32(outcome.results.count),
            resultsRoot: MerkleTree.root(leafHashes: outcome.results.map { MerkleTree.leafHash($0.canonicalBytes) }),
            logSize: UInt64(outcome.logSize), logRoot: outcome.logRoot, stateRoot: outcome.stateRoot,
            validatorsHash: schedule.set(at: outcome.height).hash,
            nextValidatorsHash: outcome.validators.set(at: outcome.height + 1).hash, proposer: proposer)
    }

    public var id: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(chainID)
        encoder.u64(height)
        encoder.encode(time)
        encoder.encode(previousBlockID)
        encoder.encode(transactionRoot)
        encoder.u32(transactionCount)
        encoder.encode(resultsRoot)
        encoder.u64(logSize)
        encoder.encode(logRoot)
        encoder.encode(stateRoot)
        encoder.encode(validatorsHash)
        encoder.encode(nextValidatorsHash)
        encoder.encode(proposer)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        chainID = try decoder.decode()
        height = try decoder.u64()
        time = try decoder.decode()
        previousBlockID = try decoder.decode()
        transactionRoot = try decoder.decode()
        transactionCount = try decoder.u32()
        resultsRoot = try decoder.decode()
        logSize = try decoder.u64()
        logRoot = try decoder.decode()
        stateRoot = try decoder.decode()
        validatorsHash = try decoder.decode()
        nextValidatorsHash = try decoder.decode()
        proposer = try decoder.decode()
    }
}
