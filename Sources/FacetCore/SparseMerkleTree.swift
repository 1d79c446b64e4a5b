// TEMPORARY SHIM — replaced by the real tree from the wt-smt branch.
public struct SparseMerkleTree: Sendable {
    var map: [Hash256: Hash256] = [:]
    public init() {}
    public var root: Hash256 { map.keys.sorted().reduce(Hash256.zero) { SHA256Hash.node(prefix: 1, $0, $1) } }
    public func updating(_ changes: [(key: Hash256, value: Hash256?)]) -> SparseMerkleTree {
        var copy = self
        for change in changes { copy.map[change.key] = change.value }
        return copy
    }
    public static func build(entries: [(key: Hash256, value: Hash256)]) -> SparseMerkleTree {
        var tree = SparseMerkleTree()
        for e in entries { tree.map[e.key] = e.value }
        return tree
    }
}
