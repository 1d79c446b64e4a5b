import FacetCore
import FacetLedger
import Foundation

/// The public reads: anyone may make them, unsigned.
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

    /// `GET /v1/blocks/latest`.
    public func latestBlock() async throws(ClientError) -> NodeAPI.Block {
        try await get(NodeAPI.Block.self, "/v1/blocks/latest")
    }

    /// `GET /v1/blocks/{height}`.
    public func block(height: UInt64) async throws(ClientError) -> NodeAPI.Block {
        try await get(NodeAPI.Block.self, "/v1/blocks/\(height)")
    }

    /// `GET /v1/pieces/{id}`.
    public func piece(_ id: PieceID) async throws(ClientError) -> NodeAPI.PieceCard {
        try await get(NodeAPI.PieceCard.self, "/v1/pieces/\(id.hex)")
    }

    /// `GET /v1/members`.
    public func members() async throws(ClientError) -> [NodeAPI.Member] {
        try await get([NodeAPI.Member].self, "/v1/members")
    }

    /// `GET /v1/members/{id}`.
    public func member(_ id: MemberID) async throws(ClientError) -> NodeAPI.Member {
        try await get(NodeAPI.Member.self, "/v1/members/\(id.hex)")
    }

    /// `GET /v1/evidence?from=&to=`: recorded misbehavior, newest first, by the recording block's time (from
    /// inclusive, to exclusive, milliseconds).
    public func evidence(from: Timestamp? = nil, to: Timestamp? = nil) async throws(ClientError) -> [NodeAPI.Evidence] {
        var query = [String]()
        if let from { query.append("from=\(from.millis)") }
        if let to { query.append("to=\(to.millis)") }
        let path = query.isEmpty ? "/v1/evidence" : "/v1/evidence?" + query.joined(separator: "&")
        return try await get([NodeAPI.Evidence].self, path)
    }

    /// `GET /v1/evidence/{id}`.
    public func evidence(_ id: Hash256) async throws(ClientError) -> NodeAPI.Evidence {
        try await get(NodeAPI.Evidence.self, "/v1/evidence/\(id.hex)")
    }

    /// `GET path` on a route this client has no method of its own for (the dashboard's sign-in challenge), decoded
    /// as `T` over the same transport (https with this client's trust roots).
    public func getJSON<T: Decodable>(_ type: T.Type, path: String) async throws(ClientError) -> T {
        try await get(T.self, path)
    }
}
