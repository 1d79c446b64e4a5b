import FacetCore
import FacetHTML
@testable import FacetDashboard
import FacetLedger
import FacetStore
import FacetTestSupport
import Testing

@testable import FacetNode

/// The firm page's "Who read my data": the firm sees the receipts of others' reads of its data, newest first, with
/// the readers' names; a consented lender reading the same page sees no such section.
@Suite struct DashboardAccessLogTests {
    @Test func theFirmSeesWhoReadItsDataAndALenderDoesNot() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            let firm = f.id("firmA")
            _ = try await APICreditTests.caughtUp(node, firm: firm)
            let path = "/dash/firms/\(firm.hex)"
            let firmCookie = try await DashboardTests.signIn(node, f.actor("firmA"))

            let before = try await node.client.get(path, headers: [("Cookie", firmCookie)])
            #expect(before.status == 200, "\(before)")
            let empty = try #require(DashboardFirmSectionsTests.section("access-log", in: before.text))
            #expect(empty.contains("Who read my data") && empty.contains("No one else has read your data"))

            let now = node.clock.now().millis
            let granted = Timestamp(uncheckedMillis: 1_767_225_000_000)
            let report = AccessReceipt(
                firm: firm, reader: f.id("lender"), what: "credit.report", basis: .consent(grantedAt: granted),
                at: Timestamp(uncheckedMillis: now - 120_000), height: 5)
            let audit = AccessReceipt(
                firm: firm, reader: f.id("lender2"), what: "dashboard.firm", basis: .auditor,
                at: Timestamp(uncheckedMillis: now - 60_000), height: 6, count: 4)
            let elsewhere = AccessReceipt(
                firm: f.id("firmB"), reader: f.id("lender"), what: "records.loans", basis: .auditor,
                at: Timestamp(uncheckedMillis: now - 30_000), height: 6)
            try await node.store.recordReceipts([report, audit, elsewhere])

            let page = try await node.client.get(path, headers: [("Cookie", firmCookie)])
            #expect(page.status == 200, "\(page)")
            let section = try #require(DashboardFirmSectionsTests.section("access-log", in: page.text))
            #expect(section.contains("<h2>Who read my data</h2>"))
            #expect(
                DashboardTests.values(of: "data-reader", in: section) == [f.id("lender2").hex, f.id("lender").hex],
                "newest first, firmB's receipt not listed")
            #expect(DashboardTests.values(of: "data-what", in: section) == ["dashboard.firm", "credit.report"])
            let auditRow = try #require(
                DashboardFirmSectionsTests.row("<tr data-reader=\"\(f.id("lender2").hex)\"", in: section))
            #expect(auditRow.contains("lender2") && auditRow.contains("<td>auditor</td>"))
            #expect(auditRow.contains(DashboardFormat.dateTime(audit.at)) && auditRow.contains(">4</td>"))
            let reportRow = try #require(
                DashboardFirmSectionsTests.row("<tr data-reader=\"\(f.id("lender").hex)\"", in: section))
            #expect(reportRow.contains("your consent of \(DashboardFormat.dateTime(granted))"))
            #expect(reportRow.contains(">5</td>"), "the height read")

            let lenderPage = try await node.client.get(
                path, headers: [("Cookie", try await DashboardTests.signIn(node, f.actor("lender")))])
            #expect(lenderPage.status == 200, "\(lenderPage)")
            #expect(DashboardFirmSectionsTests.section("access-log", in: lenderPage.text) == nil)
            #expect(!lenderPage.text.contains("Who read my data"))
        }
    }
}
