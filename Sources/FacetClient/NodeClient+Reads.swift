import FacetCore
import FacetLedger
import Foundation

/// Reads of the chain. Without a signer a read is anonymous and the node answers what it shows anyone
/// (`contracts/privacy.md`): its status, block headers without their transactions, a piece's provenance card. With
/// one, the node answers what the access policy shows that member.
extension NodeClient {
    /// `GET /healthz`: true when the node answers 200 (ready). A 503 comes back as the node's refusal.
    public func healthy() async throws(ClientError) -> Bool {
        let (_, status) = try await send("GET", "/healthz", accept: "text/plain")
        return status == 200
    }

    /// `GET /metrics`: the Prometheus text.
    public func metrics() async throws(ClientError) -> String {
        let (data, _) = try await send("GET", "/metrics", accept: "text/plain")
        return String(decoding: data, as: UTF8.self)
    }

    /// `GET /v1/status`.
    public func status() async throws(ClientError) -> NodeAPI.Status {
        try await get(NodeAPI.Status.self, "/v1/status")
    }

    /// The chain id transactions and signed reads are signed for, from `/v1/status`.
    public func chainID() async throws(ClientError) -> Label {
        let status = try await status()
        guard let label = try? Label(status.chainID) else {
            throw ClientError(.badResponse, "GET /v1/status: the chain id \(status.chainID) is not a label")
        }
        return label
    }

    /// `GET /v1/blocks/latest`: the transactions listed are those `signer` may see (none without one).
    public func latestBlock(signer: MemberKey? = nil) async throws(ClientError) -> NodeAPI.Block {
        try await read(NodeAPI.Block.self, "/v1/blocks/latest", signer: signer)
    }

    /// `GET /v1/blocks/{height}`.
    public func block(height: UInt64, signer: MemberKey? = nil) async throws(ClientError) -> NodeAPI.Block {
        try await read(NodeAPI.Block.self, "/v1/blocks/\(height)", signer: signer)
    }

    /// `GET /v1/pieces/{id}`: the full card when the node shows it to `signer`, else the provenance card.
    public func piece(_ id: PieceID, signer: MemberKey? = nil) async throws(ClientError) -> NodeAPI.PieceCard {
        try await read(NodeAPI.PieceCard.self, "/v1/pieces/\(id.hex)", signer: signer)
    }

    /// `GET /v1/members`: the registry, to a member.
    public func members(signer: MemberKey) async throws(ClientError) -> [NodeAPI.Member] {
        try await signedGet([NodeAPI.Member].self, "/v1/members", signer: signer)
    }

    /// `GET /v1/members/{id}`.
    public func member(_ id: MemberID, signer: MemberKey) async throws(ClientError) -> NodeAPI.Member {
        try await signedGet(NodeAPI.Member.self, "/v1/members/\(id.hex)", signer: signer)
    }

    /// `GET /v1/evidence?from=&to=`: recorded misbehavior, newest first, by the recording block's time (from
    /// inclusive, to exclusive, milliseconds).
    public func evidence(from: Timestamp? = nil, to: Timestamp? = nil, signer: MemberKey) async throws(ClientError)
        -> [NodeAPI.Evidence]
    {
        var query = [String]()
        if let from { query.append("from=\(from.millis)") }
        if let to { query.append("to=\(to.millis)") }
        let path = query.isEmpty ? "/v1/evidence" : "/v1/evidence?" + query.joined(separator: "&")
        return try await signedGet([NodeAPI.Evidence].self, path, signer: signer)
    }

    /// `GET /v1/evidence/{id}`.
    public func evidence(_ id: Hash256, signer: MemberKey) async throws(ClientError) -> NodeAPI.Evidence {
        try await signedGet(NodeAPI.Evidence.self, "/v1/evidence/\(id.hex)", signer: signer)
    }

    /// `GET path` on a route this client has no method of its own for (the dashboard's sign-in challenge), decoded
    /// as `T` over the same transport (https with this client's trust roots).
    public func getJSON<T: Decodable>(_ type: T.Type, path: String) async throws(ClientError) -> T {
        try await get(T.self, path)
    }
}
