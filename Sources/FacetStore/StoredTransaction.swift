import FacetCore
import FacetLedger

/// A committed transaction read back by id, with where it sits: the block, its position, its result and, when
/// accepted, its leaf index in the transparency log (what an inclusion proof needs).
public struct StoredTransaction: Hashable, Sendable {
    public let id: TransactionID
    public let bytes: [UInt8]
    public let height: UInt64
    public let index: Int
    public let result: TransactionResult
    public let logIndex: UInt64?

    public init(
        id: TransactionID, bytes: [UInt8], height: UInt64, index: Int, result: TransactionResult, logIndex: UInt64?
    ) {
        self.id = id
        self.bytes = bytes
        self.height = height
        self.index = index
        self.result = result
        self.logIndex = logIndex
    }

    public func decoded() throws(StoreError) -> Transaction {
        try StoredRows.decode(Transaction.self, bytes, "transaction \(id)")
    }
}
