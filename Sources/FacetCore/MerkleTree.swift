/// RFC 9162 §2.1 Merkle trees over whole lists of leaf hashes: the tree behind the ledger's transparency log.
///
/// These functions hash every leaf they are given, so they suit one-off computations and serve as the reference
/// the incremental `MerkleLog` is tested against; `MerkleTree+Nodes.swift` builds the same roots and proofs from
/// stored perfect-subtree nodes in O(log n). Verification is the RFC's algorithm verbatim, so a proof made here
/// is checked the same way by any RFC 9162 client.
public enum MerkleTree {
    /// Verification rejects longer proofs outright: a tree with at most 2^63 leaves never needs more than 64
    /// entries, so anything longer is malformed and not worth hashing.
    public static let maxProofLength = 64

    /// MTH of the empty list: SHA-256 of the empty string.
    public static let emptyRoot = SHA256Hash.digest([])

    /// `SHA-256(0x00 || data)`; the prefix keeps a leaf from ever being taken for an interior node.
    public static func leafHash(_ data: [UInt8]) -> Hash256 {
        SHA256Hash.digest(parts: [0x00], data)
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func nodeHash(_ left: Hash256, _ right: Hash256) -> Hash256 {
        SHA256Hash.node(prefix: 0x01, left, right)
    }

    /// MTH over all of `leafHashes`, pairing neighbours level by level in place. Carrying an unpaired last node up
    /// unchanged builds exactly the RFC's tree (split at the largest power of two below n) without recursion.
    public static func root(leafHashes: [Hash256]) -> Hash256 {
        guard !leafHashes.isEmpty else { return emptyRoot }
        var nodes = leafHashes
        var count = nodes.count
        while count > 1 {
            count = combineLevel(&nodes, count: count)
        }
        return nodes[0]
    }

    /// PATH(index, D[n]) of §2.1.3.1, lowest sibling first, built bottom-up: at each level the sibling of the
    /// leaf's ancestor is the proof entry, and an ancestor without a sibling (carried up) adds none.
    public static func inclusionProof(index: Int, leafHashes: [Hash256]) -> [Hash256] {
        precondition(index >= 0 && index < leafHashes.count, "leaf \(index) outside a tree of \(leafHashes.count)")
        var proof: [Hash256] = []
        var nodes = leafHashes
        var count = nodes.count
        var position = index
        while count > 1 {
            let sibling = position ^ 1
            if sibling < count { proof.append(nodes[sibling]) }
            count = combineLevel(&nodes, count: count)
            position >>= 1
        }
        return proof
    }

    /// PROOF(oldSize, D[n]) of §2.1.4.1. The RFC defines it only for `0 < oldSize <= n` (there is nothing to be
    /// consistent with at size 0), so any other `oldSize` is a caller bug and stops the process; `oldSize == n`
    /// gives the empty proof.
    public static func consistencyProof(oldSize: Int, leafHashes: [Hash256]) -> [Hash256] {
        precondition(oldSize > 0 && oldSize <= leafHashes.count, "no consistency proof from \(oldSize)")
        return subproof(oldSize, leafHashes[...], complete: true)
    }

    /// §2.1.3.2, step for step. `true` proves `leafHash` is leaf `index` of the tree of `treeSize` leaves with
    /// `root`. The proof alone does not pin the size (one hash path can fit several sizes), so `root` and
    /// `treeSize` must come together from a signed tree head.
    public static func verifyInclusion(
        leafHash: Hash256,
        index: Int,
        treeSize: Int,
        proof: [Hash256],
        root: Hash256
    ) -> Bool {
        guard index >= 0, index < treeSize, proof.count <= maxProofLength else { return false }
        var fn = index
        var sn = treeSize - 1
        var result = leafHash
        for entry in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(entry, result)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                result = nodeHash(result, entry)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && result == root
    }

    /// §2.1.4.2, step for step, for `0 < oldSize < newSize`. Equal sizes are consistent exactly when the roots are
    /// equal and the proof is empty. `oldSize == 0` is rejected: RFC 9162 defines no proof from the empty tree, and
    /// accepting one would let any root pass as an extension of nothing.
    public static func verifyConsistency(
        oldSize: Int,
        newSize: Int,
        oldRoot: Hash256,
        newRoot: Hash256,
        proof: [Hash256]
    ) -> Bool {
        guard oldSize > 0, oldSize <= newSize, proof.count <= maxProofLength else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }
        let path = oldSize & (oldSize - 1) == 0 ? [oldRoot] + proof : proof
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldResult = path[0]
        var newResult = path[0]
        for entry in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldResult = nodeHash(entry, oldResult)
                newResult = nodeHash(entry, newResult)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newResult = nodeHash(newResult, entry)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldResult == oldRoot && newResult == newRoot
    }

    /// The `k` of the RFC's split: the largest power of two strictly below `n` (for `n >= 2`).
    static func largestPowerOfTwo(below n: Int) -> Int {
        precondition(n >= 2)
        return 1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    /// Replaces `nodes[0..<count]` by their parents (an odd last node moves up as is); returns the new count.
    private static func combineLevel(_ nodes: inout [Hash256], count: Int) -> Int {
        for left in stride(from: 0, to: count - 1, by: 2) {
            nodes[left / 2] = nodeHash(nodes[left], nodes[left + 1])
        }
        if count % 2 == 1 { nodes[count / 2] = nodes[count - 1] }
        return (count + 1) / 2
    }

    /// SUBPROOF(m, D, b) of §2.1.4.1, recursing at most once per level (depth <= 64); each level hashes the half it
    /// does not descend into, so the whole proof costs O(n) hashes.
    private static func subproof(_ m: Int, _ leaves: ArraySlice<Hash256>, complete: Bool) -> [Hash256] {
        if m == leaves.count { return complete ? [] : [root(leafHashes: Array(leaves))] }
        let k = largestPowerOfTwo(below: leaves.count)
        let split = leaves.startIndex + k
        if m <= k {
            return subproof(m, leaves[..<split], complete: complete) + [root(leafHashes: Array(leaves[split...]))]
        }
        return subproof(m - k, leaves[split...], complete: false) + [root(leafHashes: Array(leaves[..<split]))]
    }
}
