/// The ledger's state root: a compressed binary sparse Merkle tree over a map from 32-byte key hashes to 32-byte
/// value hashes (the definition Diem and Aptos use). `contracts/state-root.md` is the normative text; in short:
///
/// - A key is a 256-bit string; bit `i` is bit `7 - i % 8` of byte `i / 8` (bit 0 is the MSB of byte 0).
/// - The hash of a subtree is a function of the set of entries whose keys start with the subtree's path:
///   - no entry: 32 zero bytes;
///   - exactly one entry `(k, v)`, wherever it sits: `SHA-256(0x00 || k || v)` (65 bytes in);
///   - two or more entries, at depth `d`: `SHA-256(0x01 || H(left) || H(right))`, where `left` holds the entries
///     whose key has bit `d` = 0 and `right` those with bit `d` = 1 (either side may be empty).
/// - The root is the hash of the whole map at depth 0, so the empty map's root is 32 zero bytes.
///
/// The root depends only on the set of `(key, value)` pairs, never on insertion order or batching. Two distinct
/// keys differ at some bit below 256, so a subtree with two or more entries sits at depth 255 at most and every
/// path, and every recursion here, is at most 256 levels deep.
///
/// The tree is a persistent value: nodes are immutable and shared, so `updating` returns a new tree that reuses
/// every untouched subtree and leaves the old one valid. An update re-hashes only the nodes on the changed keys'
/// paths, so a block's cost grows with the keys it touches, not with the size of the state.
public struct SparseMerkleTree: Sendable {
    let rootNode: Node

    /// The empty map, whose root is `Hash256.zero`.
    public init() {
        rootNode = .empty
    }

    init(rootNode: Node) {
        self.rootNode = rootNode
    }

    /// The commitment to the whole map (see the type's definition).
    public var root: Hash256 { rootNode.hash }

    /// Number of entries.
    public var count: Int { rootNode.count }

    public func value(for key: Hash256) -> Hash256? {
        var node = rootNode
        var depth = 0
        while true {
            switch node {
            case .empty:
                return nil
            case .leaf(let leaf):
                return leaf.key == key ? leaf.value : nil
            case .branch(let branch):
                node = key.bit(depth) ? branch.right : branch.left
                depth += 1
            }
        }
    }

    /// Applies a batch of changes; a `nil` value deletes the key (deleting an absent key does nothing).
    ///
    /// When a key appears more than once in `changes`, the last occurrence in input order wins, as if the
    /// changes were applied one after another. The batch is sorted and deduplicated, then applied in one descent
    /// that visits each affected path once; `self` is not modified and keeps sharing the untouched subtrees.
    public func updating(_ changes: [(key: Hash256, value: Hash256?)]) -> SparseMerkleTree {
        let normalized = Self.normalize(changes)
        return SparseMerkleTree(rootNode: Self.apply(normalized[...], to: rootNode, depth: 0))
    }

    /// In-place form of `updating(_:)`, with the same last-write-wins rule.
    public mutating func update(_ changes: [(key: Hash256, value: Hash256?)]) {
        self = updating(changes)
    }

    /// Builds a tree from a whole state in O(n) hashes (after an O(n log n) sort), for loading a snapshot.
    /// A key that appears twice is a programming error: a state never holds two values for one key.
    public static func build(entries: [(key: Hash256, value: Hash256)]) -> SparseMerkleTree {
        let sorted = entries.sorted { $0.key < $1.key }
        for index in sorted.indices.dropFirst() {
            precondition(sorted[index - 1].key != sorted[index].key, "duplicate key \(sorted[index].key)")
        }
        let leaves = sorted.map { Leaf(key: $0.key, value: $0.value) }
        return SparseMerkleTree(rootNode: Self.build(leaves[...], depth: 0))
    }

    /// A proof that `key` maps to its current value, or that it is absent: the sibling hashes along the key's
    /// path and the leaf (or emptiness) where that path ends.
    public func proof(for key: Hash256) -> SparseMerkleProof {
        var siblings: [Hash256] = []
        var node = rootNode
        var depth = 0
        while true {
            switch node {
            case .empty:
                return SparseMerkleProof(siblings: siblings, leaf: nil)
            case .leaf(let leaf):
                return SparseMerkleProof(siblings: siblings, leaf: .init(key: leaf.key, value: leaf.value))
            case .branch(let branch):
                let goesRight = key.bit(depth)
                siblings.append(goesRight ? branch.left.hash : branch.right.hash)
                node = goesRight ? branch.right : branch.left
                depth += 1
            }
        }
    }
}
