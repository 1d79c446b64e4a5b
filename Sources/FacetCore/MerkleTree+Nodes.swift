/// Roots and proofs read from stored perfect subtrees instead of leaves, so a log of any size answers in
/// O(log n) node reads and hashes.
///
/// `node(level, index)` must return the hash of the perfect subtree of 2^level leaves starting at leaf
/// `index << level` (see `MerkleNode`); these functions only ask for nodes lying wholly inside the requested size.
/// The reader may throw (a database read failing), and the error passes straight through.
extension MerkleTree {
    /// MTH of the first `size` leaves.
    public static func root(size: Int, node: (_ level: Int, _ index: Int) throws -> Hash256) rethrows -> Hash256 {
        precondition(size >= 0, "negative tree size \(size)")
        return size == 0 ? emptyRoot : try rangeHash(start: 0, count: size, node: node)
    }

    /// PATH(index, D[size]) of §2.1.3.1, equal to `inclusionProof(index:leafHashes:)` over the first `size` leaves.
    public static func inclusionProof(
        index: Int,
        size: Int,
        node: (_ level: Int, _ index: Int) throws -> Hash256
    ) rethrows -> [Hash256] {
        precondition(index >= 0 && index < size, "leaf \(index) outside a tree of \(size)")
        // Walk the RFC's recursion from the root down, collecting the subtree not taken at each split.
        var proof: [Hash256] = []
        var start = 0
        var count = size
        var position = index
        while count > 1 {
            let k = largestPowerOfTwo(below: count)
            if position < k {
                proof.append(try rangeHash(start: start + k, count: count - k, node: node))
                count = k
            } else {
                proof.append(try rangeHash(start: start, count: k, node: node))
                start += k
                count -= k
                position -= k
            }
        }
        return proof.reversed()
    }

    /// PROOF(oldSize, D[newSize]) of §2.1.4.1, equal to `consistencyProof(oldSize:leafHashes:)`; the same
    /// precondition `0 < oldSize <= newSize` holds.
    public static func consistencyProof(
        oldSize: Int,
        newSize: Int,
        node: (_ level: Int, _ index: Int) throws -> Hash256
    ) rethrows -> [Hash256] {
        precondition(oldSize > 0 && oldSize <= newSize, "no consistency proof from \(oldSize) to \(newSize)")
        // SUBPROOF's recursion unrolled from the root down; `complete` is its flag b.
        var proof: [Hash256] = []
        var start = 0
        var count = newSize
        var m = oldSize
        var complete = true
        while m != count {
            let k = largestPowerOfTwo(below: count)
            if m <= k {
                proof.append(try rangeHash(start: start + k, count: count - k, node: node))
                count = k
            } else {
                proof.append(try rangeHash(start: start, count: k, node: node))
                start += k
                count -= k
                m -= k
                complete = false
            }
        }
        if !complete { proof.append(try rangeHash(start: start, count: count, node: node)) }
        return proof.reversed()
    }

    /// MTH of leaves `start..<start + count`, where `start` is a multiple of the power of two at or above `count`
    /// (true of every range the RFC's recursion visits). Such a range is the perfect subtrees of the set bits of
    /// `count`, largest first, folded from the right: one read for a perfect range, at most 64 otherwise.
    private static func rangeHash(
        start: Int,
        count: Int,
        node: (_ level: Int, _ index: Int) throws -> Hash256
    ) rethrows -> Hash256 {
        precondition(count > 0)
        // The lowest set bit is the rightmost (smallest) subtree; clearing it leaves its offset from `start`.
        var level = count.trailingZeroBitCount
        var remaining = count & (count - 1)
        var result = try node(level, (start + remaining) >> level)
        while remaining > 0 {
            level = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            result = nodeHash(try node(level, (start + remaining) >> level), result)
        }
        return result
    }
}
