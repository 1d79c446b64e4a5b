import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// HTTPS to one node: HTTP/1.1 over SwiftNIO and swift-nio-ssl, one request per connection, the node's certificate
/// checked against the trust roots this client was given (a CA file, or the system's) and against the host it
/// dials (its name, or its IP address for an IP literal). Foundation's URLSession on Linux cannot take a trust root
/// per session, hence a transport of its own; plain `http://` stays on URLSession.
struct HTTPSTransport: Sendable {
    /// The largest response body read; a larger one fails the request rather than growing without bound.
    static let maxResponseBytes = 512 * 1024 * 1024

    let host: String
    let port: Int
    let context: NIOSSLContext
    /// What the trust roots are, for messages: the CA file, or the system's roots.
    let trust: String

    init(host: String, port: Int, caFile: String?) throws(ClientError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw ClientError(.invalidInput, "cannot read the CA certificate file \(caFile): \(error)")
            }
        }
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ClientError(.invalidInput, "cannot set up TLS with \(caFile ?? "the system's trust roots"): \(error)")
        }
        self.host = host
        self.port = port
        self.trust = caFile.map { "the CA in \($0)" } ?? "the system's trust roots"
    }

    /// One request; returns the status and body of whatever response came, or throws `client.unreachable` when
    /// none did (no connection, a TLS failure such as an untrusted certificate, the timeout).
    func send(
        method: String, pathAndQuery: String, headers: [(String, String)], body: Data?, timeout: Duration
    ) async throws(ClientError) -> (status: Int, body: Data) {
        let request = "\(method) https://\(authority)\(pathAndQuery)"
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: HTTPSResponse.self)
        let context = self.context
        let serverName = Self.isIPLiteral(host) ? nil : host
        let wait = TimeAmount.nanoseconds(
            Int64(timeout.components.seconds) * 1_000_000_000
                + Int64(timeout.components.attoseconds / 1_000_000_000))
        let timer = loop.scheduleTask(in: wait) { promise.fail(HTTPSFailure.timedOut) }
        defer { timer.cancel() }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(wait)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(HTTPSResponseCollector(promise: promise))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
            throw ClientError(.unreachable, "\(request): \(error)")
        }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: pathAndQuery)
        head.headers.add(name: "Host", value: authority)
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "Content-Length", value: "\(body?.count ?? 0)")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body, !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        do {
            let response = try await promise.futureResult.get()
            channel.close(promise: nil)
            return (response.status, response.body)
        } catch {
            channel.close(promise: nil)
            throw ClientError(.unreachable, "\(request): \(describe(error))")
        }
    }

    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A TLS failure says what the client trusted, so "not trusted" reads as a missing or wrong `--cacert`.
    func describe(_ error: any Error) -> String {
        switch error {
        case HTTPSFailure.timedOut: return "no response in time"
        case HTTPSFailure.closedEarly: return "the connection closed before a whole response"
        case HTTPSFailure.tooLarge: return "the response is larger than \(Self.maxResponseBytes) bytes"
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "TLS handshake failed: the node's certificate does not name \(host) (\(error))"
        case let error as NIOSSLError where "\(error)".contains("CERTIFICATE_VERIFY_FAILED"):
            return "TLS handshake failed: the node's certificate is not trusted by \(trust) (\(error)); give the "
                + "node's CA certificate (--cacert)"
        case let error as NIOSSLError:
            return "TLS handshake failed: \(error)"
        case let error as BoringSSLError:
            return "TLS failed: \(error)"
        default: return "\(error)"
        }
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
