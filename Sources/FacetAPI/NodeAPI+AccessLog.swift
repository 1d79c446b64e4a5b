import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetWire
import Hummingbird

/// A firm's access log: the receipts the node recorded of reads of the firm's private data by others (a consented
/// lender, an auditor), newest first. Answered to the firm itself and to auditors; to anyone else, and for an id
/// that is no member, the same 404, so the route confirms neither who reads whom nor that the firm exists.
extension NodeAPI {
    /// Receipts per page when `limit` is not given, and the most a page holds.
    static let accessLogDefaultLimit = 100
    static let accessLogMaxLimit = 500

    func addAccessLogRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/members/:id/access-log") { request, context in
            let firm = MemberID(try APIInput.id(context))
            let query = request.uri.queryParameters
            let before = try APIInput.time(query.get("before"), "before")
            let limit = try Self.accessLogLimit(query.get("limit"))
            let viewer = try await signedMember(request)
            guard await mayReadAccessLog(of: firm, viewer: viewer) else {
                throw APIError.notFound("no access log for \(firm.hex)")
            }
            let log = try await accessLog(of: firm, before: before, limit: limit)
            // An auditor reading who read a firm is itself a read of the firm's data: receipted like any other.
            if viewer.id != firm {
                try await receipt(firm: firm, basis: .auditor, consent: nil, reader: viewer.id, what: "access-log")
            }
            return APIJSON.response(log)
        }
    }

    /// The firm itself (suspended or not), or an active auditor; only for a member.
    func mayReadAccessLog(of firm: MemberID, viewer: Member) async -> Bool {
        guard await node.record(Member.self, firm.hash) != nil else { return false }
        if viewer.id == firm { return true }
        return viewer.status == .active && viewer.roles.contains(.auditor)
    }

    /// A page of the firm's receipts, each with its reader's name, and where the next page starts.
    package func accessLog(of firm: MemberID, before: Timestamp?, limit: Int) async throws(APIError) -> APIJSON.AccessLogBody {
        let (receipts, more) = try await read { () async throws(StoreError) -> ([AccessReceipt], Bool) in
            let page = try await node.store.receipts(firm: firm, before: before, limit: limit)
            guard let last = page.last else { return (page, false) }
            let older = try await node.store.receipts(firm: firm, before: last.at, limit: 1)
            return (page, !older.isEmpty)
        }
        var names = [MemberID: String]()
        for reader in Set(receipts.map(\.reader)).sorted() {
            names[reader] = await node.record(Member.self, reader.hash)?.name
        }
        return APIJSON.AccessLogBody(
            firm: firm.hex, receipts: receipts.map { APIJSON.AccessReceiptBody($0, readerName: names[$0.reader]) },
            next: more ? receipts.last?.at.millis : nil)
    }

    /// `limit`: 1 through `accessLogMaxLimit`, by default `accessLogDefaultLimit`.
    static func accessLogLimit(_ text: String?) throws(APIError) -> Int {
        guard let text else { return accessLogDefaultLimit }
        guard (1...3).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let limit = Int(text), (1...accessLogMaxLimit).contains(limit)
        else { throw APIError.badRequest(.badQuery, "limit is an integer from 1 to \(accessLogMaxLimit)") }
        return limit
    }
}
