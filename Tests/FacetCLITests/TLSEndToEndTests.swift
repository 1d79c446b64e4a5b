import FacetClient
import FacetCore
import FacetDevnet
import FacetNode
import FacetTLS
import Foundation
import Testing

@testable import facet

#if canImport(Glibc)
    import Glibc
#endif

/// HTTPS end to end through the built `facet` binary with real certificates: `facet node init` on an address that
/// is not loopback writes a CA and a certificate (or refuses nothing but is told `--insecure-http`), the node serves
/// HTTPS, and the command line reads, writes and signs in with `--cacert` (and fails, exit 2, without it).
/// `facet devnet --tls` runs a small devnet on its own CA: HTTPS APIs, mutual TLS between the validators (which
/// commit the history over those links), and the dashboard opened in headless Chromium through HTTPS, the node's
/// certificate pinned by its public key.
@Suite(.serialized) struct TLSEndToEndTests {
    @Test(.timeLimit(.minutes(10)))
    func nodeInitWritesTLSAndTheCommandLineUsesCacert() async throws {
        let folder = try TemporaryFolder()
        try await Self.newKeys(["validator", "firm", "lab"], in: folder)
        let genesis = folder.path("genesis.json")
        let created = try await FacetProcess.run([
            "genesis", "new", "--chain-id", "facet-tls", "--out", genesis,
            "--member", "Exchange:validator,admin:\(folder.path("validator.key"))",
            "--member", "Panyu Diamonds:firm:\(folder.path("firm.key"))",
            "--member", "Gem Lab:lab:\(folder.path("lab.key"))",
        ])
        try #require(created.status == 0, "genesis new: \(created.summary)")
        let port = try FacetProcess.freePort()
        let data = folder.path("node")
        let base = ["node", "init", "--genesis", genesis, "--key", folder.path("validator.key")]

        // Every interface: TLS by default, a CA and a certificate generated, the CA's path printed for clients.
        let initialized = try await FacetProcess.run(base + ["--data", data, "--listen", "0.0.0.0:\(port)"])
        try #require(initialized.status == 0, "node init: \(initialized.summary)")
        let ca = "\(data)/tls/ca.pem"
        #expect(initialized.stdout.contains("--cacert \(ca)"), "\(initialized.summary)")
        #expect(initialized.stdout.contains("listening on https://0.0.0.0:\(port)"), "\(initialized.summary)")
        let config = try NodeConfig.read(path: "\(data)/node.json")
        #expect(
            config.tls?.certificateChain == "\(data)/tls/node.pem"
                && config.tls?.privateKey == "\(data)/tls/node.key.pem")
        #expect(!config.insecureHTTP)
        // Told --insecure-http: plain HTTP, said so in the file; a loopback address stays plain by default.
        let insecure = try await FacetProcess.run(
            base + ["--data", folder.path("plain"), "--listen", "0.0.0.0:\(port)", "--insecure-http"])
        try #require(insecure.status == 0, "\(insecure.summary)")
        let plain = try NodeConfig.read(path: folder.path("plain/node.json"))
        #expect(plain.tls == nil && plain.insecureHTTP)
        let loopback = try await FacetProcess.run(
            base + ["--data", folder.path("loop"), "--listen", "127.0.0.1:\(port)"])
        try #require(loopback.status == 0, "\(loopback.summary)")
        #expect(try NodeConfig.read(path: folder.path("loop/node.json")).tls == nil)
        let conflicting = try await FacetProcess.run(
            base + ["--data", folder.path("x"), "--listen", "0.0.0.0:\(port)", "--insecure-http", "--tls"])
        #expect(conflicting.status == 64, "\(conflicting.summary)")

        let node = try FacetProcess(["node", "start", "--config", "\(data)/node.json"])
        let url = "https://127.0.0.1:\(port)"
        do {
            try await EndToEndTests.waitUntilReady(node, url: url, caFile: ca)
            let status = try await FacetProcess.run(["query", "status", "--node", url, "--cacert", ca, "--json"])
            #expect(status.status == 0 && status.stdout.contains("facet-tls"), "\(status.summary)")
            // Without the CA: no answer the client can trust, exit 2, and the message says what to pass.
            let untrusted = try await FacetProcess.run(["query", "status", "--node", url])
            #expect(untrusted.status == 2, "\(untrusted.summary)")
            #expect(
                untrusted.stderr.contains("client.unreachable") && untrusted.stderr.contains("not trusted")
                    && untrusted.stderr.contains("--cacert"), "\(untrusted.summary)")
            // A transaction signed, submitted and followed to its block over HTTPS; a signed private read.
            let lab = try EndToEndTests.memberID(folder.path("lab.key"))
            let registered = try await FacetProcess.run([
                "tx", "register-piece", "--category", "natural-diamond", "--carats", "1.01", "--color", "D",
                "--clarity", "VS1", "--cut", "EX", "--lab", lab, "--certificate", "GIA-1", "--node", url, "--cacert",
                ca, "--key", folder.path("firm.key"), "--json",
            ])
            #expect(registered.status == 0 && registered.stdout.contains("\"committed\""), "\(registered.summary)")
            let loans = try await FacetProcess.run([
                "query", "loans", "--key", folder.path("firm.key"), "--node", url, "--cacert", ca,
            ])
            #expect(loans.status == 0, "\(loans.summary)")
            // The dashboard's sign-in link over HTTPS.
            let link = try await FacetProcess.run([
                "dashboard", "signin-link", "--node", url, "--cacert", ca, "--key", folder.path("firm.key"),
            ])
            #expect(link.status == 0 && link.stdout.hasPrefix("\(url)/dash/signin/complete?member="), "\(link.summary)")
            // curl with the printed CA follows the link: the session cookie is Secure over HTTPS.
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") {
                let signedIn = try Self.curl([
                    "-s", "-D", "-", "-o", "/dev/null", "--cacert", ca,
                    try #require(link.stdout.split(separator: "\n").last.map(String.init)),
                ])
                let cookie = signedIn.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") }
                #expect(cookie?.contains("; Secure") == true && cookie?.contains("HttpOnly") == true, "\(signedIn)")
            }
        } catch {
            Issue.record(error)
        }
        node.signal(SIGTERM)
        let stopped = try await node.wait(timeout: .seconds(30))
        #expect(stopped.status == 0, "node start after SIGTERM: \(stopped.summary)")
    }

    @Test(.timeLimit(.minutes(10)))
    func aDevnetOnItsOwnCAServesHTTPSAndLinksItsValidatorsOverMutualTLS() async throws {
        let folder = try TemporaryFolder()
        let ports = try ConsensusProcessTests.freePortRuns(count: 4, runs: 2)
        let dir = folder.url.appendingPathComponent("devnet")
        let devnet = try FacetProcess([
            "devnet", "--tls", "--dir", dir.path, "--firms", "12", "--months", "2", "--api-port", "\(ports[0])",
            "--peer-port", "\(ports[1])", "--activity-millis", "0", "--status-every", "0", "--seeds",
            DevnetTests.seeds.path,
        ])
        let ca = dir.appendingPathComponent("tls/ca.pem").path
        let urls = (0..<4).map { "https://127.0.0.1:\(ports[0] + $0)" }
        do {
            try await DevnetTests.waitUntilReady(devnet, dir: dir)
            #expect(
                devnet.stdout.contains("TLS           the devnet's CA: \(ca) (curl --cacert \(ca) \(urls[0])/v1/status")
            )
            #expect(
                devnet.stdout.contains("API           \(urls.joined(separator: " "))"), "\(devnet.stdout.suffix(2_000))"
            )
            #expect(devnet.stdout.contains("signin-link --node \(urls[0]) --cacert \(ca) --key"))
            // Every validator: HTTPS from its own certificate, mutual TLS to its peers, both from the devnet's CA.
            for index in 0..<4 {
                let config = try NodeConfig.read(path: dir.appendingPathComponent("validator-\(index)/node.json").path)
                let certificate = dir.appendingPathComponent("tls/validator-\(index).pem").path
                #expect(config.tls?.certificateChain == certificate)
                #expect(
                    config.consensus?.tls?.certificateChain == certificate && config.consensus?.tls?.trustRoots == ca)
            }
            // The history went through consensus over those links; every validator answers over HTTPS at one state.
            let clients = try urls.map { try NodeClient(address: $0, requestTimeout: .seconds(10), caFile: ca) }
            let statuses = try await DevnetTests.agreedStatuses(clients)
            let record = try DevnetRecord.read(dir.appendingPathComponent("devnet.json"))
            #expect(record.tls == true)
            #expect(statuses[0].height >= (record.history?.height ?? .max))
            // Live, each validator is connected to the three others, over mutual TLS (the only links configured).
            var connected = [Int]()
            for _ in 0..<100 {
                connected = []
                for client in clients { connected.append(try await client.status().peers.count) }
                if connected == [3, 3, 3, 3] { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(connected == [3, 3, 3, 3])
            let query = try await FacetProcess.run(["query", "status", "--node", urls[1], "--cacert", ca])
            #expect(query.status == 0, "\(query.summary)")
            let untrusted = try await FacetProcess.run(["query", "status", "--node", urls[1]])
            #expect(untrusted.status == 2 && untrusted.stderr.contains("not trusted"), "\(untrusted.summary)")
            try await Self.dashboardThroughHTTPS(dir: dir, node: urls[0], ca: ca)
        } catch {
            Issue.record(error)
        }
        devnet.signal(SIGTERM)
        let stopped = try await devnet.wait(timeout: .seconds(60))
        #expect(stopped.status == 0, "\(stopped.summary.suffix(2_000))")
    }

    /// The dashboard in headless Chromium over HTTPS: with validator 0's certificate pinned by its public key, the
    /// sign-in page and a signed-in page render; without the pin Chromium refuses the certificate and shows no page
    /// of the dashboard (so the page really came through TLS). Skipped without Chromium.
    static func dashboardThroughHTTPS(dir: URL, node: String, ca: String) async throws {
        guard let binary = HeadlessChromium.installed else { return }
        let pin = try TLSFiles.spkiSHA256(keyFile: dir.appendingPathComponent("tls/validator-0.key.pem").path)
        let pinned = HeadlessChromium(binary: binary, flags: ["--ignore-certificate-errors-spki-list=\(pin)"])
        let signIn = try await pinned.dumpDOM(node + "/dash/signin")
        #expect(signIn.contains("<form class=\"signin\""), "the sign-in form over HTTPS: \(signIn.prefix(500))")
        let link = try await FacetProcess.run([
            "dashboard", "signin-link", "--node", node, "--cacert", ca, "--key",
            dir.appendingPathComponent("members/bank-a.key").path, "--next", "/dash/applicants",
        ])
        try #require(link.status == 0, "\(link.summary)")
        let url = try #require(link.stdout.split(separator: "\n").last.map(String.init))
        #expect(url.hasPrefix("\(node)/dash/signin/complete?"))
        let page = try await pinned.dumpDOM(url)
        #expect(page.contains("Signed in as <strong>"), "signed in through HTTPS: \(page.prefix(500))")
        let unpinned = HeadlessChromium(binary: binary)
        let refused = (try? await unpinned.dumpDOM(node + "/dash/signin")) ?? ""
        #expect(
            !refused.contains("<form class=\"signin\""), "Chromium must not accept the devnet's certificate unpinned")
    }

    @Test func nodeInitRefusesPlainPeerLinksToOtherHostsUnlessTold() async throws {
        let folder = try TemporaryFolder()
        try await Self.newKeys(["v1", "v2"], in: folder)
        let genesis = folder.path("genesis.json")
        let created = try await FacetProcess.run([
            "genesis", "new", "--chain-id", "facet-peers", "--out", genesis,
            "--member", "Exchange A:validator,admin:\(folder.path("v1.key"))",
            "--member", "Exchange B:validator:\(folder.path("v2.key"))",
        ])
        try #require(created.status == 0, "genesis new: \(created.summary)")
        let other = try EndToEndTests.memberID(folder.path("v2.key"))
        let base = [
            "node", "init", "--genesis", genesis, "--key", folder.path("v1.key"), "--listen", "127.0.0.1:7700",
            "--peer-listen", "0.0.0.0:7800", "--peer", "\(other)@10.0.0.2:7800",
        ]
        // A peer on another host over plain TCP: refused, naming what to configure.
        let refused = try await FacetProcess.run(base + ["--data", folder.path("a")])
        #expect(refused.status == 64, "\(refused.summary)")
        #expect(
            refused.stderr.contains("consensus.tls") && refused.stderr.contains("10.0.0.2:7800"), "\(refused.summary)")
        // With the consortium's certificate files: mutual TLS configured.
        let files = try NodeTLSFiles.generate(
            in: folder.url.appendingPathComponent("tls"), caName: "Consortium CA", nodeName: "v1",
            hosts: ["10.0.0.1"])
        let secured = try await FacetProcess.run(
            base + [
                "--data", folder.path("b"), "--peer-tls-cert", files.certificate, "--peer-tls-key", files.key,
                "--peer-ca", files.caCertificate,
            ])
        try #require(secured.status == 0, "\(secured.summary)")
        let tls = try NodeConfig.read(path: folder.path("b/node.json")).consensus?.tls
        #expect(tls?.certificateChain == files.certificate && tls?.trustRoots == files.caCertificate)
        // Told --insecure-peers: plain, and said so in the file.
        let insecure = try await FacetProcess.run(base + ["--data", folder.path("c"), "--insecure-peers"])
        try #require(insecure.status == 0, "\(insecure.summary)")
        let plain = try NodeConfig.read(path: folder.path("c/node.json")).consensus
        #expect(plain?.tls == nil && plain?.insecurePeers == true)
    }

    /// `facet keys new` for each name, into `<folder>/<name>.key`.
    static func newKeys(_ names: [String], in folder: TemporaryFolder) async throws {
        for name in names {
            let made = try await FacetProcess.run(["keys", "new", "--out", folder.path("\(name).key")])
            try #require(made.status == 0, "keys new: \(made.summary)")
        }
    }

    /// `curl` with `arguments`; its standard output.
    static func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
