import FacetCore
import FacetTestSupport
import Testing

@Suite struct MerkleLogTests {
    typealias Support = MerkleTestSupport

    @Test(arguments: Support.vectorCaseNames)
    func knownAnswers(caseName: String) throws {
        let vector = try Support.vectorCase(caseName)
        var log = MerkleLog()
        var frontier = MerkleFrontier()
        for leaf in try Support.hashes(vector.leafHashes) {
            log.append(leafHash: leaf)
            frontier.append(leafHash: leaf)
            #expect(frontier.root.hex == vector.roots[frontier.size], "\(caseName) frontier size \(frontier.size)")
        }
        for (size, root) in vector.roots.enumerated() {
            #expect(log.root(size: size).hex == root, "\(caseName) size \(size)")
        }
        for item in vector.inclusion {
            let proof = log.inclusionProof(index: item.index, size: item.size)
            #expect(proof.map(\.hex) == item.proof, "\(caseName) index \(item.index) size \(item.size)")
        }
        for item in vector.consistency {
            let proof = log.consistencyProof(oldSize: item.oldSize, newSize: item.newSize)
            #expect(proof.map(\.hex) == item.proof, "\(caseName) \(item.oldSize) -> \(item.newSize)")
        }
    }

    /// The log, the frontier and a from-scratch `MerkleTree` agree on the root at every size. At every past size the
    /// log's proofs (all of them for small sizes, a sample for larger) verify, and match the tree's: at every size
    /// for one random leaf, at the sample sizes for every position checked.
    @Test(arguments: Support.seeds)
    func agreesWithTreeAtEverySize(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let leaves = Support.randomLeaves(300, &rng)
        let sampled = Set(Support.sampleSizes(&rng))
        var log = MerkleLog()
        var frontier = MerkleFrontier()
        #expect(log.root == MerkleTree.emptyRoot && frontier.root == MerkleTree.emptyRoot)
        var roots = [MerkleTree.emptyRoot]
        for leaf in leaves {
            log.append(leafHash: leaf)
            frontier.append(leafHash: leaf)
            let size = roots.count
            let expected = MerkleTree.root(leafHashes: Array(leaves[..<size]))
            #expect(log.size == size && frontier.size == size, "seed \(seed) size \(size)")
            #expect(log.root == expected && frontier.root == expected, "seed \(seed) size \(size)")
            #expect(frontier.subtrees.count == size.nonzeroBitCount, "seed \(seed) size \(size)")
            roots.append(expected)
        }
        for size in 0...leaves.count {
            #expect(log.root(size: size) == roots[size], "seed \(seed) size \(size)")
        }
        for size in 1...leaves.count {
            let prefix = Array(leaves[..<size])
            let positions = Support.samplePositions(1...size, &rng)
            let spot = positions[Int.random(in: positions.indices, using: &rng)]
            for position in positions {
                let context = "seed \(seed) size \(size) position \(position)"
                let index = position - 1
                let inclusion = log.inclusionProof(index: index, size: size)
                let included = MerkleTree.verifyInclusion(
                    leafHash: leaves[index],
                    index: index,
                    treeSize: size,
                    proof: inclusion,
                    root: roots[size]
                )
                #expect(included, "\(context)")
                let consistency = log.consistencyProof(oldSize: position, newSize: size)
                let consistent = MerkleTree.verifyConsistency(
                    oldSize: position,
                    newSize: size,
                    oldRoot: roots[position],
                    newRoot: roots[size],
                    proof: consistency
                )
                #expect(consistent, "\(context)")
                guard sampled.contains(size) || position == spot else { continue }
                #expect(inclusion == MerkleTree.inclusionProof(index: index, leafHashes: prefix), "\(context)")
                #expect(consistency == MerkleTree.consistencyProof(oldSize: position, leafHashes: prefix), "\(context)")
            }
        }
    }

    /// `append` reports each perfect subtree the moment it completes, and those nodes alone, read back through the
    /// node-reader functions as a database would serve them, reproduce the log's roots and proofs.
    @Test(arguments: Support.seeds)
    func appendedNodesServeProofs(seed: UInt64) throws {
        struct MissingNode: Error {}
        struct Key: Hashable {
            let level: Int
            let index: Int
        }
        var rng = SeededRandom(seed: seed)
        let leaves = Support.randomLeaves(Int.random(in: 1...300, using: &rng), &rng)
        var log = MerkleLog()
        var stored: [Key: Hash256] = [:]
        for (position, leaf) in leaves.enumerated() {
            let nodes = log.append(leafHash: leaf)
            #expect(nodes.count == 1 + (~position).trailingZeroBitCount, "seed \(seed) leaf \(position)")
            for (level, node) in nodes.enumerated() {
                let range = (node.index << level)..<((node.index + 1) << level)
                #expect(node.level == level && range.upperBound == position + 1, "seed \(seed) leaf \(position)")
                #expect(node.hash == MerkleTree.root(leafHashes: Array(leaves[range])), "seed \(seed) leaf \(position)")
                #expect(stored.updateValue(node.hash, forKey: Key(level: level, index: node.index)) == nil)
            }
        }
        #expect(stored.count == 2 * leaves.count - leaves.count.nonzeroBitCount, "seed \(seed)")
        let read = { (level: Int, index: Int) throws -> Hash256 in
            guard let hash = stored[Key(level: level, index: index)] else { throw MissingNode() }
            return hash
        }
        for size in 1...leaves.count {
            let index = Int.random(in: 0..<size, using: &rng)
            let old = Int.random(in: 1...size, using: &rng)
            let context = "seed \(seed) size \(size) index \(index) old \(old)"
            #expect(try MerkleTree.root(size: size, node: read) == log.root(size: size), "\(context)")
            let inclusion = try MerkleTree.inclusionProof(index: index, size: size, node: read)
            #expect(inclusion == log.inclusionProof(index: index, size: size), "\(context)")
            let consistency = try MerkleTree.consistencyProof(oldSize: old, newSize: size, node: read)
            #expect(consistency == log.consistencyProof(oldSize: old, newSize: size), "\(context)")
        }
        // The root of the full log always reads the smallest subtree on its right edge.
        let level = leaves.count.trailingZeroBitCount
        stored[Key(level: level, index: (leaves.count >> level) - 1)] = nil
        #expect(throws: MissingNode.self) { try MerkleTree.root(size: leaves.count, node: read) }
    }
}
