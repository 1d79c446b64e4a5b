import FacetCore
import FacetLedger

/// A block's worth of generated history: the transactions, in order, and the time the block is meant to carry.
public struct DemoBlock: Sendable {
    public let time: Timestamp
    public let transactions: [Transaction]
}

/// One month of generated history, block by block.
public struct HistoryMonth: Sendable {
    public let index: Int
    public let blocks: [DemoBlock]

    public var transactionCount: Int { blocks.reduce(0) { $0 + $1.transactions.count } }
}
