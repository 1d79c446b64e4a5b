import FacetCore
import FacetPeer
import FacetTLS
import Foundation
import Testing

/// Mutual TLS between validators on a consortium CA's certificates, as `facet devnet --tls` writes them: each
/// validator its own certificate and key, all trusting the CA. A validator whose certificate another CA issued is
/// refused before the signed handshake, in both directions.
@Suite(.timeLimit(.minutes(5)))
struct PeerMutualTLSTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-peer-mtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Validator `index`'s TLS files, issued by `ca` into `folder`.
    static func config(_ ca: CertificateAuthority, caFile: String, in folder: URL, index: Int) throws -> PeerTLSConfig {
        let files = try NodeTLSFiles.issue(
            by: ca, caCertificate: caFile, in: folder, file: "validator-\(index)", name: "validator \(index)",
            hosts: ["127.0.0.1", "localhost"])
        return PeerTLSConfig(
            certificateChainPath: files.certificate, privateKeyPath: files.key, trustRootsPath: files.caCertificate)
    }

    @Test func validatorsWithTheConsortiumsCertificatesConnectAndAStrangerIsRefused() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ca = try CertificateAuthority.generate(name: "Consortium CA")
        let caFile = folder.appendingPathComponent("ca.pem").path
        try ca.write(certificate: caFile, key: folder.appendingPathComponent("ca.key.pem").path)
        let stranger = try CertificateAuthority.generate(name: "Stranger CA")
        let strangerFile = folder.appendingPathComponent("stranger.pem").path
        try stranger.write(certificate: strangerFile, key: folder.appendingPathComponent("stranger.key.pem").path)

        let validators = TestValidator.make(3)
        let nodes = try (0..<3).map { index in
            // Validator 2 holds a certificate of the stranger's CA (but trusts the consortium's): the others
            // refuse its certificate, and it cannot verify theirs either way round.
            let issuer = index == 2 ? stranger : ca
            let issuerFile = index == 2 ? strangerFile : caFile
            var tls = try Self.config(issuer, caFile: issuerFile, in: folder, index: index)
            tls.trustRootsPath = caFile
            return TestNode.make(validators[index], allowed: validators, tls: tls)
        }
        for node in nodes { try await node.transport.start() }
        var addresses = [MemberID: PeerAddress]()
        for node in nodes { addresses[node.member] = node.address }
        for node in nodes { node.transport.updatePeers(addresses) }
        do {
            try await eventually("validators 0 and 1 connect over mutual TLS") {
                nodes[0].transport.connectedPeers.contains(nodes[1].member)
                    && nodes[1].transport.connectedPeers.contains(nodes[0].member)
            }
            nodes[0].transport.send(Array("over mutual tls".utf8), to: nodes[1].member)
            try await eventually("0 → 1") {
                nodes[1].inbox.payloads(from: nodes[0].member) == [Array("over mutual tls".utf8)]
            }
            // The stranger tries (it dials, or is dialled, with backoff) and is refused every time.
            try await eventually("the stranger's attempts fail the handshake") {
                nodes[0].metrics.dropped("bad_handshake") + nodes[1].metrics.dropped("bad_handshake")
                    + nodes[2].metrics.dropped("bad_handshake") >= 2
            }
            #expect(!nodes[0].transport.connectedPeers.contains(nodes[2].member))
            #expect(!nodes[1].transport.connectedPeers.contains(nodes[2].member))
            #expect(nodes[2].transport.connectedPeers.isEmpty)
            #expect(nodes[2].inbox.messages.isEmpty)
        } catch { reportUnexpected(error) }
        await stopAll(nodes)
    }
}
