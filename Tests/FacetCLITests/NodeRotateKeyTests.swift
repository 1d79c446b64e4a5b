import FacetClient
import FacetCore
import FacetLedger
import FacetNode
import Foundation
import Testing

@testable import facet

#if canImport(Glibc)
    import Glibc
#endif

/// `facet node rotate-key` against a running `facet node start`: the new key goes into the node's keyring folder, the
/// rotation commits, the blocks from the next height on are certified by the new key (the old one no longer
/// verifies), and after a restart the node still signs with the new key.
@Suite(.serialized) struct NodeRotateKeyTests {
    /// The certificate of block `height`, and whether its one precommit verifies under `key`.
    static func certifiedBy(_ key: PublicKey, height: UInt64, _ client: NodeClient, chainID: Label) async throws -> Bool
    {
        let block = try await client.block(height: height)
        let encoded = try #require(block.certificate["encoded"]?.description)
        let certificate = try CommitCertificate(canonicalBytes: try #require(Hex.decode(encoded)))
        let payload = CommitCertificate.precommitPayload(
            height: certificate.height, round: certificate.round, blockID: certificate.blockID)
        let signature = try #require(certificate.signatures.first).signature
        return key.verify(signature, purpose: .precommit, chainID: chainID, payload: payload)
    }

    @Test(.timeLimit(.minutes(6)))
    func rotateKeySwitchesTheNodeAtTheNextHeightAndAcrossARestart() async throws {
        let folder = try TemporaryFolder()
        let ports = try ConsensusProcessTests.freePortRuns(count: 1, runs: 2)
        let layout = DevnetLayout(folder: folder.url, validators: 1, apiPort: ports[0], peerPort: ports[1])
        try layout.create(
            genesisTime: Timestamp(uncheckedMillis: Int64(Date().timeIntervalSince1970 * 1000) - 60_000),
            configure: { $0.block.intervalMillis = 150 })
        let config = layout.configPath(0).path
        let chainID = try Label(DevnetLayout.chainID)
        let oldKey = try KeyFile.read(layout.keyPath(0).path).publicKey
        var node = try FacetProcess(["node", "start", "--config", config])
        defer { node.signal(SIGKILL) }
        let client = try NodeClient(address: layout.apiURL(0))
        func waitForHeight(_ height: UInt64) async throws {
            try await ConsensusProcessTests.waitUntil("height \(height)", timeout: .seconds(120), nodes: [node]) {
                ((try? await client.status().height) ?? 0) >= height
            }
        }
        try await waitForHeight(2)

        let rotated = try await FacetProcess.run(["node", "rotate-key", "--config", config, "--json"])
        #expect(rotated.status == 0, "\(rotated.summary)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(rotated.stdout.utf8)) as? [String: Any], "\(rotated.summary)")
        #expect(report["outcome"] as? String == "committed" && report["kind"] as? String == "rotate_validator_key")
        let height = try #require((report["height"] as? NSNumber)?.uint64Value, "\(rotated.summary)")
        let keyring = ValidatorKeyring.directory(dataDirectory: layout.validatorFolder(0).path)
        let files = try FileManager.default.contentsOfDirectory(atPath: keyring).filter { $0.hasSuffix(".key") }
        #expect(files.count == 1, "one new key in \(keyring)")
        let newKey = try KeyFile.read(keyring + "/" + (files.first ?? "")).publicKey
        #expect(newKey != oldKey)

        try await waitForHeight(height + 2)
        #expect(try await Self.certifiedBy(oldKey, height: height, client, chainID: chainID))
        #expect(try await Self.certifiedBy(newKey, height: height + 1, client, chainID: chainID))
        #expect(!(try await Self.certifiedBy(oldKey, height: height + 1, client, chainID: chainID)))

        node.signal(SIGTERM)
        #expect(try await node.wait(timeout: .seconds(60)).status == 0)
        node = try FacetProcess(["node", "start", "--config", config])
        var restartedAt: UInt64 = 0
        try await ConsensusProcessTests.waitUntil("the restarted node answers", timeout: .seconds(120), nodes: [node]) {
            guard let height = try? await client.status().height else { return false }
            restartedAt = height
            return true
        }
        try await waitForHeight(restartedAt + 2)
        #expect(try await Self.certifiedBy(newKey, height: restartedAt + 2, client, chainID: chainID))
        node.signal(SIGTERM)
        #expect(try await node.wait(timeout: .seconds(60)).status == 0)
    }
}
