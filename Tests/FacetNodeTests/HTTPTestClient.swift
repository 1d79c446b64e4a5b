import Foundation
import NIOCore
import NIOPosix

/// A deliberately small HTTP/1.1 client over a real TCP socket: it writes the request bytes exactly as given (so
/// tests can send oversized, chunked or malformed requests) and parses one response. One connection per request.
struct HTTPTestClient: Sendable {
    let port: Int
    var timeout: Duration = .seconds(20)

    struct Response: Sendable, CustomStringConvertible {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object or array (nil when it is not JSON).
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        /// The `code` of an error body.
        var code: String? { object["code"] as? String }

        var description: String { "\(status) \(text.prefix(300))" }
    }

    struct ClientError: Error, CustomStringConvertible {
        let description: String
    }

    func get(_ target: String, headers: [(String, String)] = []) async throws -> Response {
        try await request("GET", target, headers: headers)
    }

    func post(_ target: String, json: String, headers: [(String, String)] = []) async throws -> Response {
        try await request(
            "POST", target, headers: headers + [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    /// A request with a `Content-Length` body (when `body` is given).
    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil)
        async throws -> Response
    {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try await raw(Array(head.utf8) + (body ?? []))
    }

    /// Sends `bytes` as they are and reads one response.
    func raw(_ bytes: [UInt8]) async throws -> Response {
        try await withThrowingTaskGroup(of: Response.self) { group in
            group.addTask { try await exchange(bytes) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ClientError(description: "no response within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let response = try await group.next() else { throw ClientError(description: "no response") }
            return response
        }
    }

    private func exchange(_ bytes: [UInt8]) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            var parser = ResponseParser()
            for try await chunk in inbound {
                parser.received.append(contentsOf: chunk.readableBytesView)
                if let response = try parser.response(atEnd: false) { return response }
            }
            guard let response = try parser.response(atEnd: true) else {
                throw ClientError(description: "the connection closed before a whole response")
            }
            return response
        }
    }
}

/// Parses one HTTP/1.1 response from the bytes received so far.
private struct ResponseParser {
    var received: [UInt8] = []

    func response(atEnd: Bool) throws -> HTTPTestClient.Response? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = received.firstRange(of: separator) else { return nil }
        let lines = String(decoding: received[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HTTPTestClient.ClientError(description: "bad status line \(lines[0])")
        }
        var headers = [(name: String, value: String)]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let rest = Array(received[headEnd.upperBound...])
        let response = { (body: [UInt8]) in HTTPTestClient.Response(status: status, headers: headers, body: body) }
        if let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({ Int($0.value) }) {
            return rest.count >= length ? response(Array(rest.prefix(length))) : nil
        }
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased() == "chunked" }
        ) {
            return Self.dechunk(rest).map(response)
        }
        return atEnd ? response(rest) : nil
    }

    /// The body of a complete chunked encoding, or nil while it is incomplete.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var body = [UInt8]()
        var index = 0
        let crlf: [UInt8] = [13, 10]
        while true {
            guard let lineEnd = bytes[index...].firstRange(of: crlf) else { return nil }
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = sizeText.split(separator: ";").first.flatMap({ Int($0, radix: 16) }) else { return nil }
            let start = lineEnd.upperBound
            if size == 0 { return body }
            guard bytes.count >= start + size + 2 else { return nil }
            body += bytes[start..<start + size]
            index = start + size + 2
        }
    }
}
