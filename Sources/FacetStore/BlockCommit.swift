import FacetCore
import FacetLedger

/// Everything one finalised block adds to a store, written in one database transaction: the header and its
/// certificate, the transactions and their results, the state diff, the transparency-log nodes the block
/// completed, and the history index entries.
public struct BlockCommit: Sendable {
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let transactions: [EncodedTransaction]
    public let results: [TransactionResult]
    /// What the block changed in the stored state, in ascending key order; a nil value removes the record. For
    /// block 1 this includes the genesis records (see `init(outcome:executedOn:…)`).
    public let changes: [StateChange]
    /// The perfect log nodes the block completed (see `MerkleNode`), leaves included.
    public let logNodes: [MerkleNode]
    public let index: [IndexEntry]
    /// The next validator set when the header announces a change (`nextValidatorsHash != validatorsHash`), else
    /// nil: the store records it so the validator history is read without scanning blocks.
    public let validatorChange: ValidatorSet?

    /// Checks that the parts belong together; a mismatch is a bug in the caller, so it stops the process
    /// rather than reach the database.
    public init(
        header: BlockHeader, certificate: CommitCertificate, transactions: [EncodedTransaction],
        results: [TransactionResult], changes: [StateChange], logNodes: [MerkleNode], index: [IndexEntry],
        validatorChange: ValidatorSet? = nil
    ) {
        precondition(header.height >= 1 && header.height <= UInt64(Int64.max), "block height out of range")
        precondition(
            certificate.height == header.height && certificate.blockID == header.id,
            "the certificate is for another block")
        precondition(
            transactions.count == Int(header.transactionCount) && results.count == transactions.count,
            "one result per transaction, as many as the header counts")
        precondition(
            zip(transactions, results).allSatisfy { $0.id == $1.id }, "results are in transaction order")
        let accepted = UInt64(results.filter(\.accepted).count)
        precondition(header.logSize >= accepted, "the log is smaller than the block's accepted transactions")
        precondition(
            logNodes.filter { $0.level == 0 }.count == Int(accepted), "one log leaf per accepted transaction")
        precondition(index.allSatisfy { $0.position < transactions.count }, "an index entry names no transaction")
        if let validatorChange {
            precondition(
                header.nextValidatorsHash != header.validatorsHash
                    && validatorChange.hash == header.nextValidatorsHash,
                "the header announces no change to this validator set")
        }
        self.header = header
        self.certificate = certificate
        self.transactions = transactions
        self.results = results
        self.changes = changes
        self.logNodes = logNodes
        self.index = index
        self.validatorChange = validatorChange
    }

    public var height: UInt64 { header.height }

    /// Each transaction's leaf index in the transparency log, nil when refused: accepted transactions take
    /// consecutive leaves, in block order, ending at the header's log size.
    public var logIndices: [UInt64?] {
        var next = header.logSize - UInt64(results.filter(\.accepted).count)
        return results.map { result in
            guard result.accepted else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
