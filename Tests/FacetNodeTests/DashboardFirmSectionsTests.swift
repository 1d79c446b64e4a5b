import FacetCore
import FacetHTML
@testable import FacetDashboard
import FacetLedger
import FacetScorecard
import FacetTestSupport
import Foundation
import Testing

@testable import FacetCredit
@testable import FacetNode

/// The firm page's sections beside the features — buyer concentration, payment behaviour, inventory by category,
/// loans and open offers — checked against the ledger on the credit scenario of `APICreditTests`, and the
/// applicants page's trend and cluster columns.
@Suite struct DashboardFirmSectionsTests {
    /// The scenario plus: firmC confirms a 100,000 CNY invoice; the lender lends firmA against the second piece
    /// (active) and lends 20,000 CNY for a day that firmA repays; and it leaves a 12.34% offer open.
    struct Extended {
        var fixture: LedgerFixture
        var pieces: [PieceID]
        var activeLoan: LoanID
        var repaidLoan: LoanID
        var openOffer: OfferID
    }

    static func extend(_ node: APITestNode) async throws -> Extended {
        let scenario = try await APICreditTests.run(on: node)
        var f = scenario.fixture
        let model = try #require(Hash256(hex: APICreditTests.modelHash))
        let invoice = f.sign(
            "firmA",
            .issueInvoice(
                .init(
                    buyer: f.id("firmC"), amount: APICreditTests.cny(10_000_000),
                    dueAt: node.clock.now().adding(days: 30), pieces: [], channel: .wholesale)))
        try await APICreditTests.queue(node, [invoice])
        try await APICreditTests.queue(
            node, [f.sign("firmC", .confirmInvoice(.init(invoice: InvoiceID(invoice.id.hash))))])

        func offer(_ product: Product, principal: Int64, rate: UInt32, days: UInt32, collateral: [Collateral])
            async -> Transaction
        {
            let height = await node.node.head.height
            return f.sign(
                "lender",
                .makeOffer(
                    .init(
                        firm: f.id("firmA"), product: product, principal: APICreditTests.cny(principal),
                        rateBasisPoints: rate, termDays: days, modelHash: model, ledgerHeight: height,
                        expiresAt: node.clock.now().adding(days: 5), collateral: collateral)))
        }
        let pledge = await offer(
            .inventoryPledge, principal: 5_000_000, rate: 800, days: 90, collateral: [.piece(scenario.pieces[1])])
        let short = await offer(.workingCapital, principal: 2_000_000, rate: 900, days: 1, collateral: [])
        let open = await offer(.workingCapital, principal: 3_000_000, rate: 1_234, days: 60, collateral: [])
        try await APICreditTests.queue(node, [pledge, short, open])
        let acceptPledge = f.sign("firmA", .acceptOffer(.init(offer: OfferID(pledge.id.hash))))
        let acceptShort = f.sign("firmA", .acceptOffer(.init(offer: OfferID(short.id.hash))))
        try await APICreditTests.queue(node, [acceptPledge, acceptShort])
        let repaid = LoanID(acceptShort.id.hash)
        let repay = f.sign("lender", .repay(.init(loan: repaid, amount: APICreditTests.cny(2_000_000))))
        try await APICreditTests.queue(node, [repay])
        try await DashboardPagesTests.expectAccepted(
            node, [invoice, pledge, short, open, acceptPledge, acceptShort, repay])
        return Extended(
            fixture: f, pieces: scenario.pieces, activeLoan: LoanID(acceptPledge.id.hash), repaidLoan: repaid,
            openOffer: OfferID(open.id.hash))
    }

    /// The markup of `<section id="id">`, or nil.
    static func section(_ id: String, in html: String) -> String? {
        html.components(separatedBy: "<section id=\"\(id)\">").dropFirst().first?.components(separatedBy: "</section>")
            .first
    }

    /// The markup of the first row whose opening tag starts with `prefix`.
    static func row(_ prefix: String, in html: String) -> String? {
        html.components(separatedBy: prefix).dropFirst().first?.components(separatedBy: "</tr>").first
    }

    static func number(_ features: FirmFeatures, _ name: String) throws -> Double {
        guard case .number(let value)? = features.values[name] else {
            throw HTTPTestClient.ClientError(description: "\(name) is missing")
        }
        return value
    }

    @Test func theFirmPageSectionsShowTheLedgersBuyersStockLoansAndOffers() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await Self.extend(node)
            let f = scenario.fixture
            let evidence = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let page = try await node.client.get(
                "/dash/firms/\(f.id("firmA").hex)",
                headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("lender")))])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            for id in ["concentration", "payments", "inventory", "loans", "offers"] {
                #expect(Self.section(id, in: html) != nil, "section \(id)")
            }

            // Concentration: firmB then firmC, shares summing to one, their squares to the feature.
            let buyers = try #require(Self.section("concentration", in: html))
            let shares = DashboardTests.values(of: "data-share", in: buyers).compactMap(Double.init)
            #expect(shares.count == 2)
            #expect(abs(shares.reduce(0, +) - 1) < 1e-9, "\(shares)")
            let hhi = try Self.number(evidence.features, FeatureName.buyerHHI)
            #expect(abs(shares.reduce(0) { $0 + $1 * $1 } - hhi) < 1e-9, "the squares add up to buyer_hhi")
            #expect(DashboardTests.values(of: "data-buyer", in: buyers) == [f.id("firmB").hex, f.id("firmC").hex])
            #expect(buyers.contains("firmB <code") && buyers.contains("firmC <code"), "buyers are named")
            #expect(buyers.contains("Buyer HHI<b>\(DashboardFormat.number(hhi, digits: 4))</b>"))

            // Payments: the three features with their values.
            let payments = try #require(Self.section("payments", in: html))
            for name in [FeatureName.dsoDays, FeatureName.latePaymentRate, FeatureName.daysPastDue] {
                #expect(payments.contains("<tr data-payment=\"\(name)\">"), "\(name)")
            }
            let pastDue = try Self.number(evidence.features, FeatureName.daysPastDue)
            #expect(
                Self.row("<tr data-payment=\"\(FeatureName.daysPastDue)\">", in: payments)?.contains(
                    ">\(DashboardFormat.number(pastDue)) days<") == true)

            // Inventory: two gold pieces, one in custody and one pledged, at the features' value.
            let inventory = try #require(Self.section("inventory", in: html))
            let gold = try #require(Self.row("<tr data-category=\"gold\"", in: inventory))
            #expect(gold.hasPrefix(" data-count=\"2\""), "\(gold)")
            #expect(gold.contains("<td class=\"num\" data-custody>50.0%</td>"), "\(gold)")
            #expect(gold.contains("<td class=\"num\" data-pledged>50.0%</td>"), "\(gold)")
            #expect(gold.contains("<td class=\"num\" data-certified>0.0%</td>"))
            let total = try #require(Self.row("<tr data-category=\"all\"", in: inventory))
            let value = try #require(DashboardTests.values(of: "data-value", in: total).first.flatMap(Double.init))
            #expect(value == (try Self.number(evidence.features, FeatureName.inventoryValue)))
            #expect(value == 2 * 200 * 480, "two 200 g pieces at 480 CNY/g")
            for piece in scenario.pieces {
                #expect(inventory.contains("href=\"/dash/pieces/\(piece.hex)\""), "piece \(piece.hex)")
            }

            // Loans: the active pledge and the repaid loan, each linked to its proof.
            let loans = try #require(Self.section("loans", in: html))
            #expect(DashboardTests.values(of: "data-loan", in: loans).count == 2)
            let active = try #require(
                Self.row("<tr data-loan=\"\(scenario.activeLoan.hex)\" data-status=\"active\">", in: loans))
            #expect(active.contains("50,000.00 CNY"), "principal and outstanding")
            #expect(active.contains("href=\"/dash/proof/\(scenario.activeLoan.hex)\""))
            #expect(active.contains(">lender <code"), "the lender is named")
            let repaid = try #require(
                Self.row("<tr data-loan=\"\(scenario.repaidLoan.hex)\" data-status=\"repaid\">", in: loans))
            #expect(repaid.contains("<td class=\"num\">0.00 CNY</td>"), "nothing outstanding")
            let proof = try await node.signedGet("/v1/transactions/\(scenario.activeLoan.hex)/proof", as: f.actor("lender"))
            #expect(proof.status == 200, "the linked proof exists")

            // Offers: only the one still open, with its rate.
            let offers = try #require(Self.section("offers", in: html))
            #expect(DashboardTests.values(of: "data-offer", in: offers) == [scenario.openOffer.hex])
            let open = try #require(Self.row("<tr data-offer=\"\(scenario.openOffer.hex)\"", in: offers))
            #expect(open.hasPrefix(" data-rate-bps=\"1234\">"))
            #expect(open.contains("12.34%") && open.contains("30,000.00 CNY") && open.contains("60 days"))
            #expect(open.contains(String(APICreditTests.modelHash.prefix(10))), "the model it names")
        }
    }

    @Test func theApplicantsPageHasTrendAndClusterColumns() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            let evidence = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let hash = try #require(Hash256(hex: APICreditTests.modelHash))
            let model = try #require(try APICreditTests.library().models[hash])
            let earlier = try #require(
                try node.credit?.read { $0.features(firms: [f.id("firmA")], daysBefore: ApplicantsPage.trendDays) }.first)
            #expect(earlier.asOf.millis == evidence.features.asOf.millis - 90 * Timestamp.millisPerDay)
            let trend = model.score(evidence.features.values).score - model.score(earlier.values).score
            #expect(trend != 0, "four months of growing sales move the score")

            let page = try await node.client.get(
                "/dash/applicants", headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("lender")))])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            #expect(html.contains("data-sort=\"trend\" data-numeric"))
            #expect(html.contains("data-sort=\"cluster\">"))
            #expect(html.contains("<select id=\"filter-cluster\"><option value=\"\">all</option>"))
            #expect(html.contains("<option value=\"Shuibei gold\">Shuibei gold</option>"))
            let row = try #require(Self.row("<tr data-firm=\"\(f.id("firmA").hex)\"", in: html))
            #expect(row.contains("data-cluster=\"Shuibei gold\""), "firmA keeps gold only")
            #expect(row.contains("data-trend=\"\(String(trend))\""), "\(row)")
            #expect(row.contains("<td class=\"num\">\(HTML.escape(ApplicantsPage.trendText(trend)))</td>"))
            #expect(html.contains("derived from the trading cluster"), "the page says the cluster is derived")
        }
    }

    @Test func theClusterIsTheCategoryHoldingMostStockByValue() {
        func stock(_ items: [(PieceCategory, Double)]) -> [StockValue] {
            items.enumerated().map { index, item in
                StockValue(piece: PieceID(SHA256Hash.digest([UInt8(index)])), category: item.0, value: item.1)
            }
        }
        #expect(ApplicantsPage.cluster(of: []) == nil)
        #expect(
            ApplicantsPage.cluster(of: stock([(.gold, 10), (.gold, 10), (.labGrownDiamond, 30)])) == "Panyu diamond")
        #expect(ApplicantsPage.cluster(of: stock([(.jadeite, 5), (.crystal, 1)])) == "Pingzhou jade")
        #expect(
            ApplicantsPage.cluster(of: stock([(.pearl, 0), (.gold, 0), (.pearl, 0)])) == "Donghai crystal", "by count")
        #expect(
            ApplicantsPage.cluster(of: stock([(.gold, 1), (.naturalDiamond, 0), (.naturalDiamond, 0)]))
                == "Shuibei gold")
        #expect(ApplicantsPage.trendText(12.34) == "▲ 12.3")
        #expect(ApplicantsPage.trendText(-4) == "▼ 4.0")
        #expect(ApplicantsPage.trendText(0.01) == "= 0.0")
    }
}
