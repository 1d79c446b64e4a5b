import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Foundation
import Testing

/// Reads of a firm's data by others leave receipts the firm reads back: a consented lender's report with the consent
/// it used, an auditor's reads under its role; the firm's own reads and its counterparties' leave none.
@Suite struct ReadReceiptTests {
    @Test func aLendersReportReadIsReceiptedWithItsConsentAndTheFirmsOwnReadsAreNot() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture, credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node, fixture: fixture)
            let f = scenario.fixture
            let firm = f.id("firmA")
            _ = try await APICreditTests.caughtUp(node, firm: firm)
            let consent = try #require(await node.node.record(Consent.self, Consent.key(firm: firm, lender: f.id("lender"))))
            let log = "/v1/members/\(firm.hex)/access-log"
            func receipts() async throws -> [[String: Any]] {
                let answer = try await node.signedGet(log, as: f.actor("firmA"))
                #expect(answer.status == 200, "\(answer)")
                return answer.object["receipts"] as? [[String: Any]] ?? []
            }

            // The firm reads its own report, records and blocks: nothing is receipted.
            #expect(try await node.signedGet("/v1/credit/\(firm.hex)/report", as: f.actor("firmA")).status == 200)
            #expect(try await node.signedGet("/v1/members/\(firm.hex)/invoices", as: f.actor("firmA")).status == 200)
            #expect(try await node.signedGet("/v1/blocks/2", as: f.actor("firmA")).status == 200)
            // Its buyer reads the invoices it is a party to: a counterparty, so nothing either.
            #expect(try await node.signedGet("/v1/members/\(firm.hex)/invoices", as: f.actor("firmB")).status == 200)
            #expect(try await receipts().isEmpty)

            // The lender reads the report on the firm's consent: one receipt naming the consent.
            #expect(try await node.signedGet("/v1/credit/\(firm.hex)/report", as: f.actor("lender")).status == 200)
            var list = try await receipts()
            #expect(list.count == 1)
            let first = try #require(list.first)
            #expect(first["reader"] as? String == f.id("lender").hex && first["readerName"] as? String == "lender")
            #expect(first["what"] as? String == "credit.report" && first["basis"] as? String == "consent")
            #expect(first["consentGrantedAt"] as? Int == Int(consent.grantedAt.millis))

            // The auditor reads the firm's invoices and a block: receipted under its role.
            #expect(try await node.signedGet("/v1/members/\(firm.hex)/invoices", as: f.actor("auditor")).status == 200)
            #expect(try await node.signedGet("/v1/blocks/3", as: f.actor("auditor")).status == 200)
            #expect(try await node.signedGet("/v1/credit/\(firm.hex)/report", as: f.actor("auditor")).status == 200)
            list = try await receipts()
            let byAuditor = list.filter { $0["reader"] as? String == f.id("auditor").hex }
            #expect(Set(byAuditor.compactMap { $0["what"] as? String }) == ["records.invoices", "block", "credit.report"])
            #expect(byAuditor.allSatisfy { $0["basis"] as? String == "auditor" && $0["consentGrantedAt"] is NSNull })
            // The auditor may read the log too (and that read is receipted); the lender may not see it exists.
            #expect(try await node.signedGet(log, as: f.actor("auditor")).status == 200)
            let refused = try await node.signedGet(log, as: f.actor("lender"))
            #expect(refused.status == 404 && refused.code == "api.not_found")
            #expect(try await receipts().contains { $0["what"] as? String == "access-log" })
        }
    }

    @Test func aStoreThatCannotTakeTheReceiptFailsTheRead() async throws {
        // No private read goes unreceipted: with the store closed, the lender's report is refused, not served.
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture, credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node, fixture: fixture)
            let firm = scenario.fixture.id("firmA")
            _ = try await APICreditTests.caughtUp(node, firm: firm)
            try await node.store.close()
            let answer = try await node.signedGet("/v1/credit/\(firm.hex)/report", as: scenario.fixture.actor("lender"))
            #expect(answer.status == 503 && answer.code == "store.closed", "\(answer)")
        }
    }
}
