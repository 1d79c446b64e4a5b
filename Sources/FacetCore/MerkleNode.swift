/// The hash of a perfect subtree: 2^`level` leaves starting at leaf `index << level` (level 0 is a leaf hash).
/// Perfect subtrees never change once complete, so they are what a storage layer persists and later serves to
/// the node-reading proof functions in `MerkleTree+Nodes.swift`.
public struct MerkleNode: Sendable, Hashable {
    public let level: Int
    public let index: Int
    public let hash: Hash256

    public init(level: Int, index: Int, hash: Hash256) {
        precondition(level >= 0 && level < Int.bitWidth - 1 && index >= 0, "no node (\(level), \(index))")
        self.level = level
        self.index = index
        self.hash = hash
    }
}
