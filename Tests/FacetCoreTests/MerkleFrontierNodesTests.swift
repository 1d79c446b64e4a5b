import FacetCore
import FacetTestSupport
import Testing

/// The frontier hands out the same nodes as the full log, and a frontier restored from stored nodes equals the
/// one built leaf by leaf.
@Suite struct MerkleFrontierNodesTests {
    @Test func appendReturnsTheLogsNodesAndRestoresFromThem() {
        var rng = SeededRandom(seed: 42)
        var log = MerkleLog()
        var frontier = MerkleFrontier()
        var stored = [[Int: Hash256]]()
        for _ in 0..<300 {
            let leaf = Hash256(bytes: rng.bytes(32))
            let expected = log.append(leafHash: leaf)
            #expect(frontier.appendReturningNodes(leafHash: leaf) == expected)
            for node in expected {
                while stored.count <= node.level { stored.append([:]) }
                stored[node.level][node.index] = node.hash
            }
            let positions = MerkleFrontier.subtreePositions(size: frontier.size)
            let restored = MerkleFrontier(
                size: frontier.size, subtrees: positions.map { stored[$0.level][$0.index]! })
            #expect(restored == frontier)
            #expect(restored.root == log.root)
        }
    }

    @Test func subtreePositionsFollowTheSetBits() {
        #expect(MerkleFrontier.subtreePositions(size: 0).isEmpty)
        let positions = MerkleFrontier.subtreePositions(size: 13)  // 8 + 4 + 1
        #expect(positions.map(\.level) == [3, 2, 0])
        #expect(positions.map(\.index) == [0, 2, 12])
    }
}
