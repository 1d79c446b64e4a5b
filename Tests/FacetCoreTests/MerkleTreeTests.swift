import FacetCore
import FacetTestSupport
import Testing

@Suite struct MerkleTreeTests {
    typealias Support = MerkleTestSupport

    @Test func classicLeavesGiveThePublishedCertificateTransparencyRoot() throws {
        let data = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
        let leaves = try data.map { MerkleTree.leafHash(try #require(Hex.decode($0))) }
        let published = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
        let sha256OfNothing = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        #expect(MerkleTree.root(leafHashes: leaves).hex == published)
        #expect(MerkleTree.root(leafHashes: []).hex == sha256OfNothing)
    }

    @Test(arguments: Support.vectorCaseNames)
    func knownAnswers(caseName: String) throws {
        let vector = try Support.vectorCase(caseName)
        let data = try vector.leaves.map { try #require(Hex.decode($0)) }
        let leaves = data.map(MerkleTree.leafHash)
        #expect(leaves.map(\.hex) == vector.leafHashes)
        let roots = try Support.hashes(vector.roots)
        #expect(roots.count == leaves.count + 1)
        for (size, root) in roots.enumerated() {
            #expect(MerkleTree.root(leafHashes: Array(leaves[..<size])) == root, "\(caseName) size \(size)")
        }
        for item in vector.inclusion {
            let proof = MerkleTree.inclusionProof(index: item.index, leafHashes: Array(leaves[..<item.size]))
            #expect(proof.map(\.hex) == item.proof, "\(caseName) index \(item.index) size \(item.size)")
            let ok = MerkleTree.verifyInclusion(
                leafHash: leaves[item.index],
                index: item.index,
                treeSize: item.size,
                proof: try Support.hashes(item.proof),
                root: roots[item.size]
            )
            #expect(ok, "\(caseName) index \(item.index) size \(item.size)")
        }
        for item in vector.consistency {
            let proof = MerkleTree.consistencyProof(oldSize: item.oldSize, leafHashes: Array(leaves[..<item.newSize]))
            #expect(proof.map(\.hex) == item.proof, "\(caseName) \(item.oldSize) -> \(item.newSize)")
            let ok = MerkleTree.verifyConsistency(
                oldSize: item.oldSize,
                newSize: item.newSize,
                oldRoot: roots[item.oldSize],
                newRoot: roots[item.newSize],
                proof: try Support.hashes(item.proof)
            )
            #expect(ok, "\(caseName) \(item.oldSize) -> \(item.newSize)")
        }
    }

    @Test func edgeCasesAreRejected() {
        let leaves = (0..<5).map { MerkleTree.leafHash([UInt8($0)]) }
        let root = MerkleTree.root(leafHashes: leaves)
        let proof = MerkleTree.inclusionProof(index: 2, leafHashes: leaves)
        for (index, size) in [(-1, 5), (5, 5), (6, 5), (0, 0), (2, -1)] {
            #expect(!Self.included(leaves[2], index, size, proof, root), "index \(index) size \(size)")
        }
        // A one-leaf tree's root is its leaf hash and needs an empty proof, nothing more.
        #expect(Self.included(leaves[0], 0, 1, [], leaves[0]))
        #expect(!Self.included(leaves[0], 0, 1, [root], leaves[0]))

        let root3 = MerkleTree.root(leafHashes: Array(leaves[..<3]))
        let proof3to5 = MerkleTree.consistencyProof(oldSize: 3, leafHashes: leaves)
        #expect(Self.consistent(3, 5, root3, root, proof3to5))
        #expect(!Self.consistent(0, 5, MerkleTree.emptyRoot, root, proof3to5), "no proof from the empty tree")
        #expect(!Self.consistent(0, 5, MerkleTree.emptyRoot, root, []), "no proof from the empty tree")
        #expect(!Self.consistent(5, 3, root, root3, proof3to5), "old beyond new")
        #expect(!Self.consistent(3, 5, root3, root, []), "growth needs a proof")
        #expect(Self.consistent(5, 5, root, root, []))
        #expect(!Self.consistent(5, 5, root, root3, []), "same size, different roots")
        #expect(!Self.consistent(5, 5, root, root, proof3to5), "same size takes an empty proof")
        #expect(MerkleTree.consistencyProof(oldSize: 5, leafHashes: leaves).isEmpty)
    }

    @Test(arguments: Support.seeds)
    func inclusionProofsVerifyAndResistTampering(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for size in Support.sampleSizes(&rng) {
            let leaves = Support.randomLeaves(size, &rng)
            let root = MerkleTree.root(leafHashes: leaves)
            let positions = Support.samplePositions(0...size - 1, &rng)
            let tampered = [size - 1, positions[Int.random(in: positions.indices, using: &rng)]]
            for index in positions {
                let proof = MerkleTree.inclusionProof(index: index, leafHashes: leaves)
                let leaf = leaves[index]
                let context = "seed \(seed) size \(size) index \(index)"
                #expect(Self.included(leaf, index, size, proof, root), "\(context)")
                for other in [index - 1, index + 1, Int.random(in: 0..<size, using: &rng)] where other != index {
                    #expect(!Self.included(leaf, other, size, proof, root), "\(context) claimed index \(other)")
                }
                // A proof does not pin the tree size: it also passes for any size whose path from this leaf has the
                // same shape (e.g. leaf 0 of 3 and of 4), and must fail for every other.
                let otherSizes = [size - 1, size + 1, 2 * size, Int.random(in: 1...2 * size, using: &rng)]
                for other in otherSizes where other != size {
                    let expected = index < other && Self.pathShape(index, other) == Self.pathShape(index, size)
                    let ok = Self.included(leaf, index, other, proof, root)
                    #expect(ok == expected, "\(context) claimed size \(other)")
                }
                guard tampered.contains(index) else { continue }
                #expect(!Self.included(leaf, index, size, proof + [leaf], root), "\(context) extra entry")
                #expect(proof.isEmpty || !Self.included(leaf, index, size, proof.dropLast(), root), "\(context) short")
                let flips = Support.bitFlips(&rng)
                let badLeaf = flips.filter { Self.included(Support.flipped(leaf, bit: $0), index, size, proof, root) }
                let badRoot = flips.filter { Self.included(leaf, index, size, proof, Support.flipped(root, bit: $0)) }
                #expect(badLeaf.isEmpty && badRoot.isEmpty, "\(context) accepted flips \(badLeaf) \(badRoot)")
                for entry in proof.indices {
                    let accepted = flips.filter { bit in
                        var bad = proof
                        bad[entry] = Support.flipped(bad[entry], bit: bit)
                        return Self.included(leaf, index, size, bad, root)
                    }
                    #expect(accepted.isEmpty, "\(context) entry \(entry) accepted flips \(accepted)")
                }
            }
        }
    }

    @Test(arguments: Support.seeds)
    func consistencyProofsVerifyAndResistTampering(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for size in Support.sampleSizes(&rng) {
            let leaves = Support.randomLeaves(size, &rng)
            let newRoot = MerkleTree.root(leafHashes: leaves)
            let positions = Support.samplePositions(1...size, &rng)
            let tampered = [size - 1, size, positions[Int.random(in: positions.indices, using: &rng)]]
            for old in positions {
                let proof = MerkleTree.consistencyProof(oldSize: old, leafHashes: leaves)
                let oldRoot = MerkleTree.root(leafHashes: Array(leaves[..<old]))
                let context = "seed \(seed) \(old) -> \(size)"
                #expect(Self.consistent(old, size, oldRoot, newRoot, proof), "\(context)")
                // Like inclusion proofs, a consistency proof fits every size pair whose verification takes the same
                // steps; the sizes come from signed tree heads. Every other pair must fail.
                let others = [
                    (old - 1, size), (old + 1, size), (old, size - 1), (old, size + 1), (old, 2 * size),
                    (Int.random(in: 1...size, using: &rng), Int.random(in: 1...2 * size, using: &rng)),
                ]
                for (claimedOld, claimedNew) in others where (claimedOld, claimedNew) != (old, size) {
                    let expected = Self.consistencyAccepts(claimedOld, claimedNew, actual: old, size)
                    let ok = Self.consistent(claimedOld, claimedNew, oldRoot, newRoot, proof)
                    #expect(ok == expected, "\(context) claimed \(claimedOld) -> \(claimedNew)")
                }
                guard tampered.contains(old) else { continue }
                #expect(!Self.consistent(old, size, oldRoot, newRoot, proof + [oldRoot]), "\(context) extra entry")
                #expect(proof.isEmpty || !Self.consistent(old, size, oldRoot, newRoot, proof.dropLast()), "\(context)")
                let flips = Support.bitFlips(&rng)
                let badOld = flips.filter { bit in
                    Self.consistent(old, size, Support.flipped(oldRoot, bit: bit), newRoot, proof)
                }
                let badNew = flips.filter { bit in
                    Self.consistent(old, size, oldRoot, Support.flipped(newRoot, bit: bit), proof)
                }
                #expect(badOld.isEmpty && badNew.isEmpty, "\(context) accepted flips \(badOld) \(badNew)")
                for entry in proof.indices {
                    let accepted = flips.filter { bit in
                        var bad = proof
                        bad[entry] = Support.flipped(bad[entry], bit: bit)
                        return Self.consistent(old, size, oldRoot, newRoot, bad)
                    }
                    #expect(accepted.isEmpty, "\(context) entry \(entry) accepted flips \(accepted)")
                }
            }
        }
    }

    /// Inclusion check taking any slice of a proof, so tests can drop or add entries in place.
    static func included(_ leaf: Hash256, _ index: Int, _ size: Int, _ proof: some Sequence<Hash256>, _ root: Hash256)
        -> Bool
    {
        MerkleTree.verifyInclusion(leafHash: leaf, index: index, treeSize: size, proof: Array(proof), root: root)
    }

    /// Consistency check taking any slice of a proof.
    static func consistent(
        _ old: Int,
        _ new: Int,
        _ oldRoot: Hash256,
        _ newRoot: Hash256,
        _ proof: some Sequence<Hash256>
    ) -> Bool {
        MerkleTree.verifyConsistency(
            oldSize: old,
            newSize: new,
            oldRoot: oldRoot,
            newRoot: newRoot,
            proof: Array(proof)
        )
    }

    /// Which side the sibling is on (true: left) at each level from leaf `index` up to the root of a tree of `size`
    /// leaves, found by pairing neighbours bottom-up; levels where the ancestor has no sibling add nothing. This is
    /// an independent model of the hashing steps the RFC's verifier derives from its fn/sn arithmetic.
    static func pathShape(_ index: Int, _ size: Int) -> [Bool] {
        var shape: [Bool] = []
        var position = index
        var count = size
        while count > 1 {
            if position % 2 == 1 {
                shape.append(true)
            } else if position + 1 < count {
                shape.append(false)
            }
            position /= 2
            count = (count + 1) / 2
        }
        return shape
    }

    /// Whether the consistency proof for `old -> new` also passes for the claimed sizes: only when the verifier
    /// performs the same steps. It starts from the largest perfect subtree ending at the old size (level t =
    /// trailing zeros of old, seeded with the old root itself when old is a power of two) and then walks that
    /// subtree's path to the new root, so the steps are that path's shape plus the seeding rule.
    static func consistencyAccepts(_ claimedOld: Int, _ claimedNew: Int, actual old: Int, _ new: Int) -> Bool {
        guard claimedOld > 0, claimedOld <= claimedNew else { return false }
        // Equal claimed sizes demand an empty proof and equal roots, which only the actual old == new pair has.
        guard claimedOld != claimedNew, old != new else { return claimedOld == claimedNew && old == new }
        func steps(_ old: Int, _ new: Int) -> (seededWithOldRoot: Bool, shape: [Bool]) {
            let t = old.trailingZeroBitCount
            return (old & (old - 1) == 0, pathShape((old >> t) - 1, ((new - 1) >> t) + 1))
        }
        return steps(claimedOld, claimedNew) == steps(old, new)
    }
}
