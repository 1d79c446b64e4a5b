@testable import FacetAPI
import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// `POST /v1/transactions/batch` and admission with signatures verified off the actor, in parallel: each item gets
/// the outcome a single submission would have had, in order, and a refused one changes nothing.
@Suite struct APIBatchTests {
    static func piece(_ f: inout LedgerFixture, _ signer: String, weight: UInt64) -> Transaction {
        f.sign(
            signer,
            .registerPiece(.init(card: IdentityCard(category: .gold, weight: weight, fineness: 999), certificate: nil)))
    }

    static func batchJSON(_ items: [String]) -> String {
        #"{"transactions":["# + items.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
    }

    @Test func eachItemGetsItsOwnOutcomeInOrderAndOnlyTheQueuedOnesCommit() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let first = Self.piece(&f, "firmA", weight: 1_000)
            // Signed by firmC's key in firmB's name: a wrong signature.
            let forged = Transaction.signed(
                chainID: LedgerFixture.chainID, signer: f.id("firmB"), nonce: 1, body: first.body,
                key: f.actor("firmC").key)
            // The nonce the first one holds.
            let replayed = Transaction.signed(
                chainID: LedgerFixture.chainID, signer: f.id("firmA"), nonce: first.nonce,
                body: Self.piece(&f, "firmC", weight: 2).body, key: f.actor("firmA").key)
            let stranger = f.addOutsider("stranger", roles: .firm)
            _ = stranger
            let unknown = Self.piece(&f, "stranger", weight: 3)
            let second = Self.piece(&f, "firmB", weight: 4_000)
            let garbage = [UInt8](repeating: 0xAB, count: 40)
            let items =
                [first, forged, replayed, unknown].map { Hex.encode($0.canonicalBytes) } + [
                    Hex.encode(garbage), Hex.encode(second.canonicalBytes),
                ]
            let answer = try await node.client.post("/v1/transactions/batch", json: Self.batchJSON(items))
            #expect(answer.status == 200)
            #expect(answer.object["pending"] as? Int == 2 && answer.object["refused"] as? Int == 4)
            let results = try #require(answer.object["results"] as? [[String: Any]])
            #expect(
                results.map { $0["status"] as? String } == [
                    "pending", "refused", "refused", "refused", "refused", "pending",
                ])
            #expect(
                results.map { $0["code"] as? String } == [
                    nil, "tx.bad_signature", "mempool.nonce_taken", "tx.unknown_signer", results[4]["code"] as? String,
                    nil,
                ])
            #expect((results[4]["code"] as? String)?.isEmpty == false, "garbage bytes are refused with a code")
            #expect(results[0]["id"] as? String == first.id.hex && results[5]["id"] as? String == second.id.hex)
            #expect(results[0]["kind"] as? String == "register_piece")
            #expect(results[1]["id"] as? String == forged.id.hex, "a refused item still names its id")
            #expect(results.dropFirst().dropLast().allSatisfy { ($0["message"] as? String)?.isEmpty == false })

            try await node.commitBlock()
            for committed in [first, second] {
                let status = try await node.signedGet("/v1/transactions/\(committed.id.hex)", as: fixture.actor("auditor"))
                #expect(status.object["status"] as? String == "committed")
            }
            for refused in [forged, replayed, unknown] {
                let status = try await node.signedGet("/v1/transactions/\(refused.id.hex)", as: fixture.actor("auditor"))
                #expect(status.status == 404, "a refused item left no trace")
            }
            let metrics = try await node.client.get("/metrics")
            #expect(
                metrics.text.split(separator: "\n").contains {
                    $0.hasPrefix(NodeMetrics.submitRefusedTotal + "{") && $0.contains(#"code="tx.bad_signature""#)
                        && $0.hasSuffix(" 1")
                }, "the refusal is counted once, by its code")
        }
    }

    @Test func aMalformedEmptyOrOversizedBatchIsRefusedWhole() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let valid = Hex.encode(Self.piece(&f, "firmA", weight: 1_000).canonicalBytes)
            let empty = try await node.client.post("/v1/transactions/batch", json: #"{"transactions":[]}"#)
            #expect(empty.status == 400 && empty.code == "api.bad_request")
            let notJSON = try await node.client.post("/v1/transactions/batch", json: #"{"transaction":"00"}"#)
            #expect(notJSON.status == 400 && notJSON.code == "api.malformed_json")
            let notHex = try await node.client.post("/v1/transactions/batch", json: Self.batchJSON([valid, "xyz"]))
            #expect(notHex.status == 400 && notHex.code == "api.bad_hex")
            let tooMany = Array(repeating: "00", count: NodeAPI.maxBatchTransactions + 1)
            let many = try await node.client.post("/v1/transactions/batch", json: Self.batchJSON(tooMany))
            #expect(many.status == 413 && many.code == "api.too_large")
            let huge = String(repeating: "0", count: NodeAPI.maxBatchBodyBytes)
            let oversized = try await node.client.post("/v1/transactions/batch", json: Self.batchJSON([huge]))
            #expect(oversized.status == 413 && oversized.code == "api.too_large")
            // None of those queued the valid transaction they carried.
            #expect(await node.node.mempoolCount == 0)
        }
    }

    @Test func aFullPoolRefusesTheRestOfABatchInOrder() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture, mempool: Mempool.Bounds(maxCount: 3, maxBytes: 1 << 24)) { node in
            var f = fixture
            let pieces = (0..<5).map { Self.piece(&f, "firmA", weight: UInt64(100 + $0)) }
            let answer = try await node.client.post(
                "/v1/transactions/batch", json: Self.batchJSON(pieces.map { Hex.encode($0.canonicalBytes) }))
            let results = try #require(answer.object["results"] as? [[String: Any]])
            #expect(results.map { $0["code"] as? String } == [nil, nil, nil, "mempool.full", "mempool.full"])
            #expect(await node.node.mempoolCount == 3)
        }
    }

    /// Many transactions through the parallel path: the verdicts match verifying one by one, a forged signature in
    /// the middle is refused at its position, and every other one is queued in order.
    @Test func parallelVerificationAgreesWithVerifyingOneByOne() async throws {
        var f = LedgerFixture(validators: 1)
        var transactions = [Transaction]()
        for index in 0..<150 {
            let signer = ["firmA", "firmB", "firmC"][index % 3]
            transactions.append(Self.piece(&f, signer, weight: UInt64(10 + index)))
        }
        let forged = Transaction.signed(
            chainID: LedgerFixture.chainID, signer: transactions[77].signer, nonce: transactions[77].nonce,
            body: transactions[77].body, key: f.actor("lender").key)
        transactions[77] = forged
        var keys = transactions.map { f.state.record(Member.self, $0.signer.hash)?.publicKey }
        keys[100] = nil
        let verified = await ParallelSignatures.verify(transactions, keys: keys)
        let oneByOne = ParallelSignatures.verifyInline(transactions[...], keys[...])
        #expect(verified == oneByOne)
        #expect(verified[77] == .invalid(f.actor(["firmA", "firmB", "firmC"][77 % 3]).key.publicKey))
        #expect(verified[100] == nil, "no key, no verdict")
        #expect(
            verified.indices.filter { if case .valid = verified[$0] { false } else { true } } == [77, 100],
            "every other one verified valid")

        let submitted = Array(transactions.prefix(78))
        try await APITestNode.with(f) { node in
            let refused = await node.node.submit(submitted, forward: false)
            #expect(refused.map(\.position) == [77] && refused.first?.error.code == "tx.bad_signature")
            #expect(await node.node.mempoolCount == 77)
        }
    }
}
