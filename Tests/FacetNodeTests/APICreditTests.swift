import FacetCore
import FacetCredit
import FacetLedger
import FacetNode
import FacetScorecard
import FacetStore
import FacetTestSupport
import FacetWire
import Foundation
import Testing

/// The credit routes on a node holding the committed demo model, products and a policy for the fixture's lenders:
/// who may read, what a report holds, offers that respect their limits and commit, and the same answer from a node
/// that followed the chain and one that caught up afterwards.
@Suite struct APICreditTests {
    /// firmA sells firmB gold for four months (confirmed and paid), keeps two gold pieces (one in a bonded
    /// warehouse), and gives `lender` consent; `lender2` has a policy but no consent.
    struct Scenario {
        var fixture: LedgerFixture
        var pieces: [PieceID]
    }

    static let modelHash = "805d2e214cea8d380e98d082897d481f38a6366d8857112e132d2ac1cc5fbd62"

    static func cny(_ fen: Int64) -> Money { APIScenario.cny(fen) }

    /// The committed files, with the policy of bank-b given to the fixture's lenders (its minimums lowered to fit
    /// a short history) and its guarantee naming the fixture's guarantor.
    static func library() throws -> CreditLibrary {
        let contracts = ContractFiles.root.appendingPathComponent("contracts")
        var library = try CreditLibrary.load(
            NodeConfig.Credit(
                models: contracts.appendingPathComponent("models").path,
                products: contracts.appendingPathComponent("products").path,
                policies: contracts.appendingPathComponent("policies").path))
        var policies = [LenderPolicy]()
        for name in ["lender", "lender2"] {
            guard var policy = library.policies.first(where: { $0.lender == "bank-b" }) else {
                preconditionFailure("bank-b's policy")
            }
            policy.memberName = name
            policy.guarantor = "guarantor"
            policy.minimumLimitMinor = 100_000
            policy.maxPdBps = 9_999
            policy.worstGrade = "10"
            policies.append(policy)
        }
        var products = Array(library.products.values)
        for index in products.indices { products[index].minimumLimitMinor = 100_000 }
        library = CreditLibrary(models: Array(library.models.values), products: products, policies: policies)
        return library
    }

    static func run(on node: APITestNode, fixture: LedgerFixture = LedgerFixture(validators: 1)) async throws
        -> Scenario
    {
        var f = fixture
        let day = Timestamp.millisPerDay
        let gold = IdentityCard(category: .gold, weight: 200_000, fineness: 999)
        let pieces = [
            f.sign("firmA", .registerPiece(.init(card: gold, certificate: nil))),
            f.sign("firmA", .registerPiece(.init(card: gold, certificate: nil))),
        ]
        let model = try #require(Hash256(hex: modelHash))
        try await queue(
            node,
            pieces + [
                f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil))),
                f.sign("lender", .registerModel(.init(modelHash: model, name: try Label("facet-demo-sme-v1")))),
                f.sign(
                    "exchange",
                    .publishPrice(.init(category: .gold, band: try Label("AU9999-PER-G"), pricePerUnit: cny(48_000)))),
            ])
        let ids = pieces.map { PieceID($0.id.hash) }
        try await queue(node, [f.sign("warehouse", .custodyIn(.init(piece: ids[0], bonded: true)))])
        for month in 0..<4 {
            node.clock.advance(millis: 30 * day)
            let invoice = f.sign(
                "firmA",
                .issueInvoice(
                    .init(
                        buyer: f.id("firmB"), amount: cny(Int64(40_000_000 + month * 1_000_000)),
                        dueAt: node.clock.now().adding(days: 30), pieces: [], channel: .wholesale)))
            try await queue(node, [invoice])
            let id = InvoiceID(invoice.id.hash)
            try await queue(
                node,
                [
                    f.sign("firmB", .confirmInvoice(.init(invoice: id))),
                    f.sign(
                        "firmB", .payInvoice(.init(invoice: id, amount: cny(Int64(40_000_000 + month * 1_000_000))))),
                    // The exchange publishes monthly: a price older than the genesis' validity counts for nothing.
                    f.sign(
                        "exchange",
                        .publishPrice(
                            .init(category: .gold, band: try Label("AU9999-PER-G"), pricePerUnit: cny(48_000)))),
                ])
        }
        return Scenario(fixture: f, pieces: ids)
    }

    static func queue(_ node: APITestNode, _ transactions: [Transaction]) async throws {
        for (transaction, response) in zip(transactions, try await node.submit(transactions)) {
            try #require(response.status == 202, "\(transaction.body.kind) was not queued: \(response)")
        }
        try #require(try await node.commitBlock() != nil)
    }

    /// Waits until the credit index has caught up with the head (its service starts beside the API).
    static func caughtUp(_ node: APITestNode, firm: MemberID) async throws -> CreditEvidence {
        for _ in 0..<200 {
            if let evidence = try? node.credit?.read({ $0.evidence(firm: firm) }) { return evidence }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HTTPTestClient.ClientError(description: "the credit index never caught up")
    }

    static func json(_ response: HTTPTestClient.Response) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    static func code(_ response: HTTPTestClient.Response) throws -> String? {
        try json(response)["code"] as? String
    }

    @Test func onlyTheFirmAndItsConsentedLendersReadItsCredit() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try Self.library()) { node in
            let scenario = try await Self.run(on: node)
            let f = scenario.fixture
            _ = try await Self.caughtUp(node, firm: f.id("firmA"))
            let path = "/v1/credit/\(f.id("firmA").hex)/report"
            #expect(try await node.client.get(path).status == 401)
            for stranger in ["lender2", "firmB", "guarantor"] {
                let refused = try await node.signedGet(path, as: f.actor(stranger))
                #expect(refused.status == 403, "\(stranger): \(refused)")
                #expect(try Self.code(refused) == "credit.no_consent")
            }
            let offersByStranger = try await node.signedGet(
                "/v1/credit/\(f.id("firmA").hex)/offers", as: f.actor("lender2"))
            #expect(try Self.code(offersByStranger) == "credit.no_consent")
            let unknown = try await node.signedGet("/v1/credit/\(f.id("lender").hex)/report", as: f.actor("lender"))
            #expect(unknown.status == 404, "a lender is not a firm")

            let own = try Self.json(try await node.signedGet(path, as: f.actor("firmA")))
            #expect((own["model"] as? [String: Any])?["hash"] as? String == Self.modelHash)
            #expect((own["score"] as? Double).map { $0 > 300 && $0 < 900 } == true)
            let lenders = try #require(own["lenders"] as? [[String: Any]])
            #expect(lenders.map { $0["name"] as? String } == ["lender"], "the firm sees the lender it consented to")
            let features = try #require(own["features"] as? [[String: Any]])
            let revenue = try #require(features.first { $0["name"] as? String == FeatureName.revenue3m })
            #expect((revenue["value"] as? Double).map { $0 > 1_000_000 } == true, "\(revenue)")
            let links = try #require(revenue["evidence"] as? [[String: Any]])
            #expect(!links.isEmpty)
            #expect(links.allSatisfy { ($0["proof"] as? String)?.hasSuffix("/proof") == true })

            let lenders2 = try Self.json(try await node.signedGet(path, as: f.actor("lender")))
            #expect(lenders2["featuresHash"] as? String == own["featuresHash"] as? String)
            let decisions = try #require(
                (lenders2["lenders"] as? [[String: Any]])?.first?["decisions"] as? [[String: Any]])
            #expect(
                decisions.map { $0["product"] as? String } == [
                    "working-capital", "receivables", "inventory-pledge", "guarantee",
                ])
            // The lender sees every part of an offer's rate; the firm sees the lender's funding cost, operating cost
            // and margin only as their sum.
            let lenderRates = decisions.compactMap { $0["rate"] as? [String: Any] }
            try #require(!lenderRates.isEmpty, "an offer in the scenario")
            #expect(lenderRates.allSatisfy { $0["fundingCost"] != nil && $0["margin"] != nil })
            let ownRates = try #require((own["lenders"] as? [[String: Any]])?.first?["decisions"] as? [[String: Any]])
                .compactMap { $0["rate"] as? [String: Any] }
            #expect(ownRates.count == lenderRates.count)
            for (rate, full) in zip(ownRates, lenderRates) {
                #expect(rate["fundingCost"] == nil && rate["operatingCost"] == nil && rate["margin"] == nil)
                #expect(rate["expectedLoss"] as? Double == full["expectedLoss"] as? Double)
                let sum = try #require(rate["lenderCostAndMargin"] as? Double)
                let parts = [full["fundingCost"], full["operatingCost"], full["margin"]].compactMap { $0 as? Double }
                #expect(abs(sum - parts.reduce(0, +)) < 1e-12)
            }
        }
    }

    @Test func offersRespectTheirLimitsCommitAndPledgeOnce() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try Self.library()) { node in
            var scenario = try await Self.run(on: node)
            let firm = scenario.fixture.id("firmA")
            let evidence = try await Self.caughtUp(node, firm: firm)
            let answer = try await node.signedGet("/v1/credit/\(firm.hex)/offers", as: scenario.fixture.actor("lender"))
            #expect(answer.status == 200, "\(answer)")
            let body = try Self.json(answer)
            let offers = try #require(body["offers"] as? [[String: Any]])
            let decisions = try #require(body["decisions"] as? [[String: Any]])
            try #require(!offers.isEmpty, "\(answer)")
            let height = await node.node.head.height
            var submitted = [Transaction]()
            for terms in offers {
                let product = try #require(terms["product"] as? String)
                let decision = try #require(
                    decisions.first {
                        ($0["ledgerProduct"] as? String) == product && $0["outcome"] as? String == "offer"
                    })
                let limit = try #require(decision["limit"] as? [String: Any])
                let constraints = try #require(limit["constraints"] as? [[String: Any]])
                let principal = try Self.minorUnits(terms["principal"])
                // The principal is the limit, and no cap is below it.
                for constraint in constraints {
                    let amount = try Self.minorUnits(constraint["amount"])
                    #expect(principal <= amount, "\(product): \(principal) over \(constraint)")
                }
                #expect(terms["modelHash"] as? String == Self.modelHash)
                #expect(terms["featuresHash"] as? String == evidence.features.valuesHash.hex)
                #expect(terms["ledgerHeight"] as? UInt64 == height)
                let collateral = try #require(terms["collateral"] as? [[String: Any]])
                for item in collateral where item["kind"] as? String == "piece" {
                    #expect(scenario.pieces.map(\.hex).contains(item["id"] as? String ?? ""))
                }
                let guarantee = terms["guarantee"] as? [String: Any]
                #expect(
                    (guarantee?["guarantor"] as? String == scenario.fixture.id("guarantor").hex)
                        == (product == "guarantee"))
                submitted.append(scenario.fixture.sign("lender", .makeOffer(try Self.makeOffer(terms))))
            }
            try await Self.queue(node, submitted)
            for offer in submitted {
                guard case .committed(_, _, let result)? = try await node.node.transactionStatus(offer.id) else {
                    Issue.record("offer \(offer.id) did not commit")
                    continue
                }
                #expect(result.accepted, "\(result)")
            }
            // Two offers naming the same piece: the first acceptance pledges it, the second is refused.
            let pledging = submitted.filter {
                if case .makeOffer(let body) = $0.body { return body.collateral.contains(.piece(scenario.pieces[0])) }
                return false
            }
            try #require(!pledging.isEmpty, "the inventory-pledge offer names the warehoused piece")
            do {
                let again = scenario.fixture.sign(
                    "lender",
                    .makeOffer(
                        .init(
                            firm: firm, product: .inventoryPledge, principal: Self.cny(100_000), rateBasisPoints: 900,
                            termDays: 30, modelHash: try #require(Hash256(hex: Self.modelHash)),
                            ledgerHeight: height, expiresAt: node.clock.now().adding(days: 5),
                            collateral: [.piece(scenario.pieces[0])])))
                try await Self.queue(node, [again])
                let first = scenario.fixture.sign("firmA", .acceptOffer(.init(offer: OfferID(pledging[0].id.hash))))
                let second = scenario.fixture.sign("firmA", .acceptOffer(.init(offer: OfferID(again.id.hash))))
                try await Self.queue(node, [first, second])
                guard case .committed(_, _, let accepted)? = try await node.node.transactionStatus(first.id),
                    case .committed(_, _, let refused)? = try await node.node.transactionStatus(second.id)
                else { throw HTTPTestClient.ClientError(description: "acceptances did not commit") }
                #expect(accepted.accepted)
                #expect(refused.error?.code == .alreadyPledged, "\(refused)")
            }
        }
    }

    @Test func everyNodeAtOneHeightGivesTheSameReport() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try Self.library()) { node in
            let scenario = try await Self.run(on: node)
            let firm = scenario.fixture.id("firmA")
            let evidence = try await Self.caughtUp(node, firm: firm)
            // A second node follows the chain block by block with credit on; a third catches up afterwards.
            let blocks = try await node.node.certifiedBlocks(from: 1, limit: 1_000)
            var evidences = [evidence]
            for enableFirst in [true, false] {
                let path = APITestNode.temporaryPath()
                defer { APITestNode.removeStore(at: path) }
                let store = try await SQLiteLedgerStore.open(path: path)
                let other = try await LedgerNode(
                    genesis: scenario.fixture.genesis, store: store, validatorKey: scenario.fixture.actor("v1").key,
                    mempool: Mempool.Bounds(maxCount: 100, maxBytes: 1 << 20), logger: APITestNode.logger)
                let credit = CreditServing(library: try Self.library(), genesis: scenario.fixture.genesis)
                if enableFirst { await credit.attach(to: other) }
                for block in blocks { _ = try await other.applyCertified(block.block, certificate: block.certificate) }
                if !enableFirst {
                    #expect((try? credit.read { $0.evidence(firm: firm) }) == nil, "credit is off until enabled")
                    await credit.attach(to: other)
                    #expect((try? credit.read { $0.evidence(firm: firm) }) == nil, "behind until it catches up")
                    try await credit.catchUp(store: other.store)
                }
                evidences.append(try credit.read { $0.evidence(firm: firm) })
                try await store.close()
            }
            #expect(evidences[1] == evidences[0])
            #expect(evidences[2] == evidences[0])
            let library = try Self.library()
            let policy = try #require(library.policies.first)
            let model = try #require(library.models.values.first)
            let assessments = evidences.map {
                CreditAssessment.assess($0, model: model, products: library.products(of: policy), policy: policy)
            }
            #expect(assessments[1] == assessments[0] && assessments[2] == assessments[0])
            #expect(assessments[0].score.bitPattern == assessments[2].score.bitPattern)
        }
    }

    /// The minor units of a `Money` object.
    static func minorUnits(_ value: Any?) throws -> Int64 {
        let text = (value as? [String: Any])?["minorUnits"] as? String
        return try #require(text.flatMap { Int64($0) })
    }

    static func hash(_ value: Any?) throws -> Hash256 {
        try #require((value as? String).flatMap(Hash256.init(hex:)))
    }

    /// The `make_offer` body of an offer's terms, as a lender's client builds it.
    static func makeOffer(_ terms: [String: Any]) throws -> MakeOffer {
        func hash(_ key: String) throws -> Hash256 { try Self.hash(terms[key]) }
        func money(_ value: Any?) throws -> Money { cny(try minorUnits(value)) }
        let product = try #require(
            Product.allCases.first { APIJSONNames.product($0) == terms["product"] as? String })
        let collateral = try (try #require(terms["collateral"] as? [[String: Any]])).map { item -> Collateral in
            let id = try Self.hash(item["id"])
            return item["kind"] as? String == "piece" ? .piece(PieceID(id)) : .invoice(InvoiceID(id))
        }
        var guarantee: OfferGuarantee?
        if let body = terms["guarantee"] as? [String: Any] {
            guarantee = OfferGuarantee(
                guarantor: MemberID(try Self.hash(body["guarantor"])),
                coverageBasisPoints: try #require(body["coverageBasisPoints"] as? UInt32), fee: try money(body["fee"]))
        }
        return MakeOffer(
            firm: MemberID(try hash("firm")), product: product, principal: try money(terms["principal"]),
            rateBasisPoints: try #require(terms["rateBasisPoints"] as? UInt32),
            termDays: try #require(terms["termDays"] as? UInt32), modelHash: try hash("modelHash"),
            ledgerHeight: try #require(terms["ledgerHeight"] as? UInt64), featuresHash: try hash("featuresHash"),
            expiresAt: try Timestamp(millis: try #require(terms["expiresAt"] as? Int64)), collateral: collateral,
            guarantee: guarantee)
    }
}

/// The API's product names (`working_capital`, …).
enum APIJSONNames {
    static func product(_ product: Product) -> String {
        switch product {
        case .workingCapital: "working_capital"
        case .receivablesFinancing: "receivables_financing"
        case .inventoryPledge: "inventory_pledge"
        case .guarantee: "guarantee"
        }
    }
}
