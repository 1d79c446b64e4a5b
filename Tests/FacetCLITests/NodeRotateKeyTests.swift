import FacetAPI
import FacetClient
import FacetCore
import FacetDevnet
import FacetFiles
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
        let layout = try ConsensusProcessTests.layout(in: folder, validators: 1)
        let config = layout.configPath(0).path
        let chainID = try Label(DevnetLayout.chainID)
        let oldKey = try KeyFile.read(layout.keyPath(0).path).publicKey
        var node = try FacetProcess(["node", "start", "--config", config])
        defer { node.signal(SIGKILL) }
        let client = try NodeClient(address: layout.apiURL(0))
        // A lone validator commits a block only for transactions: each price the exchange publishes makes one.
        let exchange = try KeyFile.read(layout.memberKeyPath("exchange").path)
        let reader = MemberKey(member: MemberID(initialKey: exchange.publicKey), key: exchange)
        var nonce: UInt64 = 0
        func commitOne() async throws -> UInt64 {
            nonce += 1
            let body = TransactionBody.publishPrice(
                PublishPrice(
                    category: .gold, band: try Label("AU9999-PER-G"),
                    pricePerUnit: try Money(minorUnits: 55_000 + Int64(nonce), currency: try Currency("CNY"))))
            let transaction = Transaction.signed(
                chainID: chainID, signer: reader.member, nonce: nonce, body: body, key: exchange)
            var status: FacetClient.NodeAPI.TransactionStatus?
            try await ConsensusProcessTests.waitUntil(
                "the node takes a transaction", timeout: .seconds(120), nodes: [node]
            ) {
                status = try? await client.submit(transaction)
                return status != nil
            }
            let committed = try await client.waitForCommit(transaction.id, signer: reader, timeout: .seconds(60))
            return try #require(committed.height, "committed: \(committed)")
        }
        let first = try await commitOne()

        let rotated = try await FacetProcess.run(["node", "rotate-key", "--config", config, "--json"])
        #expect(rotated.status == 0, "\(rotated.summary)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(rotated.stdout.utf8)) as? [String: Any], "\(rotated.summary)")
        #expect(report["outcome"] as? String == "committed" && report["kind"] as? String == "rotate_validator_key")
        let height = try #require((report["height"] as? NSNumber)?.uint64Value, "\(rotated.summary)")
        #expect(height > first)
        let keyring = ValidatorKeyring.directory(dataDirectory: layout.validatorFolder(0).path)
        let files = try FileManager.default.contentsOfDirectory(atPath: keyring).filter { $0.hasSuffix(".key") }
        #expect(files.count == 1, "one new key in \(keyring)")
        let newKey = try KeyFile.read(keyring + "/" + (files.first ?? "")).publicKey
        #expect(newKey != oldKey)

        let next = try await commitOne()
        #expect(next == height + 1)
        #expect(try await Self.certifiedBy(oldKey, height: height, client, chainID: chainID))
        #expect(try await Self.certifiedBy(newKey, height: next, client, chainID: chainID))
        #expect(!(try await Self.certifiedBy(oldKey, height: next, client, chainID: chainID)))

        // Restarted, it reads the key from its keyring folder and goes on signing with it.
        node.signal(SIGTERM)
        #expect(try await node.wait(timeout: .seconds(60)).status == 0)
        node = try FacetProcess(["node", "start", "--config", config])
        let afterRestart = try await commitOne()
        #expect(afterRestart > next)
        #expect(try await Self.certifiedBy(newKey, height: afterRestart, client, chainID: chainID))
        node.signal(SIGTERM)
        #expect(try await node.wait(timeout: .seconds(60)).status == 0)
    }
}
