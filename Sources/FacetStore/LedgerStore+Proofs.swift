import FacetCore

extension LedgerStore {
    /// RFC 9162 inclusion proof of log leaf `index` in the log of `size` leaves, from stored nodes.
    public func inclusionProof(index: Int, size: Int) async throws(StoreError) -> [Hash256] {
        try await checkLogSize(size, "leaf \(index) outside a log of \(size)", valid: index >= 0 && index < size)
        let nodes = try await logNodes(for: { node in
            _ = MerkleTree.inclusionProof(index: index, size: size, node: node)
        })
        return MerkleTree.inclusionProof(index: index, size: size, node: { nodes[Position($0, $1)] ?? .zero })
    }

    /// RFC 9162 consistency proof between two sizes of the log, from stored nodes.
    public func consistencyProof(oldSize: Int, newSize: Int) async throws(StoreError) -> [Hash256] {
        try await checkLogSize(
            newSize, "no consistency proof from \(oldSize) to \(newSize)", valid: oldSize > 0 && oldSize <= newSize)
        let nodes = try await logNodes(for: { node in
            _ = MerkleTree.consistencyProof(oldSize: oldSize, newSize: newSize, node: node)
        })
        return MerkleTree.consistencyProof(
            oldSize: oldSize, newSize: newSize, node: { nodes[Position($0, $1)] ?? .zero })
    }

    /// The log's root at `size`, from stored nodes.
    public func logRoot(size: Int) async throws(StoreError) -> Hash256 {
        try await checkLogSize(size, "negative log size", valid: size >= 0)
        let nodes = try await logNodes(for: { node in _ = MerkleTree.root(size: size, node: node) })
        return MerkleTree.root(size: size, node: { nodes[Position($0, $1)] ?? .zero })
    }

    /// Refuses arguments the proof functions would stop the process on, and sizes beyond the stored log.
    private func checkLogSize(_ size: Int, _ reason: String, valid: Bool) async throws(StoreError) {
        guard valid else { throw StoreError(.invalidRequest, reason) }
        let stored = try await head()?.logSize ?? 0
        guard UInt64(size) <= stored else {
            throw StoreError(.invalidRequest, "log size \(size) is beyond the stored log's \(stored)")
        }
    }

    /// The proof functions read nodes synchronously and the store answers asynchronously, so each proof runs
    /// twice: once to learn which nodes it reads (a dry run on placeholder hashes: the positions never depend
    /// on the hashes), once on the nodes fetched in between.
    private func logNodes(for computation: ((Int, Int) -> Hash256) -> Void) async throws(StoreError)
        -> [Position: Hash256]
    {
        var wanted = [Position]()
        computation { level, index in
            wanted.append(Position(level, index))
            return .zero
        }
        var nodes = [Position: Hash256]()
        for position in wanted where nodes[position] == nil {
            guard let hash = try await logNode(level: position.level, index: position.index) else {
                throw StoreError(.corrupt, "log node (\(position.level), \(position.index)) is missing")
            }
            nodes[position] = hash
        }
        return nodes
    }
}

private struct Position: Hashable {
    let level: Int
    let index: Int

    init(_ level: Int, _ index: Int) {
        self.level = level
        self.index = index
    }
}
