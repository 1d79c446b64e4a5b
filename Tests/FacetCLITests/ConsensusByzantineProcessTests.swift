import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import FacetPeer
import Foundation
import Testing

@testable import facet

#if canImport(Glibc)
    import Glibc
#endif

/// Three validators as `facet node start` processes and a fourth validator's key in the test's hands (`ByzantinePeer`)
/// that poisons the head height and proposes an invalid block again and again; one process is stopped and restarted
/// mid-attack. The three keep committing, the restarted one catches up by block sync, and no two disagree on a block.
@Suite(.serialized) struct ConsensusByzantineProcessTests {
    @Test(.timeLimit(.minutes(12)))
    func threeNodeProcessesKeepCommittingUnderAByzantinePeerAndARestartedOneCatchesUp() async throws {
        let folder = try TemporaryFolder()
        let layout = try ConsensusProcessTests.layout(in: folder, validators: 4)
        let genesis = try Genesis(json: try Data(contentsOf: layout.genesisPath))
        let keys = try (0..<4).map { try KeyFile.read(layout.keyPath($0).path) }
        var peers = [MemberID: PeerAddress]()
        for index in 0..<3 {
            peers[MemberID(initialKey: keys[index].publicKey)] = PeerAddress(
                host: "127.0.0.1", port: layout.peerAddress(index).port)
        }
        let attacker = ByzantinePeer(
            key: keys[3], genesis: genesis, listen: PeerAddress(host: "127.0.0.1", port: layout.peerAddress(3).port),
            peers: peers)
        try await attacker.start()
        var nodes = try (0..<3).map { try FacetProcess(["node", "start", "--config", layout.configPath($0).path]) }
        defer { for node in nodes { node.signal(SIGKILL) } }
        let clients = try (0..<3).map { try NodeClient(address: layout.apiURL($0)) }
        func heights(_ indices: [Int]) async -> [UInt64] {
            var heights = [UInt64]()
            for index in indices { heights.append((try? await clients[index].status().height) ?? 0) }
            return heights
        }
        func waitFor(_ what: String, _ indices: [Int], toReach height: UInt64, within timeout: Duration) async throws {
            try await ConsensusProcessTests.waitUntil(what, timeout: timeout, nodes: nodes) {
                await heights(indices).allSatisfy { $0 >= height }
            }
        }
        do {
            try await waitFor("the three commit block 2", [0, 1, 2], toReach: 2, within: .seconds(120))
            try await ConsensusProcessTests.waitUntil(
                "the attacker is connected to all three", timeout: .seconds(60), nodes: nodes
            ) {
                attacker.transport.connectedPeers.count == 3
            }
            attacker.attack()
            let attackStart = await heights([0, 1, 2]).max() ?? 0
            try await waitFor(
                "the three commit under attack", [0, 1, 2], toReach: attackStart + 4, within: .seconds(180))

            // Stopped gracefully mid-attack; the other two and the attacker's votes are a quorum, so it falls behind.
            nodes[2].signal(SIGTERM)
            let stopped = try await nodes[2].wait(timeout: .seconds(60))
            #expect(stopped.status == 0, "\(stopped.stderr.suffix(2_000))")
            let stoppedAt = await heights([0, 1]).min() ?? 0
            try await waitFor("the two go on without it", [0, 1], toReach: stoppedAt + 6, within: .seconds(180))
            nodes[2] = try FacetProcess(["node", "start", "--config", layout.configPath(2).path])
            let othersAtRestart = await heights([0, 1]).max() ?? 0
            try await waitFor("the restarted one catches up", [2], toReach: othersAtRestart, within: .seconds(180))
            let target = (await heights([0, 1, 2]).max() ?? 0) + 3
            try await waitFor("the three commit together again", [0, 1, 2], toReach: target, within: .seconds(180))
            await attacker.stop()

            #expect(target >= attackStart + 12, "the chain went on during the attack")
            let common = await heights([0, 1, 2]).min() ?? 0
            for height in 1...common {
                var ids = Set<String>()
                for client in clients { ids.insert(try await client.block(height: height).id) }
                #expect(ids.count == 1, "one block at height \(height): \(ids.sorted())")
            }
            for (index, client) in clients.enumerated() {
                let best = try await client.status().consensus?.bestPeerHeight ?? 0
                #expect(best < 1_000_000, "validator \(index) never counted the announced head")
            }
            let attacked = attacker.attackedHeights.withLock { $0 }
            #expect(!attacked.isEmpty, "the attacker led round 0 of some height")
            #expect(attacker.proposals.withLock { $0 } > attacked.count * 2, "its block id was re-proposed")
            print(
                "byzantine process test: attack from height \(attackStart), validator 2 stopped at \(stoppedAt), "
                    + "restarted when the others were at \(othersAtRestart), all at \(common); "
                    + "invalid blocks proposed at \(attacked.count) heights")
        } catch {
            await attacker.stop()
            throw error
        }
        for node in nodes { node.signal(SIGTERM) }
        for (index, node) in nodes.enumerated() {
            let result = try await node.wait(timeout: .seconds(60))
            #expect(result.status == 0, "validator \(index): \(result.stderr.suffix(2_000))")
            if index == 2 {
                #expect(result.stderr.contains("synced blocks"), "the restarted validator synced")
            } else {
                #expect(
                    result.stderr.contains("proposed block refused"), "validator \(index) refused the invalid block")
            }
        }
    }
}
