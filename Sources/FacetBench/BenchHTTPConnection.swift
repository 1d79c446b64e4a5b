import FacetCore
import FacetLedger
import FacetSimulation
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking HTTP/1.1 keep-alive connection to a node on loopback, for `facet bench ledger`'s load threads.
/// URLSession costs the client more CPU per request than the node spends admitting it; this costs one write and
/// one or two reads. Owned by one thread; not shared.
package final class BenchHTTPConnection {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package let port: Int
    private var socketFD: Int32 = -1
    /// Bytes read past the last response.
    private var pending = [UInt8]()
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    package init(port: Int) { self.port = port }

    deinit { close() }

    package func close() {
        if socketFD >= 0 { _ = Glibc.close(socketFD) }
        socketFD = -1
        pending.removeAll()
    }

    /// Sends a complete request and returns the response's status and body; reconnects once when a kept-alive
    /// connection turns out closed.
    package func exchange(_ request: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        do {
            return try attempt(request)
        } catch {
            close()
            return try attempt(request)
        }
    }

    /// `GET path`.
    package func get(_ path: String) throws -> (status: Int, body: [UInt8]) {
        try exchange(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".utf8))
    }

    /// A GET signed by the node's own validator key: its operator, who reads every record on its own node
    /// (`contracts/privacy.md`), as the benchmarks' watchers must to see every transaction committed.
    package func get(_ path: String, asOperator key: SigningKey) throws -> (status: Int, body: [UInt8]) {
        let node = MemberID(initialKey: key.publicKey)
        var random = SystemRandomNumberGenerator()
        let signed = SignedRead.signForNode(
            target: path, time: Int64(Date().timeIntervalSince1970 * 1000), member: node, key: key,
            chainID: LedgerFixture.chainID, node: node, nonceFrom: &random)
        let head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nAuthorization: "
        return try exchange(Array((head + signed.headerValue + "\r\n\r\n").utf8))
    }

    private func attempt(_ request: [UInt8]) throws -> (status: Int, body: [UInt8]) {
        if socketFD < 0 { try connect() }
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(socketFD, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { throw Failure(description: "write to 127.0.0.1:\(port) failed") }
                offset += written
            }
        }
        return try readResponse()
    }

    private func connect() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            _ = Glibc.close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        socketFD = fd
    }

    private func fill() throws {
        let count = chunk.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: "127.0.0.1:\(port) closed the connection") }
        pending.append(contentsOf: chunk[0..<count])
    }

    private func readResponse() throws -> (status: Int, body: [UInt8]) {
        var headerEnd: Int?
        var searchFrom = 0
        while headerEnd == nil {
            if pending.count >= 4 {
                for index in max(0, searchFrom - 3)..<(pending.count - 3)
                where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13
                    && pending[index + 3] == 10
                {
                    headerEnd = index + 4
                    break
                }
                searchFrom = pending.count
            }
            if headerEnd == nil { try fill() }
        }
        guard let headerEnd else { preconditionFailure("the loop ends on a header") }
        let head = String(decoding: pending[0..<headerEnd], as: UTF8.self).lowercased()
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { throw Failure(description: "a response without a status line from 127.0.0.1:\(port)") }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            if line.hasPrefix("content-length:") {
                length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces))
            }
            if line.hasPrefix("transfer-encoding:") && line.contains("chunked") { chunked = true }
        }
        pending.removeFirst(headerEnd)
        if chunked { return (status, try readChunked()) }
        let size = length ?? 0
        while pending.count < size { try fill() }
        let body = Array(pending[0..<size])
        pending.removeFirst(size)
        return (status, body)
    }

    private func readChunked() throws -> [UInt8] {
        var body = [UInt8]()
        while true {
            var lineEnd: Int?
            while lineEnd == nil {
                lineEnd = pending.indices.dropLast().first { pending[$0] == 13 && pending[$0 + 1] == 10 }
                if lineEnd == nil { try fill() }
            }
            guard let lineEnd else { preconditionFailure("the loop ends on a line") }
            let sizeText = String(decoding: pending[0..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "a bad chunk size from 127.0.0.1:\(port)")
            }
            pending.removeFirst(lineEnd + 2)
            while pending.count < size + 2 { try fill() }
            body.append(contentsOf: pending[0..<size])
            pending.removeFirst(size + 2)
            if size == 0 { return body }
        }
    }
}
