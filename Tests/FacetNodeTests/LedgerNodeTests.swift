import FacetCore
import FacetLedger
import FacetNode
import FacetServer
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@Suite struct LedgerNodeTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "facet-node-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        ).path
    }

    /// A node on a real SQLite file: submitted transactions become a committed block whose proof bundle verifies
    /// offline against genesis; a reopened node resumes at the same head.
    @Test func submitCommitProveAndReopen() async throws {
        var f = LedgerFixture(validators: 1)
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let piece = f.sign(
            "firmA",
            .registerPiece(
                .init(
                    card: IdentityCard(category: .gold, weight: 50_000, fineness: 999), certificate: nil)))
        let consent = f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
        let forged = f.sign("firmB", consent.body, key: f.actor("firmC").key)

        let store = try await SQLiteLedgerStore.open(path: path)
        let node = try await LedgerNode(
            genesis: f.genesis, store: store, validatorKey: f.actor("v1").key,
            mempool: .init(maxCount: 100, maxBytes: 1 << 20))
        let pieceID = try await node.submit(piece.canonicalBytes)
        #expect(pieceID == piece.id)
        _ = try await node.submit(consent.canonicalBytes)
        await #expect(throws: NodeError.self) { try await node.submit(forged.canonicalBytes) }
        await #expect(throws: NodeError.self) { try await node.submit([1, 2, 3]) }
        #expect(try await node.transactionStatus(piece.id) == .pending(kind: piece.body.kind))

        let header = try #require(
            try await node.produceBlock(
                time: Timestamp(uncheckedMillis: f.genesis.time.millis + 5_000), maxTransactions: 10, maxBytes: 1 << 20)
        )
        #expect(header.height == 1 && header.transactionCount == 2)
        #expect(try await node.produceBlock(time: header.time, maxTransactions: 10, maxBytes: 1 << 20) == nil)
        let status = await node.status()
        #expect(status.height == 1 && status.mempoolCount == 0 && status.stateRoot == header.stateRoot)
        guard case .committed(let height, _, let result)? = try await node.transactionStatus(piece.id) else {
            Issue.record("the piece registration must be committed")
            return
        }
        #expect(height == 1 && result.accepted)
        #expect(await node.state.record(Piece.self, piece.id.hash)?.owner == f.id("firmA"))

        let bundle = try #require(try await node.proofBundle(piece.id))
        switch bundle.verify(genesis: f.genesis) {
        case .success(let proven): #expect(proven.height == 1 && proven.signer == f.id("firmA"))
        case .failure(let failure): Issue.record("bundle must verify: \(failure)")
        }
        try await store.close()

        let reopenedStore = try await SQLiteLedgerStore.open(path: path)
        let reopened = try await LedgerNode(
            genesis: f.genesis, store: reopenedStore, validatorKey: f.actor("v1").key,
            mempool: .init(maxCount: 100, maxBytes: 1 << 20))
        #expect(await reopened.status().stateRoot == header.stateRoot)
        #expect(await reopened.status().blockID == header.id)
        let next = f.sign("firmA", .revokeConsent(.init(lender: f.id("lender"))))
        _ = try await reopened.submit(next.canonicalBytes)
        let second = try #require(
            try await reopened.produceBlock(
                time: header.time, maxTransactions: 10, maxBytes: 1 << 20))
        #expect(second.height == 2 && second.previousBlockID == header.id)
        try await reopenedStore.close()
    }

    @Test func aNodeRefusesAKeyThatIsNotAValidatorOrASetItCannotCertify() async throws {
        let f = LedgerFixture(validators: 1)
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try await SQLiteLedgerStore.open(path: path)
        await #expect(throws: NodeError.self) {
            _ = try await LedgerNode(
                genesis: f.genesis, store: store, validatorKey: f.actor("firmA").key,
                mempool: .init())
        }
        try await store.close()
    }

    /// A validator of a four-validator chain opens its ledger (consensus drives it), but a launcher given no
    /// `consensus` section refuses to run it alone: it could not certify its blocks.
    @Test func aValidatorAmongSeveralNeedsConsensusToRun() async throws {
        let four = LedgerFixture()
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try await SQLiteLedgerStore.open(path: path)
        let node = try await LedgerNode(
            genesis: four.genesis, store: store, validatorKey: four.actor("v1").key, mempool: .init())
        #expect(await node.validators(at: 1).count == 4)
        try await store.close()

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-launch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = NodeConfig(
            dataDirectory: folder.path, genesisFile: "genesis.json", validatorKeyFile: "v1.key",
            listen: NodeConfig.Listen(host: "127.0.0.1", port: 0))
        do {
            try await NodeLauncher(config: config, genesis: four.genesis, validatorKey: four.actor("v1").key).run(
                signals: [])
            Issue.record("a lone validator of four started")
        } catch let error as NodeError {
            #expect(error.code == NodeError.Code.needsConsensus.rawValue)
        }
    }

    /// The same bytes are not admitted again once a block held them, refused or accepted (`tx.already_decided`): a
    /// refusal leaves its nonce free, so without this a member could grow every validator's store by replaying one
    /// refused transaction after every block.
    @Test func aTransactionTheLedgerRuledOnIsNotAdmittedAgain() async throws {
        var f = LedgerFixture(validators: 1)
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let price = try Money(minorUnits: 100, currency: .cny)
        let refused = f.sign("firmA", .publishPrice(.init(category: .gold, band: try Label("!"), pricePerUnit: price)))
        let accepted = f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
        let store = try await SQLiteLedgerStore.open(path: path)
        let node = try await LedgerNode(
            genesis: f.genesis, store: store, validatorKey: f.actor("v1").key,
            mempool: .init(maxCount: 100, maxBytes: 1 << 20))
        let first = await node.submit(encoded: [refused.canonicalBytes, accepted.canonicalBytes])
        #expect(first.allSatisfy { if case .success = $0 { true } else { false } })
        let time = Timestamp(uncheckedMillis: f.genesis.time.millis + 5_000)
        let header = try #require(try await node.produceBlock(time: time, maxTransactions: 10, maxBytes: 1 << 20))
        if case .committed(_, _, let result)? = try await node.transactionStatus(refused.id) {
            #expect(result.error?.code == .missingRole)
        } else {
            Issue.record("the refused transaction must be stored with its refusal")
        }
        for _ in 0..<2 {
            let again = await node.submit(encoded: [refused.canonicalBytes, accepted.canonicalBytes])
            for outcome in again {
                guard case .failure(let error) = outcome else {
                    Issue.record("a decided transaction was admitted again")
                    continue
                }
                #expect(error.code == LedgerError.Code.alreadyDecided.rawValue, "\(error)")
            }
            #expect(try await node.produceBlock(time: time, maxTransactions: 10, maxBytes: 1 << 20) == nil)
        }
        #expect(await node.status().height == header.height)
        try await store.close()
    }
}
