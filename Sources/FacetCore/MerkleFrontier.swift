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
