import FacetCore
import FacetLedger

/// A firm's private data: readable by the firm, a counterparty of the records it shares, or a lender holding the
/// firm's consent. Each request carries a `RequestSignature` by `signer`, for the chain id of `/v1/status`.
extension NodeClient {
    /// `GET /v1/members/{id}/invoices?from=&to=` (milliseconds, from inclusive, to exclusive).
    public func invoices(
        of member: MemberID, from: Timestamp? = nil, to: Timestamp? = nil, signer: MemberKey
    ) async throws(ClientError) -> [NodeAPI.Invoice] {
        try await signedGet(
            [NodeAPI.Invoice].self, NodeClient.path(member, "invoices", from: from, to: to), signer: signer)
    }

    /// `GET /v1/members/{id}/payments?from=&to=`.
    public func payments(
        of member: MemberID, from: Timestamp? = nil, to: Timestamp? = nil, signer: MemberKey
    ) async throws(ClientError) -> [NodeAPI.HistoryEntry] {
        try await signedGet(
            [NodeAPI.HistoryEntry].self, NodeClient.path(member, "payments", from: from, to: to), signer: signer)
    }

    /// `GET /v1/members/{id}/pledges`.
    public func pledges(of member: MemberID, signer: MemberKey) async throws(ClientError) -> [NodeAPI.Pledge] {
        try await signedGet([NodeAPI.Pledge].self, NodeClient.path(member, "pledges"), signer: signer)
    }

    /// `GET /v1/members/{id}/loans`.
    public func loans(of member: MemberID, signer: MemberKey) async throws(ClientError) -> [NodeAPI.Loan] {
        try await signedGet([NodeAPI.Loan].self, NodeClient.path(member, "loans"), signer: signer)
    }

    /// The path and query exactly as sent and signed: `from` before `to`, each only when given.
    static func path(_ member: MemberID, _ collection: String, from: Timestamp? = nil, to: Timestamp? = nil)
        -> String
    {
        var query = [String]()
        if let from { query.append("from=\(from.millis)") }
        if let to { query.append("to=\(to.millis)") }
        let path = "/v1/members/\(member.hex)/\(collection)"
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }

    /// The `Authorization` value for a GET of `pathAndQuery` now, by `signer`, for `chainID`.
    public func authorization(pathAndQuery: String, chainID: Label, signer: MemberKey) -> String {
        RequestSignature(
            method: "GET", pathAndQuery: pathAndQuery, timeMillis: currentMillis, chainID: chainID, signer: signer
        ).description
    }

    func signedGet<T: Decodable>(
        _ type: T.Type, _ pathAndQuery: String, signer: MemberKey
    ) async throws(ClientError) -> T {
        let chainID = try await chainID()
        return try await get(
            T.self, pathAndQuery,
            authorization: authorization(pathAndQuery: pathAndQuery, chainID: chainID, signer: signer))
    }
}
