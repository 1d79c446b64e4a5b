import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Foundation
import Testing

/// Every route of `contracts/openapi.yaml` answers its documented shape, over a real socket.
@Suite struct APIRoutesTests {
    @Test func submittingAnswersPendingThenCommittedOrRejected() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let piece = f.sign(
                "firmA",
                .registerPiece(
                    .init(card: IdentityCard(category: .gold, weight: 1_000, fineness: 999), certificate: nil)))
            let refused = f.sign("firmB", .revokeConsent(.init(lender: f.id("lender"))))
            let submitted = try await node.submit([piece, refused])
            #expect(submitted.map(\.status) == [202, 202])
            #expect(submitted[0].object["id"] as? String == piece.id.hex)
            #expect(submitted[0].object["status"] as? String == "pending")
            #expect(submitted[0].object["kind"] as? String == "register_piece")
            #expect(submitted[0].header("content-type")?.hasPrefix("application/json") == true)

            let pending = try await node.signedGet("/v1/transactions/\(piece.id.hex)", as: fixture.actor("auditor"))
            #expect(pending.status == 200 && pending.object["status"] as? String == "pending")
            try await node.commitBlock()

            let committed = try await node.signedGet("/v1/transactions/\(piece.id.hex)", as: fixture.actor("auditor"))
            #expect(committed.status == 200)
            #expect(committed.object["status"] as? String == "committed")
            #expect(committed.object["height"] as? Int == 1 && committed.object["index"] as? Int == 0)
            #expect(committed.object["kind"] as? String == "register_piece")
            #expect(committed.object["code"] == nil)

            let rejected = try await node.signedGet("/v1/transactions/\(refused.id.hex)", as: fixture.actor("auditor"))
            #expect(rejected.object["status"] as? String == "rejected")
            #expect(rejected.object["code"] as? String == "consent.missing")
            #expect(rejected.object["kind"] as? String == "revoke_consent")
            #expect(rejected.object["message"] == nil, "a refusal's message may carry amounts: the code only")
        }
    }

    @Test func proofsBlocksStatusAndHealth() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            let noBlock = try await node.signedGet("/v1/blocks/latest", as: fixture.actor("auditor"))
            #expect(noBlock.status == 404 && noBlock.code == "api.not_found")
            let s = try await APIScenario.run(on: node, fixture: fixture)

            let proof = try await node.signedGet("/v1/transactions/\(s.piece1.id.hex)/proof", as: fixture.actor("auditor"))
            #expect(proof.status == 200)
            let bundle = try ProofBundle(json: Data(proof.body))
            switch bundle.verify(genesis: fixture.genesis) {
            case .success(let record): #expect(record.transactionID == s.piece1.id && record.height == 4)
            case .failure(let failure): Issue.record("the served bundle must verify offline: \(failure)")
            }
            let refusedProof = try await node.signedGet("/v1/transactions/\(s.refused.id.hex)/proof", as: fixture.actor("auditor"))
            #expect(refusedProof.status == 404 && refusedProof.code == "api.not_found")

            let latest = try await node.signedGet("/v1/blocks/latest", as: fixture.actor("auditor"))
            #expect(latest.status == 200)
            let header = try #require(latest.object["header"] as? [String: Any])
            #expect(header["height"] as? Int == 4 && header["chainID"] as? String == "facet-test")
            let encoded = try #require(Hex.decode(header["encoded"] as? String ?? ""))
            #expect(latest.object["id"] as? String == SHA256Hash.digest(encoded).hex)
            let certificate = try #require(latest.object["certificate"] as? [String: Any])
            #expect(
                (certificate["signatures"] as? [[String: Any]])?.first?["validator"] as? String == fixture.id("v1").hex)

            let first = try await node.signedGet("/v1/blocks/1", as: fixture.actor("auditor"))
            let transactions = try #require(first.object["transactions"] as? [[String: Any]])
            #expect(
                transactions.map { $0["status"] as? String }
                    == ["committed", "committed", "committed", "rejected", "committed"])
            #expect(transactions.map { $0["index"] as? Int } == [0, 1, 2, 3, 4])
            #expect(transactions[4]["kind"] as? String == "register_model")
            #expect(transactions[3]["code"] as? String == "invoice.unknown")
            #expect(transactions[0]["kind"] as? String == "register_piece")

            let status = try await node.client.get("/v1/status")
            #expect(status.object["height"] as? Int == 4 && status.object["chainID"] as? String == "facet-test")
            #expect(status.object["mempool"] as? [String: Int] == ["count": 0, "bytes": 0])
            #expect((status.object["peers"] as? [Any])?.isEmpty == true)
            #expect(status.object["blockID"] as? String == latest.object["id"] as? String)
            #expect(status.object["stateRoot"] as? String == header["stateRoot"] as? String)

            let health = try await node.client.get("/healthz")
            #expect(health.status == 200 && health.text == "ok\n")
        }
    }

    /// A validator whose consensus cannot store or commit, or whose height stalled, is not ready: `/healthz` says why
    /// with a 503 and a stable code, and `/v1/status` shows the mode; healthy again, 200.
    @Test func healthzAnswers503WithTheReasonWhileConsensusIsUnhealthy() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            for mode in [ConsensusStatus.Mode.storeUnavailable, .stalled] {
                let unhealthy = try #require(mode.unhealthy)
                await node.node.report(
                    consensus: ConsensusInfo(
                        mode: mode.rawValue, height: 1, round: 0, step: "propose", bestPeerHeight: 9, peers: [],
                        unhealthy: unhealthy))
                let health = try await node.client.get("/healthz")
                #expect(health.status == 503 && health.code == unhealthy.code, "\(mode)")
                #expect(health.code == "consensus.\(mode.rawValue)")
                let status = try await node.client.get("/v1/status")
                let consensus = try #require(status.object["consensus"] as? [String: Any])
                #expect(consensus["mode"] as? String == mode.rawValue)
            }
            await node.node.report(
                consensus: ConsensusInfo(
                    mode: "voting", height: 1, round: 0, step: "propose", bestPeerHeight: 0, peers: []))
            let health = try await node.client.get("/healthz")
            #expect(health.status == 200)
        }
    }

    @Test func piecesAndMembers() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            let s = try await APIScenario.run(on: node, fixture: fixture)
            let piece = try await node.signedGet("/v1/pieces/\(s.p1.hex)", as: fixture.actor("auditor"))
            #expect(piece.status == 200)
            #expect(piece.object["id"] as? String == s.p1.hex)
            #expect(piece.object["owner"] as? String == fixture.id("firmB").hex, "a confirmed invoice moves the piece")
            let card = try #require(piece.object["card"] as? [String: Any])
            #expect(card["category"] as? String == "gold" && card["weightUnit"] as? String == "milligram")
            #expect(card["fineness"] as? Int == 999 && card["weight"] as? Int == 50_000)
            #expect(card.keys.contains("color") && card["color"] is NSNull)
            #expect(piece.object["certificate"] is NSNull && piece.object["certified"] as? Bool == false)
            #expect((piece.object["custody"] as? [String: Any])?["warehouse"] as? String == fixture.id("warehouse").hex)
            #expect(piece.object["status"] as? String == "active")
            let history = try #require(piece.object["history"] as? [[String: Any]])
            #expect(
                history.map { $0["kind"] as? String } == [
                    "register_piece", "custody_in", "issue_invoice", "confirm_invoice",
                ])
            #expect(
                history.map { $0["signer"] as? String }
                    == ["firmA", "warehouse", "firmA", "firmB"].map { fixture.id($0).hex })
            #expect(history.map { $0["height"] as? Int } == [1, 2, 2, 3])
            #expect(history.allSatisfy { $0["accepted"] as? Bool == true && $0["time"] is Int })
            #expect(history[0]["transaction"] as? String == s.piece1.id.hex)

            let pledged = try await node.signedGet("/v1/pieces/\(s.p2.hex)", as: fixture.actor("auditor"))
            #expect(pledged.object["pledgedTo"] as? String == s.loan.hex)

            let members = try await node.signedGet("/v1/members", as: fixture.actor("auditor"))
            #expect(members.status == 200)
            #expect(members.array.count == LedgerFixture.cast.count - 3 + 1)
            let ids = members.array.compactMap { $0["id"] as? String }
            #expect(ids == ids.sorted())
            let member = try await node.signedGet("/v1/members/\(fixture.id("lender").hex)", as: fixture.actor("auditor"))
            #expect(member.object["name"] as? String == "lender" && member.object["roles"] as? [String] == ["lender"])
            #expect(member.object["status"] as? String == "active")
            #expect(member.object["publicKey"] as? String == fixture.actor("lender").key.publicKey.hex)
            #expect(member.object["since"] as? Int == Int(fixture.genesis.time.millis))
        }
    }

    /// The firm reads its own private records: every field of the documented shapes, money as strings.
    @Test func privateReadsOfTheFirmItself() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            let s = try await APIScenario.run(on: node, fixture: fixture)
            let firmA = fixture.actor("firmA")
            let base = "/v1/members/\(firmA.id.hex)"

            let invoices = try await node.signedGet("\(base)/invoices", as: firmA)
            #expect(invoices.status == 200)
            #expect(invoices.array.map { $0["id"] as? String } == [s.i1.hex, s.i2.hex])
            let first = invoices.array[0]
            #expect(first["seller"] as? String == firmA.id.hex && first["buyer"] as? String == fixture.id("firmB").hex)
            #expect(first["amount"] as? [String: String] == ["minorUnits": "1280000", "currency": "CNY"])
            #expect(first["paid"] as? [String: String] == ["minorUnits": "100000", "currency": "CNY"])
            #expect(first["channel"] as? String == "wholesale" && first["cancelled"] as? Bool == false)
            #expect(first["confirmedAt"] is Int && first["pieces"] as? [String] == [s.p1.hex])
            #expect(invoices.array[1]["confirmedAt"] is NSNull && invoices.array[1]["pledgedTo"] is NSNull)

            let payments = try await node.signedGet("\(base)/payments", as: firmA)
            #expect(payments.status == 200)
            #expect(payments.array.map { $0["transaction"] as? String } == [s.payment.id.hex])
            #expect(payments.array.first?["signer"] as? String == fixture.id("firmB").hex)
            #expect(payments.array.first?["kind"] as? String == "pay_invoice")

            let loans = try await node.signedGet("\(base)/loans", as: firmA)
            #expect(loans.status == 200 && loans.array.count == 1)
            let loan = loans.array[0]
            #expect(loan["id"] as? String == s.loan.hex && loan["lender"] as? String == fixture.id("lender").hex)
            #expect(loan["borrower"] as? String == firmA.id.hex && loan["status"] as? String == "active")
            #expect(loan["principal"] as? [String: String] == ["minorUnits": "1000000", "currency": "CNY"])
            #expect(loan["outstanding"] as? [String: String] == ["minorUnits": "1000000", "currency": "CNY"])
            #expect(loan["product"] as? String == "inventory_pledge" && loan["rateBasisPoints"] as? Int == 800)
            #expect(loan["collateral"] as? [[String: String]] == [["kind": "piece", "id": s.p2.hex]])

            let pledges = try await node.signedGet("\(base)/pledges", as: firmA)
            #expect(pledges.status == 200)
            #expect(pledges.array.count == 1 && pledges.array.first?["loan"] as? String == s.loan.hex)
            #expect(pledges.array.first?["collateral"] as? [String: String] == ["kind": "piece", "id": s.p2.hex])

            // Windows of block time: block 2 (the invoices) is at genesis + 61 s; from is inclusive, to exclusive.
            let blockTwo = fixture.genesis.time.millis + 61_000
            let inWindow = try await node.signedGet("\(base)/invoices?from=\(blockTwo)&to=\(blockTwo + 1)", as: firmA)
            #expect(inWindow.status == 200 && inWindow.array.count == 2)
            let before = try await node.signedGet("\(base)/invoices?to=\(blockTwo)", as: firmA)
            #expect(before.status == 200 && before.array.isEmpty)
            let after = try await node.signedGet("\(base)/payments?from=\(blockTwo + 1)", as: firmA)
            #expect(after.status == 200 && after.array.count == 1)
        }
    }

    @Test func metricsAfterABlock() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let forged = f.sign(
                "firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)), key: f.actor("firmB").key)
            #expect(try await node.submit([forged]).first?.status == 400)
            _ = try await APIScenario.run(on: node, fixture: fixture)
            let metrics = try await node.client.get("/metrics")
            #expect(metrics.status == 200 && metrics.header("content-type")?.hasPrefix("text/plain") == true)
            let lines = metrics.text.split(separator: "\n").map(String.init)
            func value(_ prefix: String) -> Double? {
                lines.first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            #expect(value("facet_blocks_total") == 4)
            #expect(value("facet_height") == 4)
            #expect(value("facet_mempool_transactions") == 0)
            #expect(value("facet_mempool_bytes") == 0)
            #expect(value("facet_store_commit_seconds_count") == 4)
            #expect(lines.contains { $0.hasPrefix("facet_store_commit_seconds_bucket{") })
            let registered = lines.first {
                $0.hasPrefix("facet_transactions_total{") && $0.contains(#"kind="register_piece""#)
                    && $0.contains(#"result="accepted""#)
            }
            #expect(registered?.hasSuffix(" 2") == true, "two pieces were registered: \(registered ?? "none")")
            #expect(
                lines.contains {
                    $0.hasPrefix("facet_transactions_total{") && $0.contains(#"result="refused""#) && $0.hasSuffix(" 1")
                })
            #expect(
                lines.contains {
                    $0.hasPrefix("facet_submit_refused_total{") && $0.contains(#"code="tx.bad_signature""#)
                })
            #expect(lines.contains { $0.hasPrefix("facet_http_responses_total{") && $0.contains(#"status="202""#) })
        }
    }
}
