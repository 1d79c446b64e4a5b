import FacetCore
import FacetLedger
import FacetNode
import FacetStore

/// What the validators of `facet bench consensus` committed, learnt by polling: when each node's head first
/// reached each height, and (from the first node's store) which height holds each submitted invoice. Blocks are
/// the same at a height on every node, so "invoice i committed on node v" is "node v reached height(i)".
/// Owned by the one task that polls.
package struct CommitWatch {
    package struct Block {
        package let height: UInt64
        package let transactions: Int
        package let round: UInt32
    }

    package let nodes: [LedgerNode]
    /// Invoice id → its index in the stream.
    package let index: [TransactionID: Int]
    /// Per node, the instant its head was first seen at each height above the starting one.
    package private(set) var reachedAt: [[UInt64: ContinuousClock.Instant]]
    package private(set) var heads: [UInt64]
    /// Per invoice, the height of the block that holds it (nil until committed).
    package private(set) var height: [UInt64?]
    package private(set) var committed = 0
    package private(set) var refused: [String: Int] = [:]
    package private(set) var blocks: [Block] = []
    package let startHeight: UInt64

    package init(nodes: [LedgerNode], invoices: [TransactionID], startHeights: [UInt64]) {
        self.nodes = nodes
        var index = [TransactionID: Int](minimumCapacity: invoices.count)
        for (position, id) in invoices.enumerated() { index[id] = position }
        self.index = index
        reachedAt = Array(repeating: [:], count: nodes.count)
        heads = startHeights
        startHeight = startHeights[0]
        height = Array(repeating: nil, count: invoices.count)
    }

    /// Reads every node's head, and the first node's new blocks. Returns whether any head moved.
    package mutating func poll(now: ContinuousClock.Instant) async throws -> Bool {
        var moved = false
        for (position, node) in nodes.enumerated() {
            let head = await node.head.height
            guard head > heads[position] else { continue }
            moved = true
            for reached in (heads[position] + 1)...head { reachedAt[position][reached] = now }
            if position == 0 { try await read(node: node, heights: (heads[0] + 1)...head) }
            heads[position] = head
        }
        return moved
    }

    private mutating func read(node: LedgerNode, heights: ClosedRange<UInt64>) async throws {
        for blockHeight in heights {
            guard let block = try await node.store.block(at: blockHeight) else {
                preconditionFailure("the head is at or above \(blockHeight), so the store holds it")
            }
            blocks.append(
                Block(height: blockHeight, transactions: block.transactions.count, round: block.certificate.round))
            for result in block.results {
                guard let position = index[result.id] else { continue }
                height[position] = blockHeight
                committed += 1
                if let error = result.error { refused[error.code.rawValue, default: 0] += 1 }
            }
        }
    }

    /// Whether every invoice is committed on the first node and every node reached the highest of their blocks.
    package var allCommittedEverywhere: Bool {
        guard committed == height.count else { return false }
        let top = blocks.last?.height ?? startHeight
        return heads.allSatisfy { $0 >= top }
    }

    /// When invoice `position` was seen committed on node `node`.
    package func commitInstant(_ position: Int, on node: Int) -> ContinuousClock.Instant? {
        guard let blockHeight = height[position] else { return nil }
        return reachedAt[node][blockHeight]
    }
}
