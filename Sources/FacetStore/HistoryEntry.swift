import FacetCore
import FacetLedger

/// One transaction in a subject's history, as the history index answers it, without reading the transaction.
public struct HistoryEntry: Hashable, Sendable {
    public let height: UInt64
    /// Position of the transaction in its block.
    public let index: Int
    public let time: Timestamp
    public let transactionID: TransactionID
    /// `TransactionBody.tag`; `kindName` names it.
    public let kind: UInt8
    public let accepted: Bool

    public init(height: UInt64, index: Int, time: Timestamp, transactionID: TransactionID, kind: UInt8, accepted: Bool)
    {
        self.height = height
        self.index = index
        self.time = time
        self.transactionID = transactionID
        self.kind = kind
        self.accepted = accepted
    }

    /// The kind's stable name (`register_piece`, …), as `TransactionKindName` spells it.
    public var kindName: String { TransactionKindName(tag: kind).description }
}
