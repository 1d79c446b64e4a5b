import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// A validator backed up while the network commits, lost with its disk, and restored onto a fresh file, starts
/// from the backup's head, catches up from its peers and votes again: with another validator stopped afterwards,
/// the chain goes on only because the restored one's precommits make the quorum.
@Suite struct RestoredValidatorTests {
    @Test(.timeLimit(.minutes(5)))
    func aValidatorRestoredFromAnOnlineBackupRejoinsConsensus() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = ConsensusNetworkTests.paths(4)
        let restoredPath = APITestNode.temporaryPath()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-restore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withNetwork(paths + [restoredPath]) { validators in
            validators = try await ConsensusNetworkTests.start(ConsensusNetworkTests.names, fixture, paths: paths)
            try await waitForHeight(3, validators)
            let victim = validators[3]
            let backup = StoreBackup(logger: APITestNode.logger)
            // Online: the four keep committing while the copy is taken.
            let manifest = try await backup.backup(.sqlite(path: victim.path), genesis: fixture.genesis, to: folder)
            #expect(manifest.height >= 3)
            let port = victim.address.port
            await victim.stop()
            APITestNode.removeStore(at: victim.path)
            let others = Array(validators.prefix(3))
            try await waitForHeight(manifest.height + 4, others, within: .seconds(120))

            _ = try await backup.restore(
                from: folder, to: .sqlite(path: restoredPath), genesis: fixture.genesis, replace: false)
            let head = try await StoreLocation.sqlite(path: restoredPath).withStore { try await $0.head() }
            #expect(head.map { manifest.matches($0) } == true, "the restored file holds the backup's head")
            let restored = try await NetworkValidator.start(
                victim.name, fixture: fixture, path: restoredPath, port: port, safety: victim.safety)
            validators[3] = restored
            connect(validators.map(\.transport))
            let othersAtRestore = await ConsensusNetworkTests.maxHeight(others)
            try await waitUntil("the restored validator catches up and votes", within: .seconds(120)) {
                let status = await restored.driver.status()
                return await restored.height >= othersAtRestore && status.mode == .voting
            }

            // Three of four are a quorum: without v3, every block from here needs v4's precommit.
            let stopped = validators[2]
            await stopped.stop()
            let remaining = [validators[0], validators[1], restored]
            let target = await ConsensusNetworkTests.maxHeight(remaining) + 3
            try await waitForHeight(target, remaining, within: .seconds(120))
            let block = try #require(try await restored.store.block(at: target))
            #expect(block.certificate.signatures.contains { $0.validator == restored.member })
            #expect(try await expectSameChain(remaining) >= target)
            validators.remove(at: 2)
        }
    }
}
