extension SparseMerkleTree {
    /// A change after normalization: one per key, sorted by key; `leaf == nil` deletes the key.
    typealias Change = (key: Hash256, leaf: Leaf?)

    /// Sorts by key and keeps only the last change per key in input order (ties are broken by input position,
    /// so the result never depends on the sort's stability).
    static func normalize(_ changes: [(key: Hash256, value: Hash256?)]) -> [Change] {
        let order = changes.indices.sorted { a, b in
            changes[a].key == changes[b].key ? a < b : changes[a].key < changes[b].key
        }
        var normalized: [Change] = []
        normalized.reserveCapacity(order.count)
        for (position, index) in order.enumerated() {
            let change = changes[index]
            if position + 1 < order.count && changes[order[position + 1]].key == change.key { continue }
            normalized.append((change.key, change.value.map { Leaf(key: change.key, value: $0) }))
        }
        return normalized
    }

    /// Applies sorted, unique `changes` whose keys all lie under `node`'s path (the first `depth` bits), walking
    /// only the branches that changes fall into. A subtree whose hash comes back unchanged is reused as it was.
    static func apply(_ changes: ArraySlice<Change>, to node: Node, depth: Int) -> Node {
        guard !changes.isEmpty else { return node }
        switch node {
        case .empty:
            return build(merging(changes, into: nil)[...], depth: depth)
        case .leaf(let leaf):
            return build(merging(changes, into: leaf)[...], depth: depth)
        case .branch(let branch):
            precondition(depth < 256, "a branch below depth 255 cannot exist")
            let split = splitIndex(changes, depth: depth) { $0.key }
            let left = apply(changes[..<split], to: branch.left, depth: depth + 1)
            let right = apply(changes[split...], to: branch.right, depth: depth + 1)
            if left.hash == branch.left.hash && right.hash == branch.right.hash { return node }
            return Node.join(left, right)
        }
    }

    /// The entries of a subtree that held at most `existing`, after `changes`: sorted, unique, deletions dropped.
    private static func merging(_ changes: ArraySlice<Change>, into existing: Leaf?) -> [Leaf] {
        var leaves: [Leaf] = []
        leaves.reserveCapacity(changes.count + 1)
        var pending = existing
        for change in changes {
            if let leaf = pending, leaf.key <= change.key {
                if leaf.key < change.key { leaves.append(leaf) }
                pending = nil
            }
            if let leaf = change.leaf { leaves.append(leaf) }
        }
        if let leaf = pending { leaves.append(leaf) }
        return leaves
    }

    /// Builds the canonical subtree over sorted, distinct leaves sharing their first `depth` bits.
    static func build(_ leaves: ArraySlice<Leaf>, depth: Int) -> Node {
        switch leaves.count {
        case 0:
            return .empty
        case 1:
            return .leaf(leaves[leaves.startIndex])
        default:
            precondition(depth < 256, "two or more distinct keys always differ before bit 256")
            let split = splitIndex(leaves, depth: depth) { $0.key }
            let left = build(leaves[..<split], depth: depth + 1)
            let right = build(leaves[split...], depth: depth + 1)
            return .branch(Branch(left: left, right: right))
        }
    }

    /// First index whose key has bit `depth` set; items are sorted and share their first `depth` bits, so the
    /// bit is monotone over them and a binary search finds the boundary.
    private static func splitIndex<T>(_ items: ArraySlice<T>, depth: Int, key: (T) -> Hash256) -> Int {
        var low = items.startIndex
        var high = items.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if key(items[middle]).bit(depth) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
