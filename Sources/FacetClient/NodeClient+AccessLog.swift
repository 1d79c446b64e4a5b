import FacetCore

/// A firm's access log: readable by the firm itself (and auditors). Signed like the other private reads.
extension NodeClient {
    /// `GET /v1/members/{id}/access-log?before=&limit=`: the newest receipts of reads of `firm`'s data (before
    /// `before`, when given; at most `limit`, the node's default when nil), signed by `key`.
    public func accessLog(
        firm: MemberID, key: MemberKey, before: Timestamp? = nil, limit: Int? = nil
    ) async throws(ClientError) -> NodeAPI.AccessLog {
        try await signedGet(
            NodeAPI.AccessLog.self, NodeClient.accessLogPath(firm, before: before, limit: limit), signer: key)
    }

    /// The path and query exactly as sent and signed: `before` before `limit`, each only when given.
    static func accessLogPath(_ firm: MemberID, before: Timestamp?, limit: Int?) -> String {
        var query = [String]()
        if let before { query.append("before=\(before.millis)") }
        if let limit { query.append("limit=\(limit)") }
        let path = "/v1/members/\(firm.hex)/access-log"
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }
}
