extension SparseMerkleTree {
    /// Domain separators, so a leaf hash can never be read as an internal node's hash or the reverse.
    static let leafPrefix: UInt8 = 0x00
    static let branchPrefix: UInt8 = 0x01

    static func leafHash(key: Hash256, value: Hash256) -> Hash256 {
        SHA256Hash.node(prefix: leafPrefix, key, value)
    }

    static func branchHash(_ left: Hash256, _ right: Hash256) -> Hash256 {
        SHA256Hash.node(prefix: branchPrefix, left, right)
    }

    /// A subtree in canonical form: a subtree with one entry is always `.leaf`, never a branch over it, so the
    /// stored shape is exactly the one the definition hashes. Payloads are immutable classes, which is what lets
    /// trees share subtrees.
    enum Node: Sendable {
        case empty
        case leaf(Leaf)
        case branch(Branch)

        var hash: Hash256 {
            switch self {
            case .empty: .zero
            case .leaf(let leaf): leaf.hash
            case .branch(let branch): branch.hash
            }
        }

        var count: Int {
            switch self {
            case .empty: 0
            case .leaf: 1
            case .branch(let branch): branch.count
            }
        }

        /// The canonical parent of two sibling subtrees: a lone leaf moves up in place of a branch over it.
        static func join(_ left: Node, _ right: Node) -> Node {
            switch (left, right) {
            case (.empty, .empty): .empty
            case (.leaf, .empty): left
            case (.empty, .leaf): right
            default: .branch(Branch(left: left, right: right))
            }
        }
    }

    /// One entry; its hash is cached because every re-hash of an ancestor reads it.
    final class Leaf: Sendable {
        let key: Hash256
        let value: Hash256
        let hash: Hash256

        init(key: Hash256, value: Hash256) {
            self.key = key
            self.value = value
            hash = SparseMerkleTree.leafHash(key: key, value: value)
        }
    }

    /// A subtree with two or more entries; the count is kept so `SparseMerkleTree.count` costs nothing.
    final class Branch: Sendable {
        let left: Node
        let right: Node
        let hash: Hash256
        let count: Int

        init(left: Node, right: Node) {
            count = left.count + right.count
            precondition(count >= 2, "a branch over fewer than two entries is not canonical")
            self.left = left
            self.right = right
            hash = SparseMerkleTree.branchHash(left.hash, right.hash)
        }
    }
}
