/// Evidence that a key maps to a value, or is absent, under a `SparseMerkleTree` root, checkable without the tree.
///
/// The key's path from the root ends at depth `siblings.count` on either a leaf or an empty subtree. For a
/// member that leaf is the key's own; for a non-member it is a leaf with another key sharing that path prefix,
/// or nothing. Verification re-hashes from that end upwards using the key's bits to place each sibling.
public struct SparseMerkleProof: Sendable, Equatable {
    /// The single entry found where the key's path ends.
    public struct Leaf: Sendable, Equatable {
        public let key: Hash256
        public let value: Hash256

        public init(key: Hash256, value: Hash256) {
            self.key = key
            self.value = value
        }
    }

    /// Sibling hashes along the path, root first: `siblings[d]` is the hash of the child of the branch at depth
    /// `d` that the path does not enter.
    public let siblings: [Hash256]
    /// The leaf at the end of the path, or nil when the path ends in an empty subtree.
    public let leaf: Leaf?

    public init(siblings: [Hash256], leaf: Leaf?) {
        self.siblings = siblings
        self.leaf = leaf
    }

    /// True when this proof shows that, under `root`, `key` maps to `value` (or is absent when `value` is nil).
    public func verify(key: Hash256, value: Hash256?, root: Hash256) -> Bool {
        guard siblings.count <= 256 else { return false }
        var hash = Hash256.zero
        if let leaf {
            if let value {
                guard leaf.key == key && leaf.value == value else { return false }
            } else {
                // Another key's leaf only proves absence if it sits on this key's path.
                guard leaf.key != key && Self.sharePrefix(leaf.key, key, bits: siblings.count) else { return false }
            }
            hash = SparseMerkleTree.leafHash(key: leaf.key, value: leaf.value)
        } else if value != nil {
            return false
        }
        for depth in siblings.indices.reversed() {
            if key.bit(depth) {
                hash = SparseMerkleTree.branchHash(siblings[depth], hash)
            } else {
                hash = SparseMerkleTree.branchHash(hash, siblings[depth])
            }
        }
        return hash == root
    }

    private static func sharePrefix(_ a: Hash256, _ b: Hash256, bits: Int) -> Bool {
        (0..<bits).allSatisfy { a.bit($0) == b.bit($0) }
    }
}
