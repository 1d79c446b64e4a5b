import FacetAPI
import FacetCore
import FacetLedger
import FacetNode
import FacetWire

extension NodeAPI {
    /// The firm page's "Who read my data": the newest `FirmPage.accessLogLimit` receipts when the signed-in viewer
    /// is the firm itself; nil (no section) for anyone else, a consented lender included.
    func firmPageAccessLog(viewer: Member, firm: MemberID) async throws(APIError) -> APIJSON.AccessLogBody? {
        guard viewer.id == firm else { return nil }
        return try await accessLog(of: firm, before: nil, limit: FirmPage.accessLogLimit)
    }
}
