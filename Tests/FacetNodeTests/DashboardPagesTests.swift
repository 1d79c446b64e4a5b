import FacetConsensus
import FacetCore
import FacetCredit
import FacetHTML
@testable import FacetDashboard
import FacetLedger
import FacetScorecard
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// The piece, network and model pages over the real API: a piece's steps in commit order with their proofs, as the
/// JSON piece route lists them; the node's height, its throughput chart and the refusals of its recent blocks; and
/// the validation report of the model in use on the ledger's own closed loans, equal to `validate` on those rows.
@Suite struct DashboardPagesTests {
    static let pages = ["/dash/network", "/dash/model", "/dash/pieces/\(String(repeating: "ab", count: 32))"]

    @Test func thePagesWithoutASessionRedirectToSignIn() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            for path in Self.pages {
                let response = try await node.client.get(path)
                #expect(response.status == 303, "\(path): \(response)")
                #expect(response.header("Location") == "/dash/signin")
            }
        }
    }

    // MARK: Piece

    @Test func thePiecePageListsItsStepsInOrderEachWithItsProof() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1)) { node in
            var f = LedgerFixture(validators: 1)
            let register = f.sign(
                "firmA",
                .registerPiece(
                    .init(card: IdentityCard(category: .gold, weight: 50_000, fineness: 999), certificate: nil)))
            try await APICreditTests.queue(node, [register])
            let piece = PieceID(register.id.hash)
            try await APICreditTests.queue(node, [f.sign("warehouse", .custodyIn(.init(piece: piece, bonded: true)))])
            let invoice = f.sign(
                "firmA",
                .issueInvoice(
                    .init(
                        buyer: f.id("firmB"), amount: APICreditTests.cny(5_000_000),
                        dueAt: node.clock.now().adding(days: 30), pieces: [piece], channel: .wholesale)))
            try await APICreditTests.queue(node, [invoice])

            let api = try APICreditTests.json(try await node.signedGet("/v1/pieces/\(piece.hex)", as: f.actor("firmA")))
            let history = try #require(api["history"] as? [[String: Any]])
            let page = try await node.client.get(
                "/dash/pieces/\(piece.hex)",
                headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("firmA")))])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            let steps = DashboardTests.values(of: "data-step", in: html)
            #expect(steps == ["register_piece", "custody_in", "issue_invoice"])
            #expect(steps == history.compactMap { $0["kind"] as? String }, "the same steps as the JSON route")
            let items = html.components(separatedBy: "<li data-step=").dropFirst()
            #expect(
                items.map { item in ["firmA", "warehouse"].first { item.contains(">\($0)</span>") } }
                    == ["firmA", "warehouse", "firmA"], "who signed each step")
            for (item, entry) in zip(items, history) {
                let id = try #require(entry["transaction"] as? String)
                #expect(item.contains("href=\"/dash/proof/\(id)\""), "step \(entry["kind"] ?? "")")
            }
            #expect(html.contains("id=\"figure-owner\">Owner<b>firmA</b>"))
            #expect(html.contains("id=\"figure-custodian\">Custodian<b>warehouse (bonded)"))
            let proof = try await node.signedGet("/v1/transactions/\(invoice.id.hex)/proof", as: f.actor("firmA"))
            #expect(proof.status == 200, "the linked proof exists")
            #expect(!html.contains("badge suspended"))

            // Once the admins suspend the warehouse, its step carries a badge, and no other step does.
            let votes = ["admin", "admin2"].map {
                f.sign($0, .suspendMember(.init(member: f.id("warehouse"), reason: "audit")))
            }
            try await APICreditTests.queue(node, votes)
            let badged = try await node.client.get(
                "/dash/pieces/\(piece.hex)",
                headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("firmA")))])
            let marked = badged.text.components(separatedBy: "<li data-step=").dropFirst().map {
                $0.contains("badge suspended")
            }
            #expect(marked == [false, true, false], "only the suspended warehouse's step is badged")

            // A member who is not a party (firmC) sees the provenance card: the steps of the piece's provenance,
            // the owner's registration naming no one, no owner, invoice or pledge, and no proof links.
            let outsider = try await node.client.get(
                "/dash/pieces/\(piece.hex)",
                headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("firmC")))])
            #expect(outsider.status == 200)
            #expect(DashboardTests.values(of: "data-step", in: outsider.text) == ["register_piece", "custody_in"])
            #expect(!outsider.text.contains("figure-owner") && !outsider.text.contains(f.id("firmA").hex))
            #expect(!outsider.text.contains("/dash/proof/") && !outsider.text.contains("figure-invoice"))

            let missing = try await node.client.get(
                "/dash/pieces/\(String(repeating: "0", count: 64))",
                headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("firmB")))])
            #expect(missing.status == 404)
            #expect(missing.text.contains("<code>api.not_found</code>"), "refused as the JSON route refuses")
        }
    }

    // MARK: Network

    @Test func theNetworkPageShowsTheHeightThroughputAndRefusalsByCode() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            var f = scenario.fixture
            let refused = f.sign("firmA", .acceptOffer(.init(offer: OfferID(SHA256Hash.digest([1, 2, 3])))))
            try await APICreditTests.queue(node, [refused])
            let code = try #require(
                try APICreditTests.json(
                    try await node.signedGet("/v1/transactions/\(refused.id.hex)", as: f.actor("firmA")))["code"]
                    as? String)
            let height = await node.node.status().height

            let refusedPage = try await node.client.get(
                "/dash/network", headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("firmB")))])
            #expect(refusedPage.status == 403, "the network page is for validators' operators and auditors")
            let page = try await node.client.get(
                "/dash/network", headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("v1")))])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            #expect(html.contains("id=\"figure-height\">Height<b>\(height)</b>"))
            let chart = try #require(
                html.components(separatedBy: "<svg class=\"chart\" id=\"blocks-per-minute\"").dropFirst().first?
                    .components(separatedBy: "</svg>").first)
            #expect(DashboardTests.count("<circle", in: chart) >= 1, "at least one minute of blocks")
            #expect(chart.contains("blocks/min"), "the axis says its unit")
            #expect(html.contains("id=\"transactions-per-second\""))
            #expect(html.contains("<tr data-code=\"\(code)\"><td><code>\(code)</code></td><td class=\"num\">1</td>"))
            #expect(html.contains("last \(height) blocks"), "the window is named")
            let validator = try #require(
                html.components(separatedBy: "<tr data-validator=\"\(f.id("v1").hex)\">").dropFirst().first?
                    .components(separatedBy: "</tr>").first)
            #expect(validator.contains("<td class=\"num\">\(height)</td>"), "it signed the head")
            #expect(validator.contains("100.0%"), "a lone validator signs every certificate")
            #expect(html.contains("Mempool<b>0 transactions</b>"))
        }
    }

    /// Four validators over three blocks: v4 misses the second certificate, which was decided in round 1 (so its
    /// round-0 proposer failed a round); the third block, two minutes on, carries a refused transaction.
    @Test func theNetworkSummaryCountsSignaturesFailedRoundsRefusalsAndMinutes() throws {
        let f = LedgerFixture(validators: 4)
        let set = f.genesis.validatorSet
        let start = f.genesis.time.millis + 10_000
        let refusal = TransactionResult(
            id: TransactionID(SHA256Hash.digest([9])), error: LedgerError(.unknownOffer, "no offer"))
        func block(_ height: UInt64, at millis: Int64, round: UInt32, signers: [String], results: [TransactionResult])
            -> StoredBlock
        {
            let header = BlockHeader(
                chainID: f.genesis.params.chainID, height: height, time: Timestamp(uncheckedMillis: millis),
                previousBlockID: .zero, transactionRoot: .zero, transactionCount: 0, resultsRoot: .zero, logSize: 0,
                logRoot: .zero, stateRoot: .zero, validatorsHash: set.hash, nextValidatorsHash: set.hash,
                proposer: f.id("v1"))
            let signatures = signers.map {
                CommitSignature(validator: f.id($0), signature: Signature(r: .zero, s: .zero))
            }
            return StoredBlock(
                header: header,
                certificate: CommitCertificate(height: height, round: round, blockID: .zero, signatures: signatures),
                transactions: [], results: results)
        }
        let blocks = [
            block(1, at: start, round: 0, signers: ["v1", "v2", "v3", "v4"], results: []),
            block(2, at: start + 20_000, round: 1, signers: ["v1", "v2", "v3"], results: []),
            block(3, at: start + 140_000, round: 0, signers: ["v1", "v2", "v3", "v4"], results: [refusal]),
        ]
        let summary = NetworkPage.summarize(blocks, sets: [set.hash: set], current: set)
        let failed = Tendermint.proposer(height: 2, round: 0, validators: set)
        for row in summary.validators {
            #expect(row.expected == 3)
            #expect(row.signed == (row.id == f.id("v4") ? 2 : 3), "\(row.id)")
            #expect(row.lastSigned == 3)
            #expect(row.failedRounds == (row.id == failed ? 1 : 0))
        }
        #expect(summary.validators.count == 4)
        #expect(summary.lateBlocks == 1)
        #expect(summary.refused.map(\.code) == ["offer.unknown"] && summary.refused.map(\.count) == [1])
        #expect(summary.buckets.map(\.blocks).reduce(0, +) == 3)
        #expect(summary.bucketMinutes == 1)
        #expect(summary.buckets.last?.blocks == 1, "the third block's minute")
        #expect(summary.buckets.count >= 3, "empty minutes between blocks are kept")
        #expect(summary.buckets.last.map { $0.offsetMinutes <= 0 && $0.offsetMinutes > -1 } == true)
        let html = NetworkPage.render(
            NetworkPage.Data(
                status: NodeStatus(
                    chainID: "c", height: 3, blockID: .zero, stateRoot: .zero, time: f.genesis.time, logSize: 0,
                    mempoolCount: 0, mempoolBytes: 0),
                summary: summary, evidence: [], evidenceTruncated: false, names: [f.id("v4"): "<v4>"])
        ).raw
        #expect(html.contains("&lt;v4&gt;") && !html.contains("<v4>"), "names are escaped")
        #expect(html.contains("66.7%"), "v4 signed two of three")
    }

    // MARK: Model

    @Test func theModelPageShowsTheReportOfValidateOnTheLedgersClosedLoans() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            var f = scenario.fixture
            let loans = try await Self.closeLoans(node, &f, principals: [3_000_000, 2_000_000, 1_000_000])
            _ = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let training = try #require(try node.credit?.read { (height: $0.height, rows: $0.trainingRows()) })
            #expect(training.rows.map(\.loan) == loans)
            #expect(training.rows.map(\.bad) == [false, false, true])
            let library = try APICreditTests.library()
            let hash = try #require(Hash256(hex: APICreditTests.modelHash))
            let model = try #require(library.models[hash])
            let report = try model.validate(
                Dataset(
                    inferringFeaturesOf: training.rows.map(\.features), targets: training.rows.map { $0.bad ? 1 : 0 }))

            let session = try await DashboardTests.signIn(node, f.actor("lender"))
            let page = try await node.client.get("/dash/model", headers: [("Cookie", session)])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            for (id, label, value) in [
                ("auc", "AUC", report.auc), ("gini", "Gini", report.gini), ("ks", "KS", report.ks),
            ] {
                #expect(
                    html.contains("id=\"figure-\(id)\">\(label)<b>\(DashboardFormat.number(value, digits: 4))</b>"),
                    "\(label) \(value)")
            }
            #expect(html.contains("<svg class=\"chart\" id=\"roc\""))
            #expect(html.contains("<svg class=\"chart\" id=\"calibration\""))
            #expect(html.contains("<svg class=\"chart\" id=\"scores\""))
            #expect(html.contains("3 loans closed on the ledger"))
            for feature in report.features {
                #expect(html.contains("<tr data-feature=\"\(HTML.escape(feature.name))\">"), "IV of \(feature.name)")
            }
            let again = try await node.client.get("/dash/model", headers: [("Cookie", session)])
            #expect(again.text == html, "a reload at the same height gives the same report")

            let firm = try await node.client.get(
                "/dash/model", headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("firmA")))])
            #expect(firm.status == 403)
            #expect(firm.text.contains("<code>api.forbidden</code>"))
        }
    }

    @Test func theModelPageSaysWhenNoLoanHasClosed() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            _ = try await APICreditTests.caughtUp(node, firm: scenario.fixture.id("firmA"))
            let page = try await node.client.get(
                "/dash/model",
                headers: [("Cookie", try await DashboardTests.signIn(node, scenario.fixture.actor("lender")))])
            #expect(page.status == 503)
            #expect(page.text.contains("<code>scorecard.insufficient_data</code>"))
        }
    }

    @Test func theReportCacheKeepsOneReportPerModelAndHeightUpToItsCapacity() throws {
        let registration = RegisteredModel(
            hash: .zero, name: try Label("m"), registeredBy: LedgerFixture(validators: 1).id("lender"),
            registeredAt: Timestamp(uncheckedMillis: 0))
        let json =
            #"{"modelHash":"","rows":1,"bads":0,"auc":0.5,"gini":0,"ks":0,"brier":0,"calibration":[],"features":[],"#
            + #""scorePSI":0,"scoreBandShares":[],"trainingScoreBandShares":[],"roc":[],"histogramEdges":[],"#
            + #""histogramGoods":[],"histogramBads":[],"gains":[],"dropped":[]}"#
        let report = try JSONDecoder().decode(ValidationReport.self, from: Data(json.utf8))
        let cache = ModelPage.Cache()
        for height in 1...UInt64(ModelPage.Cache.capacity + 1) {
            cache.store(
                ModelPage.Data(registration: registration, report: report, height: height, repaidLate: 0),
                for: .init(model: .zero, height: height))
        }
        #expect(cache.data(.init(model: .zero, height: 1)) == nil, "the oldest went")
        #expect(cache.data(.init(model: .zero, height: 2))?.height == 2)
        #expect(cache.data(.init(model: .zero, height: UInt64(ModelPage.Cache.capacity + 1))) != nil)
        #expect(cache.data(.init(model: SHA256Hash.digest([1]), height: 2)) == nil, "another model's key")
    }

    // MARK: Helpers

    /// The lender lends firmA each principal over a 1-day term; every loan is repaid but the last, which is
    /// declared in default once due. Returns the loans in the order they opened.
    static func closeLoans(_ node: APITestNode, _ f: inout LedgerFixture, principals: [Int64]) async throws -> [LoanID]
    {
        let model = try #require(Hash256(hex: APICreditTests.modelHash))
        var loans = [LoanID]()
        for principal in principals {
            let height = await node.node.head.height
            let offer = f.sign(
                "lender",
                .makeOffer(
                    .init(
                        firm: f.id("firmA"), product: .workingCapital, principal: APICreditTests.cny(principal),
                        rateBasisPoints: 900, termDays: 1, modelHash: model, ledgerHeight: height,
                        expiresAt: node.clock.now().adding(days: 5), collateral: [])))
            try await APICreditTests.queue(node, [offer])
            let accept = f.sign("firmA", .acceptOffer(.init(offer: OfferID(offer.id.hash))))
            try await APICreditTests.queue(node, [accept])
            try await Self.expectAccepted(node, [offer, accept])
            loans.append(LoanID(accept.id.hash))
        }
        var closing = [Transaction]()
        for (loan, principal) in zip(loans, principals).dropLast() {
            closing.append(f.sign("lender", .repay(.init(loan: loan, amount: APICreditTests.cny(principal)))))
        }
        try await APICreditTests.queue(node, closing)
        node.clock.advance(millis: 2 * Timestamp.millisPerDay)
        let last = try #require(loans.last)
        let declare = f.sign("lender", .declareDefault(.init(loan: last)))
        try await APICreditTests.queue(node, [declare])
        try await Self.expectAccepted(node, closing + [declare])
        return loans
    }

    static func expectAccepted(_ node: APITestNode, _ transactions: [Transaction]) async throws {
        for transaction in transactions {
            guard case .committed(_, _, let result)? = try await node.node.transactionStatus(transaction.id) else {
                throw HTTPTestClient.ClientError(description: "\(transaction.body.kind) did not commit")
            }
            try #require(result.accepted, "\(transaction.body.kind): \(result)")
        }
    }
}
