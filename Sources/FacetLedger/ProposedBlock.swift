import FacetCore

/// A block as a proposer offers it: the header it computed by executing the transactions, and the transactions.
/// Validators re-execute it on their own state and vote for `id` only if they arrive at the same header.
public struct ProposedBlock: Hashable, Sendable, CanonicalCodable {
    public var header: BlockHeader
    public var transactions: [Transaction]

    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    public var id: Hash256 { header.id }
    public var height: UInt64 { header.height }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(header)
        encoder.list(transactions)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        header = try decoder.decode()
        transactions = try decoder.list(max: Limits.maxBlockTransactions)
    }
}

/// How far a proposer's block time may run ahead of a validator's clock. Block times are monotonic: each block's
/// time is strictly after its predecessor's (genesis time for block 1), so a proposer takes the later of its
/// clock and the previous time plus one millisecond.
public struct BlockTimeBounds: Hashable, Sendable {
    public var maxDriftMillis: Int64

    public init(maxDriftMillis: Int64) {
        precondition(maxDriftMillis >= 0, "a drift is never negative")
        self.maxDriftMillis = maxDriftMillis
    }

    /// The time a proposer gives the block after one at `previous`, reading `now` from its clock.
    public func proposalTime(previous: Timestamp, now: Timestamp) -> Timestamp {
        max(now, Timestamp(uncheckedMillis: min(previous.millis + 1, Limits.maxTimestampMillis)))
    }

    /// nil when `time` may follow `previous` for a validator whose clock reads `now`, else the reason.
    public func check(_ time: Timestamp, previous: Timestamp, now: Timestamp) -> BlockRejection? {
        if time <= previous { return .timeNotAfterPrevious }
        if time.millis > now.millis + maxDriftMillis { return .timeTooFarAhead }
        return nil
    }
}

/// Why a validator refuses a proposed block (it prevotes nil).
public enum BlockRejection: String, ErrorCode, Error {
    case wrongChain = "block.wrong_chain"
    case wrongHeight = "block.wrong_height"
    case wrongPrevious = "block.wrong_previous"
    case timeNotAfterPrevious = "block.time_not_monotonic"
    case timeTooFarAhead = "block.time_too_far_ahead"
    case unknownProposer = "block.unknown_proposer"
    case tooLarge = "block.too_large"
    case headerMismatch = "block.header_mismatch"
    /// A signer has more refused transactions in the block than `RefusalCap.perSignerPerBlock`.
    case tooManyRefusals = "block.too_many_refusals"
    /// The block holds a transaction twice, or one a committed block already holds: storing it again would give one
    /// id two verdicts. (A node judges this against its store; the pure builder cannot.)
    case alreadyDecided = "block.already_decided"

    public var code: String { rawValue }
}

/// Building and checking blocks: pure functions of the state, the transactions and the time a caller passes in.
public struct BlockBuilder: Sendable {
    public var executor: BlockExecutor
    public var time: BlockTimeBounds

    public init(executor: BlockExecutor = BlockExecutor(), time: BlockTimeBounds) {
        self.executor = executor
        self.time = time
    }

    /// The block `proposer` offers at the next height from `transactions`, and its outcome. A signer's refusals
    /// beyond `RefusalCap.perSignerPerBlock` are left out of the block (the block's transactions say which went in).
    public func propose(
        _ transactions: [Transaction], on state: WorldState, previousBlockID: Hash256, proposer: MemberID,
        now: Timestamp
    ) -> (block: ProposedBlock, outcome: BlockOutcome) {
        let (included, outcome) = RefusalCap.execute(
            transactions, executor: executor, on: state, time: time.proposalTime(previous: state.time, now: now))
        let header = BlockHeader(
            outcome: outcome, executedOn: state, previousBlockID: previousBlockID, proposer: proposer)
        return (ProposedBlock(header: header, transactions: included), outcome)
    }

    /// Re-executes a proposed block on `state` and returns its outcome when the header is exactly the one this
    /// validator computes, with a time within bounds of `now`. Any difference refuses the block.
    public func validate(_ block: ProposedBlock, on state: WorldState, previousBlockID: Hash256, now: Timestamp)
        -> Result<BlockOutcome, BlockRejection>
    {
        let header = block.header
        guard header.chainID == state.chainID else { return .failure(.wrongChain) }
        guard header.height == state.height + 1 else { return .failure(.wrongHeight) }
        guard header.previousBlockID == previousBlockID else { return .failure(.wrongPrevious) }
        if let rejection = time.check(header.time, previous: state.time, now: now) { return .failure(rejection) }
        guard state.validators.set(at: header.height).validator(header.proposer) != nil else {
            return .failure(.unknownProposer)
        }
        guard block.transactions.count <= Limits.maxBlockTransactions else { return .failure(.tooLarge) }
        return checkExecution(block, on: state, previousBlockID: previousBlockID)
    }

    /// Re-executes a block at its own time, with no clock check: for blocks already committed by a quorum
    /// (block sync), whose time was checked by the validators that signed them.
    public func checkExecution(_ block: ProposedBlock, on state: WorldState, previousBlockID: Hash256)
        -> Result<BlockOutcome, BlockRejection>
    {
        let header = block.header
        guard header.height == state.height + 1 else { return .failure(.wrongHeight) }
        guard header.previousBlockID == previousBlockID else { return .failure(.wrongPrevious) }
        let outcome = executor.execute(block.transactions, on: state, time: header.time)
        let expected = BlockHeader(
            outcome: outcome, executedOn: state, previousBlockID: previousBlockID, proposer: header.proposer)
        guard expected == header else { return .failure(.headerMismatch) }
        guard RefusalCap.excess(block.transactions, results: outcome.results).isEmpty else {
            return .failure(.tooManyRefusals)
        }
        return .success(outcome)
    }
}
