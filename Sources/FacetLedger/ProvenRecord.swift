import FacetCore

/// What a verified proof bundle establishes: this transaction, signed by this member, is leaf `logIndex` of the
/// transparency log committed by the block at `height`, which a quorum of validators traced from genesis signed.
public struct ProvenRecord: Hashable, Sendable, CustomStringConvertible {
    public let transactionID: TransactionID
    /// `TransactionBody.kind.description`, such as `register_piece`.
    public let kind: String
    public let signer: MemberID
    public let chainID: Label
    public let height: UInt64
    public let time: Timestamp
    public let blockID: Hash256
    public let logIndex: UInt64
    /// The decoded transaction, so a caller can show or check the body's fields.
    public let transaction: Transaction

    public init(transaction: Transaction, header: BlockHeader, logIndex: UInt64) {
        self.transactionID = transaction.id
        self.kind = transaction.body.kind.description
        self.signer = transaction.signer
        self.chainID = header.chainID
        self.height = header.height
        self.time = header.time
        self.blockID = header.id
        self.logIndex = logIndex
        self.transaction = transaction
    }

    /// One line for a person: which transaction, of what kind, by whom, where it sits.
    public var description: String {
        "transaction \(transactionID.hex) (\(kind)) by member \(signer.hex) committed at height \(height), "
            + "log index \(logIndex)"
    }
}
