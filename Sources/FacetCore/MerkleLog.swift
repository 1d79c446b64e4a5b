/// The ledger's append-only transparency log over every committed transaction, held in memory.
///
/// It keeps every perfect-subtree hash (about two per leaf), so the root at any past or present size, inclusion
/// proofs at any size and consistency proofs between any two sizes each take O(log n) node reads, never a pass
/// over the leaves. `append` hands back the nodes it completes so a storage layer can persist them and later
/// answer the same questions through the node-reading functions of `MerkleTree+Nodes.swift`.
public struct MerkleLog: Sendable {
    /// `levels[level][index]` is the perfect subtree of 2^level leaves starting at leaf `index << level`;
    /// invariant: `levels[level].count == size >> level`.
    private var levels: [[Hash256]] = []

    public init() {}

    /// Number of leaves appended so far.
    public var size: Int { levels.first?.count ?? 0 }

    /// MTH of the whole log.
    public var root: Hash256 { root(size: size) }

    /// Adds a leaf hash (see `MerkleTree.leafHash`) and returns the perfect nodes this completes, leaf first:
    /// the leaf itself, then one parent for each level at which the new leaf closes a pair.
    @discardableResult
    public mutating func append(leafHash: Hash256) -> [MerkleNode] {
        var completed: [MerkleNode] = []
        var level = 0
        var index = size
        var hash = leafHash
        while true {
            if levels.count == level { levels.append([]) }
            levels[level].append(hash)
            completed.append(MerkleNode(level: level, index: index, hash: hash))
            guard index & 1 == 1 else { return completed }
            hash = MerkleTree.nodeHash(levels[level][index - 1], hash)
            level += 1
            index >>= 1
        }
    }

    /// MTH of the first `size` leaves, for any `size` up to the current one.
    public func root(size: Int) -> Hash256 {
        precondition(size <= self.size, "size \(size) beyond the log's \(self.size)")
        return MerkleTree.root(size: size, node: node)
    }

    /// Inclusion proof for leaf `index` in the tree of the first `size` leaves.
    public func inclusionProof(index: Int, size: Int) -> [Hash256] {
        precondition(size <= self.size, "size \(size) beyond the log's \(self.size)")
        return MerkleTree.inclusionProof(index: index, size: size, node: node)
    }

    /// Consistency proof from the tree of `oldSize` leaves to the tree of `newSize` leaves, `0 < oldSize <= newSize`.
    public func consistencyProof(oldSize: Int, newSize: Int) -> [Hash256] {
        precondition(newSize <= size, "size \(newSize) beyond the log's \(size)")
        return MerkleTree.consistencyProof(oldSize: oldSize, newSize: newSize, node: node)
    }

    private func node(level: Int, index: Int) -> Hash256 {
        levels[level][index]
    }
}
