@testable import FacetAPI
import FacetClient
import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// `GET /v1/members/{id}/access-log`: the firm reads the receipts the node recorded of others' reads of its data,
/// newest first and page by page; anyone else gets the 404 an unknown member gets.
@Suite struct APIAccessLogTests {
    let fixture = LedgerFixture(validators: 1)
    static let granted = Timestamp(uncheckedMillis: 1_767_225_000_000)

    /// Two reads of firmA (the lender's report under consent, then an auditor-basis read by lender2) and one of
    /// firmB, just before the node's clock.
    func recordReceipts(_ node: APITestNode) async throws -> [AccessReceipt] {
        let now = node.clock.now().millis
        let firmA = [
            AccessReceipt(
                firm: fixture.id("firmA"), reader: fixture.id("lender"), what: "credit.report",
                basis: .consent(grantedAt: Self.granted), at: Timestamp(uncheckedMillis: now - 5_000), height: 3),
            AccessReceipt(
                firm: fixture.id("firmA"), reader: fixture.id("lender2"), what: "transaction", basis: .auditor,
                at: Timestamp(uncheckedMillis: now - 1_000), height: 4, count: 3),
        ]
        let firmB = AccessReceipt(
            firm: fixture.id("firmB"), reader: fixture.id("lender"), what: "records.invoices",
            basis: .consent(grantedAt: Self.granted), at: Timestamp(uncheckedMillis: now - 500), height: 4)
        try await node.store.recordReceipts(firmA + [firmB])
        return firmA
    }

    @Test func theFirmReadsItsLogNewestFirst() async throws {
        try await APITestNode.with(fixture) { node in
            let recorded = try await recordReceipts(node)
            let path = "/v1/members/\(fixture.id("firmA").hex)/access-log"
            let response = try await node.signedGet(path, as: fixture.actor("firmA"))
            #expect(response.status == 200, "\(response)")
            #expect(response.object["firm"] as? String == fixture.id("firmA").hex)
            #expect(response.object["next"] is NSNull, "the whole log fits")
            let receipts = try #require(response.object["receipts"] as? [[String: Any]])
            #expect(receipts.count == 2, "firmB's receipt is not in firmA's log")
            let audit = receipts[0]
            #expect(audit["reader"] as? String == fixture.id("lender2").hex)
            #expect(audit["readerName"] as? String == "lender2")
            #expect(audit["what"] as? String == "transaction")
            #expect(audit["basis"] as? String == "auditor")
            #expect(audit["consentGrantedAt"] is NSNull)
            #expect(audit["at"] as? Int64 == recorded[1].at.millis)
            #expect(audit["height"] as? Int == 4 && audit["count"] as? Int == 3)
            let report = receipts[1]
            #expect(report["readerName"] as? String == "lender")
            #expect(report["what"] as? String == "credit.report")
            #expect(report["basis"] as? String == "consent")
            #expect(report["consentGrantedAt"] as? Int64 == Self.granted.millis)
            #expect(report["count"] as? Int == 1)

            let page = try await node.signedGet(path + "?limit=1", as: fixture.actor("firmA"))
            #expect((page.object["receipts"] as? [[String: Any]])?.count == 1)
            #expect(page.object["next"] as? Int64 == recorded[1].at.millis, "the next page's before")
            let older = try await node.signedGet(
                path + "?before=\(recorded[1].at.millis)&limit=1", as: fixture.actor("firmA"))
            #expect((older.object["receipts"] as? [[String: Any]])?.first?["what"] as? String == "credit.report")
            #expect(older.object["next"] is NSNull)
        }
    }

    @Test func anyoneButTheFirmGetsTheUnknownMembersAnswer() async throws {
        try await APITestNode.with(fixture) { node in
            _ = try await recordReceipts(node)
            let path = "/v1/members/\(fixture.id("firmA").hex)/access-log"
            let unknown = MemberID(SHA256Hash.digest([7]))
            let missing = try await node.signedGet(
                "/v1/members/\(unknown.hex)/access-log", as: fixture.actor("firmB"))
            #expect(missing.status == 404 && missing.code == "api.not_found")
            // The reader it lists, an unrelated firm and an admin alike: no confirmation of who reads whom.
            for reader in ["lender", "lender2", "firmB", "admin"] {
                let refused = try await node.signedGet(path, as: fixture.actor(reader))
                #expect(refused.status == 404 && refused.code == "api.not_found", "\(reader)")
                #expect(!refused.text.contains("lender"), "\(reader): nothing of the log")
            }
            let refusedToFirmB = try await node.signedGet(path, as: fixture.actor("firmB"))
            #expect(
                missing.text.replacingOccurrences(of: unknown.hex, with: "ID")
                    == refusedToFirmB.text.replacingOccurrences(of: fixture.id("firmA").hex, with: "ID"),
                "the same answer as for no member at all")
            let unsigned = try await node.client.get(path)
            #expect(unsigned.status == 401 && unsigned.code == "api.unauthenticated")
            for query in ["?limit=0", "?limit=501", "?limit=x", "?before=-1", "?before=abc"] {
                let bad = try await node.signedGet(path + query, as: fixture.actor("firmA"))
                #expect(bad.status == 400 && bad.code == "api.bad_query", "\(query)")
            }
        }
    }

    /// Receipts written through the store read back through `NodeClient`, page by page.
    @Test func receiptsReadBackThroughTheClient() async throws {
        try await APITestNode.with(fixture) { node in
            let firm = fixture.id("firmA")
            let now = node.clock.now().millis
            // 120 reads, one a minute, by two lenders: three pages of 50.
            let readers = [fixture.id("lender"), fixture.id("lender2")]
            var written = [AccessReceipt]()
            for minute in 0..<120 {
                let at = Timestamp(uncheckedMillis: now - Int64(120 - minute) * 60_000)
                written.append(
                    AccessReceipt(
                        firm: firm, reader: readers[minute % 2], what: "credit.offers",
                        basis: .consent(grantedAt: Self.granted), at: at, height: UInt64(minute)))
            }
            try await node.store.recordReceipts(written)
            let clock = node.clock
            let client = NodeClient(
                baseURL: try #require(URL(string: "http://127.0.0.1:\(node.client.port)")),
                now: { clock.now().millis })
            let key = MemberKey(firstKey: fixture.actor("firmA").key)
            var read = [FacetClient.NodeAPI.AccessReceipt]()
            var before: Timestamp?
            var pages = 0
            repeat {
                let page = try await client.accessLog(firm: firm, key: key, before: before, limit: 50)
                #expect(page.firm == firm.hex)
                read += page.receipts
                before = try page.next.map { try Timestamp(millis: $0) }
                pages += 1
            } while before != nil && pages < 10
            #expect(pages == 3)
            #expect(read.map(\.at) == written.reversed().map(\.at.millis), "every receipt, newest first")
            #expect(read.map(\.height) == written.reversed().map(\.height))
            #expect(read.first?.readerName == "lender2" && read.last?.readerName == "lender")
            #expect(read.allSatisfy { $0.basis == .consent && $0.consentGrantedAt == Self.granted.millis })

            let other = MemberKey(firstKey: fixture.actor("lender").key)
            let error = await #expect(throws: ClientError.self) {
                try await client.accessLog(firm: firm, key: other)
            }
            #expect(error?.code.rawValue == "api.not_found" && error?.httpStatus == 404)
        }
    }
}
