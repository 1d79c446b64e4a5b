/// The right edge of a Merkle tree: the roots of its perfect subtrees, one per set bit of `size`.
///
/// This is all the ledger state needs to carry to extend the transparency log and know its root: at most 64
/// hashes, O(1) amortised per append, while the full node set lives in storage (`MerkleLog`).
public struct MerkleFrontier: Sendable, Hashable {
    /// Perfect subtree roots from the leftmost (largest) to the rightmost (smallest).
    public private(set) var subtrees: [Hash256] = []

    /// Number of leaves appended so far.
    public private(set) var size = 0

    public init() {}

    /// Restores a frontier from its perfect subtree roots, largest first (one per set bit of `size`): what a
    /// store reads back from its persisted log nodes, so a restarting node never replays the leaves.
    public init(size: Int, subtrees: [Hash256]) {
        precondition(
            size >= 0 && subtrees.count == size.nonzeroBitCount, "a frontier of \(size) has one root per set bit")
        self.size = size
        self.subtrees = subtrees
    }

    /// Where each subtree root of a frontier of `size` leaves sits as a perfect node (level, index), largest
    /// first: the positions a store reads to restore the frontier.
    public static func subtreePositions(size: Int) -> [(level: Int, index: Int)] {
        precondition(size >= 0, "negative frontier size \(size)")
        var positions = [(level: Int, index: Int)]()
        var start = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where (size >> level) & 1 == 1 {
            positions.append((level: level, index: start >> level))
            start += 1 << level
        }
        return positions
    }

    /// The perfect nodes that appending `leafHash` completes, leaf first, exactly as `MerkleLog.append` returns
    /// them; then appends it. Lets a node that only carries the frontier hand its store the new log nodes.
    public mutating func appendReturningNodes(leafHash: Hash256) -> [MerkleNode] {
        let index = size
        var nodes = [MerkleNode(level: 0, index: index, hash: leafHash)]
        var carry = leafHash
        var level = 0
        while (index >> level) & 1 == 1 {
            carry = MerkleTree.nodeHash(subtrees[subtrees.count - 1 - level], carry)
            level += 1
            nodes.append(MerkleNode(level: level, index: index >> level, hash: carry))
        }
        append(leafHash: leafHash)
        precondition(subtrees.last == carry, "frontier and node computation disagree")
        return nodes
    }

    /// Adds a leaf hash (see `MerkleTree.leafHash`), merging equal-sized subtrees as a binary counter carries.
    public mutating func append(leafHash: Hash256) {
        precondition(size < Int.max, "Merkle frontier is full")
        var carry = leafHash
        var level = 0
        while (size >> level) & 1 == 1 {
            carry = MerkleTree.nodeHash(subtrees.removeLast(), carry)
            level += 1
        }
        subtrees.append(carry)
        size += 1
    }

    /// MTH of all leaves appended: the subtrees folded from the right.
    public var root: Hash256 {
        guard var result = subtrees.last else { return MerkleTree.emptyRoot }
        for subtree in subtrees.dropLast().reversed() {
            result = MerkleTree.nodeHash(subtree, result)
        }
        return result
    }
}
