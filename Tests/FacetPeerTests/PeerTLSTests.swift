import FacetCore
import FacetPeer
import Foundation
import Testing

/// TLS with a self-signed certificate made by the `openssl` command line into a temporary folder; skipped (with a
/// note) on a machine without it.
@Suite(.timeLimit(.minutes(5)))
struct PeerTLSTests {
    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A P-256 self-signed certificate valid for 127.0.0.1; both nodes use it and trust it.
    static func makeCertificate() throws -> PeerTLSConfig {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "facet-peer-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl!)
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=facet-peer-test",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl failed")
        return PeerTLSConfig(certificateChainPath: cert, privateKeyPath: key, trustRootsPath: cert)
    }

    @Test(.enabled(if: PeerTLSTests.openssl != nil, "needs the openssl command line"))
    func twoTransportsExchangeOverTLS() async throws {
        let tls = try Self.makeCertificate()
        let nodes = try await startCluster(TestValidator.make(2), tls: tls)
        do {
            try await eventually("connected over TLS") { nodes.allSatisfy { $0.transport.connectedPeers.count == 1 } }
            nodes[0].transport.send(Array("over tls".utf8), to: nodes[1].member)
            nodes[1].transport.send([UInt8](repeating: 0x42, count: 200_000), to: nodes[0].member)
            try await eventually("a → b") { nodes[1].inbox.payloads(from: nodes[0].member) == [Array("over tls".utf8)] }
            try await eventually("b → a") { nodes[0].inbox.messages.count == 1 }
            #expect(nodes[0].inbox.messages.first?.payload == [UInt8](repeating: 0x42, count: 200_000))
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }

    @Test(.enabled(if: PeerTLSTests.openssl != nil, "needs the openssl command line"))
    func aPlainPeerCannotReachATLSNode() async throws {
        let tls = try Self.makeCertificate()
        let validators = TestValidator.make(2)
        let secure = TestNode.make(validators[1], allowed: validators, tls: tls)
        try await secure.transport.start()
        let plain = TestNode.make(validators[0], allowed: validators, peers: [validators[1].member: secure.address])
        try await plain.transport.start()
        do {
            plain.transport.send([1], to: validators[1].member)
            try await eventually("the TLS side refuses") { secure.metrics.dropped("bad_handshake") >= 1 }
            #expect(secure.transport.connectedPeers.isEmpty && plain.transport.connectedPeers.isEmpty)
            #expect(secure.inbox.messages.isEmpty)
        } catch { reportUnexpected(error) }
        await plain.transport.stop()
        await secure.transport.stop()
    }

    @Test func missingTLSFilesFailStart() async throws {
        let validators = TestValidator.make(1)
        let missing = PeerTLSConfig(
            certificateChainPath: "/nonexistent/cert.pem",
            privateKeyPath: "/nonexistent/key.pem",
            trustRootsPath: "/nonexistent/cert.pem"
        )
        let node = TestNode.make(validators[0], allowed: validators, tls: missing)
        await #expect(throws: PeerError.self) { try await node.transport.start() }
        #expect(node.transport.localAddress == nil)
        await node.transport.stop()
    }
}
