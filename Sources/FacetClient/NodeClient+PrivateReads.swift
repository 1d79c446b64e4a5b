import FacetCore
import FacetLedger
import Foundation

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

    /// The `Authorization` value for a GET of `pathAndQuery` now, by `signer`, for `chainID` and the node `node`,
    /// with a fresh random nonce: the node answers it once.
    public func authorization(pathAndQuery: String, chainID: Label, node: MemberID, signer: MemberKey) -> String {
        var random = SystemRandomNumberGenerator()
        return SignedRead.signForNode(
            target: pathAndQuery, time: currentMillis, member: signer.member, key: signer.key, chainID: chainID,
            node: node, nonceFrom: &random
        ).headerValue
    }

    /// The chain id and the node's id a signed read names, from `/v1/status` (asked once per client).
    public func identity() async throws(ClientError) -> (chainID: Label, node: MemberID) {
        if let known = identityCache.value { return known }
        let status = try await status()
        guard let chainID = try? Label(status.chainID) else {
            throw ClientError(.badResponse, "GET /v1/status: the chain id \(status.chainID) is not a label")
        }
        guard let node = MemberID(hex: status.node) else {
            throw ClientError(.badResponse, "GET /v1/status: no node id to sign reads for")
        }
        identityCache.value = (chainID, node)
        return (chainID, node)
    }

    func signedGet<T: Decodable>(
        _ type: T.Type, _ pathAndQuery: String, signer: MemberKey
    ) async throws(ClientError) -> T {
        let (data, _) = try await signedSend(pathAndQuery, signer: signer)
        return try NodeClient.decode(T.self, data, request: "GET \(pathAndQuery)")
    }

    /// A GET, signed by `signer` when there is one.
    func read<T: Decodable>(_ type: T.Type, _ pathAndQuery: String, signer: MemberKey?) async throws(ClientError)
        -> T
    {
        guard let signer else { return try await get(T.self, pathAndQuery) }
        return try await signedGet(T.self, pathAndQuery, signer: signer)
    }

    /// A signed GET's body and status.
    func signedSend(_ pathAndQuery: String, signer: MemberKey, accept: String = "application/json")
        async throws(ClientError) -> (Data, Int)
    {
        let (chainID, node) = try await identity()
        return try await send(
            "GET", pathAndQuery,
            authorization: authorization(pathAndQuery: pathAndQuery, chainID: chainID, node: node, signer: signer),
            accept: accept)
    }
}
