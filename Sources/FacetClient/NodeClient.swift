import FacetCore
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A client of one node's HTTP API (`contracts/openapi.yaml`): every route, typed. It holds no state beyond its
/// configuration, so one value may be shared by any number of tasks.
///
/// Every method throws `ClientError`: the node's refusal (its code, message and HTTP status), or a failure of the
/// client's own (`client.unreachable`, `client.timeout`, `client.bad_response`).
public struct NodeClient: Sendable {
    /// The node's address, such as `http://127.0.0.1:7700`. API paths (`/v1/…`) are appended to it.
    public let baseURL: URL
    /// How long one HTTP request may take before it counts as `client.unreachable`.
    public let requestTimeout: Duration
    private let session: URLSession
    /// HTTPS through NIO with this client's trust roots; nil for an `http://` node (URLSession).
    private let tls: Result<HTTPSTransport, ClientError>?
    /// The clock signed requests are stamped with, in milliseconds since the Unix epoch (tests pass their own).
    private let now: @Sendable () -> Int64
    /// The chain id and node id signed reads name, learnt from `/v1/status` on the first signed read.
    let identityCache = IdentityCache()

    public init(
        baseURL: URL, requestTimeout: Duration = .seconds(10),
        now: @escaping @Sendable () -> Int64 = NodeClient.systemMillis
    ) {
        self.init(baseURL: baseURL, requestTimeout: requestTimeout, tls: Self.transport(baseURL, caFile: nil), now: now)
    }

    /// A client of an `https://` node whose certificate chains to the CA certificate in `caFile` (PEM), such as a
    /// devnet's `tls/ca.pem`; nil trusts the system's roots. For an `http://` node the file is not used. Throws
    /// `client.invalid_input` when the file cannot be read as certificates.
    public init(
        baseURL: URL, requestTimeout: Duration = .seconds(10), caFile: String?,
        now: @escaping @Sendable () -> Int64 = NodeClient.systemMillis
    ) throws(ClientError) {
        let tls = Self.transport(baseURL, caFile: caFile)
        if case .failure(let error) = tls { throw error }
        self.init(baseURL: baseURL, requestTimeout: requestTimeout, tls: tls, now: now)
    }

    private init(
        baseURL: URL, requestTimeout: Duration, tls: Result<HTTPSTransport, ClientError>?,
        now: @escaping @Sendable () -> Int64
    ) {
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
        self.now = now
        self.tls = tls
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout.seconds
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
    }

    /// The HTTPS transport of an `https://` URL (its failure kept for the first request when the non-throwing
    /// initializer made it), nil for `http://`.
    private static func transport(_ url: URL, caFile: String?) -> Result<HTTPSTransport, ClientError>? {
        guard url.scheme?.lowercased() == "https", let host = url.host else { return nil }
        return Result<HTTPSTransport, ClientError>(catching: { () throws(ClientError) -> HTTPSTransport in
            try HTTPSTransport(host: host, port: url.port ?? 443, caFile: caFile)
        })
    }

    /// Parses a node address given as text (`--node`): an `http` or `https` URL with a host; `caFile` is the CA
    /// certificate an `https` node's certificate must chain to (`--cacert`; nil: the system's roots).
    public init(address: String, requestTimeout: Duration = .seconds(10), caFile: String? = nil) throws(ClientError) {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw ClientError(.invalidInput, "\(address) is not a node address like http://127.0.0.1:7700")
        }
        try self.init(baseURL: url, requestTimeout: requestTimeout, caFile: caFile)
    }

    @Sendable public static func systemMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    var currentMillis: Int64 { now() }

    // MARK: Transport

    /// One request. `pathAndQuery` is the API path (`/v1/…`, with its query); `authorization` the header value of
    /// a signed read. Returns the body of a 2xx response; anything else becomes a `ClientError`.
    func send(
        _ method: String, _ pathAndQuery: String, body: Data? = nil, authorization: String? = nil,
        accept: String = "application/json"
    ) async throws(ClientError) -> (Data, Int) {
        guard let url = URL(string: baseURL.absoluteString.trimmingTrailingSlash + pathAndQuery) else {
            throw ClientError(.invalidInput, "cannot make a URL of \(baseURL) and \(pathAndQuery)")
        }
        if let tls {
            let transport = try tls.get()
            var headers = [("Accept", accept)]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            if let authorization { headers.append(("Authorization", authorization)) }
            let (status, data) = try await transport.send(
                method: method, pathAndQuery: baseURL.path.trimmingTrailingSlash + pathAndQuery, headers: headers,
                body: body, timeout: requestTimeout)
            return try Self.check(status: status, data: data, request: "\(method) \(pathAndQuery)")
        }
        var request = URLRequest(url: url, timeoutInterval: requestTimeout.seconds)
        request.httpMethod = method
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw ClientError(.unreachable, "\(method) \(url.absoluteString): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw ClientError(.badResponse, "\(method) \(pathAndQuery): not an HTTP response")
        }
        return try Self.check(status: http.statusCode, data: data, request: "\(method) \(pathAndQuery)")
    }

    /// The body of a 2xx response; anything else becomes the node's refusal.
    private static func check(status: Int, data: Data, request: String) throws(ClientError) -> (Data, Int) {
        guard (200..<300).contains(status) else {
            throw NodeClient.refusal(status: status, body: data, request: request)
        }
        return (data, status)
    }

    /// A GET decoded as `T`.
    func get<T: Decodable>(
        _ type: T.Type, _ pathAndQuery: String, authorization: String? = nil
    ) async throws(ClientError) -> T {
        let (data, _) = try await send("GET", pathAndQuery, authorization: authorization)
        return try NodeClient.decode(T.self, data, request: "GET \(pathAndQuery)")
    }

    /// The `{code, message}` body of a refusal, with its HTTP status; a body that is not one (a proxy's page, an
    /// empty 502) still reports the status, under `client.bad_response`.
    static func refusal(status: Int, body: Data, request: String) -> ClientError {
        if let error = try? JSONDecoder().decode(NodeAPI.ErrorBody.self, from: body) {
            return ClientError(ClientError.Code(rawValue: error.code), error.message, httpStatus: status)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return ClientError(
            .badResponse, "\(request): HTTP \(status) without an error body: \(text)", httpStatus: status)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, request: String) throws(ClientError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ClientError(.badResponse, "\(request): the response is not a \(T.self): \(error)")
        }
    }
}

/// The node's chain id and id, once learnt: a node's identity does not change while it runs.
final class IdentityCache: Sendable {
    private let state = Mutex<(chainID: Label, node: MemberID)?>(nil)

    var value: (chainID: Label, node: MemberID)? {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

extension Duration {
    /// Whole and fractional seconds, for Foundation's `TimeInterval` parameters.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension String {
    fileprivate var trimmingTrailingSlash: String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
