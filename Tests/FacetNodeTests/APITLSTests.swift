import FacetClient
import FacetCore
import FacetLedger
import FacetNode
import FacetServer
import FacetTLS
import FacetTestSupport
import Foundation
import Testing

/// HTTPS on the API with real certificates: a CA and a node certificate made by `FacetTLS` (as `facet node init`
/// and `facet devnet --tls` make them), served by a node run from its configuration, read and written by
/// `NodeClient` trusting that CA, and refused, with `client.unreachable` and a message naming the trust, by a client
/// that does not trust it. Also the configuration's rules: plain HTTP only on loopback unless `insecureHTTP`, plain
/// peer links only to loopback peers unless `consensus.insecurePeers`, and TLS files checked before listening.
@Suite(.timeLimit(.minutes(5))) struct APITLSTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A one-validator node served over HTTPS from `files`, on a free port, until `body` returns.
    static func withHTTPSNode(
        _ fixture: LedgerFixture, files: NodeTLSFiles, in folder: URL,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let genesis = folder.appendingPathComponent("genesis.json")
        try fixture.genesis.jsonData().write(to: genesis)
        let key = try NodeProcessTests.writeKey(fixture.actor("v1").key, to: folder.appendingPathComponent("v1.key"))
        let config = NodeConfig(
            dataDirectory: folder.appendingPathComponent("data").path, genesisFile: genesis.path,
            validatorKeyFile: key.path, listen: NodeConfig.Listen(host: "127.0.0.1", port: 0),
            block: NodeConfig.Block(intervalMillis: 50),
            tls: NodeConfig.TLS(certificateChain: files.certificate, privateKey: files.key))
        let launcher = NodeLauncher(
            config: config, genesis: fixture.genesis, validatorKey: fixture.actor("v1").key, logger: APITestNode.logger)
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await launcher.run(signals: [], onListening: { sink.yield($0) }) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            tasks.cancelAll()
        }
    }

    @Test func nodeClientReadsAndWritesOverHTTPSWithTheCAAndIsRefusedWithoutIt() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var fixture = LedgerFixture(validators: 1)
        let files = try NodeTLSFiles.generate(
            in: folder.appendingPathComponent("tls"), caName: "Facet test CA", nodeName: "facet test node",
            hosts: ["127.0.0.1", "localhost"])
        let other = try NodeTLSFiles.generate(
            in: folder.appendingPathComponent("other"), caName: "Another CA", nodeName: "another node",
            hosts: ["127.0.0.1", "localhost"])
        let piece = fixture.sign(
            "firmA",
            .registerPiece(.init(card: IdentityCard(category: .gold, weight: 3, fineness: 999), certificate: nil)))
        let firm = MemberKey(firstKey: fixture.actor("firmA").key)
        let chainID = fixture.genesis.params.chainID.value
        try await Self.withHTTPSNode(fixture, files: files, in: folder) { port in
            // By IP address and by name: the certificate names both, and the client checks whichever it dialled.
            for host in ["127.0.0.1", "localhost"] {
                let client = try NodeClient(
                    address: "https://\(host):\(port)", requestTimeout: .seconds(20), caFile: files.caCertificate)
                #expect(try await client.healthy())
                #expect(try await client.status().chainID == chainID)
            }
            let client = try NodeClient(
                address: "https://127.0.0.1:\(port)", requestTimeout: .seconds(20), caFile: files.caCertificate)
            // A body (POST), a poll, a signed private read and a binary proof, all through TLS.
            let submitted = try await client.submit(piece)
            #expect(submitted.status == .pending || submitted.status == .committed)
            let committed = try await client.waitForCommit(piece.id, signer: firm, timeout: .seconds(60))
            #expect(committed.status == .committed)
            #expect(try await client.piece(PieceID(piece.id.hash), signer: firm).owner == firm.member.hex)
            #expect(try await client.loans(of: firm.member, signer: firm).isEmpty)
            #expect(try await client.proof(piece.id, signer: firm).count > 100)
            // The node's own refusal still comes back as the node's code over TLS.
            await #expect {
                _ = try await client.block(height: 999_999)
            } throws: { error in
                (error as? ClientError)?.httpStatus == 404
            }

            // Not trusted: the system's roots, then another CA. No response, so `client.unreachable` (exit 2 on
            // the command line), and the message says why and what to pass.
            for untrusting in [
                try NodeClient(address: "https://127.0.0.1:\(port)", requestTimeout: .seconds(20)),
                try NodeClient(
                    address: "https://127.0.0.1:\(port)", requestTimeout: .seconds(20), caFile: other.caCertificate),
            ] {
                do {
                    _ = try await untrusting.status()
                    Issue.record("a client that does not trust the node's CA read its status")
                } catch let error as ClientError {
                    #expect(error.code == .unreachable && error.httpStatus == nil, "\(error)")
                    #expect(error.message.contains("not trusted") && error.message.contains("--cacert"), "\(error)")
                }
            }
            // Plain HTTP to the HTTPS port gets no HTTP answer.
            let plain = NodeClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, requestTimeout: .seconds(10))
            await #expect(throws: ClientError.self) { _ = try await plain.status() }
        }
    }

    @Test func aCertificateThatDoesNotNameTheHostDialledIsRefused() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try NodeTLSFiles.generate(
            in: folder.appendingPathComponent("tls"), caName: "Facet test CA", nodeName: "localhost only",
            hosts: ["localhost"])
        try await Self.withHTTPSNode(LedgerFixture(validators: 1), files: files, in: folder) { port in
            let byName = try NodeClient(
                address: "https://localhost:\(port)", requestTimeout: .seconds(20), caFile: files.caCertificate)
            #expect(try await byName.healthy())
            let byAddress = try NodeClient(
                address: "https://127.0.0.1:\(port)", requestTimeout: .seconds(20), caFile: files.caCertificate)
            do {
                _ = try await byAddress.status()
                Issue.record("a certificate for localhost only was accepted for 127.0.0.1")
            } catch let error as ClientError {
                #expect(error.code == .unreachable, "\(error)")
                #expect(error.message.contains("does not name 127.0.0.1"), "\(error)")
            }
        }
    }

    @Test func anUnreadableCAFileIsTheCallersMistake() throws {
        #expect {
            _ = try NodeClient(address: "https://127.0.0.1:1", caFile: "/nonexistent/ca.pem")
        } throws: { error in
            (error as? ClientError)?.code == .invalidInput
        }
        // For plain HTTP the CA file is not read.
        #expect(try NodeClient(address: "http://127.0.0.1:1", caFile: "/nonexistent/ca.pem").baseURL.port == 1)
    }

    @Test func plainHTTPAndPlainPeerLinksOnlyOnLoopbackUnlessSaidSo() throws {
        func config(_ host: String, tls: Bool = false, insecure: Bool = false) -> NodeConfig {
            NodeConfig(
                dataDirectory: "/d", genesisFile: "/g", validatorKeyFile: "/k",
                listen: NodeConfig.Listen(host: host, port: 7700),
                tls: tls ? NodeConfig.TLS(certificateChain: "/c.pem", privateKey: "/k.pem") : nil,
                insecureHTTP: insecure)
        }
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] { try config(host).validate() }
        for host in ["0.0.0.0", "10.0.0.7", "node-a.example.org", "::"] {
            #expect(throws: NodeConfigError.self) { try config(host).validate() }
            try config(host, tls: true).validate()
            try config(host, insecure: true).validate()
        }
        #expect(config("10.0.0.7", tls: true).apiScheme == "https" && config("127.0.0.1").apiScheme == "http")

        let member = String(repeating: "ab", count: 32)
        func peers(_ address: String, tls: Bool = false, insecure: Bool = false) -> NodeConfig {
            var node = config("127.0.0.1")
            node.consensus = NodeConfig.Consensus(
                listen: NodeConfig.Listen(host: "0.0.0.0", port: 7800),
                peers: [NodeConfig.Consensus.Peer(member: member, address: address)],
                tls: tls ? NodeConfig.Consensus.TLS(certificateChain: "/c", privateKey: "/k", trustRoots: "/ca") : nil,
                insecurePeers: insecure)
            return node
        }
        try peers("127.0.0.1:7801").validate()
        do {
            try peers("10.0.0.8:7800").validate()
            Issue.record("a plain peer link to 10.0.0.8 was accepted")
        } catch {
            #expect(error.code == .invalid && error.message.contains("consensus.tls"), "\(error)")
        }
        try peers("10.0.0.8:7800", tls: true).validate()
        try peers("10.0.0.8:7800", insecure: true).validate()
    }

    @Test func tlsFilesAreCheckedBeforeTheNodeListens() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = try NodeTLSFiles.generate(
            in: folder.appendingPathComponent("one"), caName: "CA one", nodeName: "one", hosts: ["127.0.0.1"])
        let two = try NodeTLSFiles.generate(
            in: folder.appendingPathComponent("two"), caName: "CA two", nodeName: "two", hosts: ["127.0.0.1"])
        func config(_ certificate: String, _ key: String) -> NodeConfig {
            NodeConfig(
                dataDirectory: "/d", genesisFile: "/g", validatorKeyFile: "/k",
                tls: NodeConfig.TLS(certificateChain: certificate, privateKey: key))
        }
        #expect(try config(one.certificate, one.key).apiTLSConfiguration() != nil)
        #expect(try config("/nonexistent.pem", one.key).apiTLSConfigurationError() == .unreadable)
        #expect(try config(one.certificate, two.key).apiTLSConfigurationError() == .unreadable)
        #expect(try config(one.key, one.key).apiTLSConfigurationError() == .unreadable)
        #expect(
            try NodeConfig(dataDirectory: "/d", genesisFile: "/g", validatorKeyFile: "/k").apiTLSConfiguration() == nil)
        // The issued certificate's key is private to its owner; the SPKI pin matches its key file.
        let mode = try FileManager.default.attributesOfItem(atPath: one.key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try TLSFiles.spkiSHA256(keyFile: one.key) == one.spkiSHA256)
        #expect(one.spkiSHA256 != two.spkiSHA256 && Data(base64Encoded: one.spkiSHA256)?.count == 32)
    }
}

extension NodeConfig {
    /// The code `apiTLSConfiguration` fails with, nil when it succeeds.
    fileprivate func apiTLSConfigurationError() throws -> NodeConfigError.Code? {
        do {
            _ = try apiTLSConfiguration()
            return nil
        } catch {
            return error.code
        }
    }
}
