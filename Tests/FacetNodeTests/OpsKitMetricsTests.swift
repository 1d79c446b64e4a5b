import FacetClient
import FacetCore
import FacetLedger
import FacetNode
import FacetServer
import FacetTLS
import FacetTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The operator's kit names only metrics a node exports: every `facet_…` name in the alert rules
/// (`ops/prometheus/facet-alerts.yml`) and the Grafana dashboard (`ops/grafana/facet-validators.json`) appears in
/// the `/metrics` of a running validator, one of two run from their configurations with HTTPS and mutual TLS between
/// them, after a transaction commits. The metrics the kit added carry their real values: the certificates' expiry,
/// the configured peers, the mempool's bounds, the blocks this validator signed.
@Suite(.timeLimit(.minutes(5))) struct OpsKitMetricsTests {
    /// The `facet_…` names in a file (a histogram's series keep their `_bucket`, `_sum`, `_count` suffix).
    static func metricNames(in relativePath: String) throws -> Set<String> {
        let text = try String(contentsOf: ContractFiles.root.appendingPathComponent(relativePath), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"\bfacet_[a-z0-9_]+"#)
        return Set(
            regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range, in: text).map { String(text[$0]) }
            })
    }

    /// The series names a Prometheus text exposition holds samples of.
    static func exported(_ exposition: String) -> Set<String> {
        Set(
            exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
                line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
            })
    }

    /// The value of the first sample of `name` whose labels contain `labels`.
    static func value(_ exposition: String, _ name: String, _ labels: String = "") -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            guard labels.isEmpty || line.contains(labels), let last = line.split(separator: " ").last else { continue }
            return Double(last)
        }
        return nil
    }

    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    @Test func everyMetricTheAlertsAndTheDashboardNameIsExportedByARunningValidator() async throws {
        let alerts = try Self.metricNames(in: "ops/prometheus/facet-alerts.yml")
        let dashboard = try Self.metricNames(in: "ops/grafana/facet-validators.json")
        // The files really use the metrics this test is about (a regex that found nothing would pass vacuously).
        #expect(alerts.count >= 10 && dashboard.count >= 12)
        #expect(alerts.contains("facet_tls_certificate_expiry_timestamp_seconds"))
        #expect(dashboard.contains("facet_store_commit_seconds_bucket"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-opskit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var fixture = LedgerFixture(validators: 2)
        let (configs, ca) = try await Self.twoValidators(fixture, in: folder)
        let piece = fixture.sign(
            "firmA",
            .registerPiece(.init(card: IdentityCard(category: .gold, weight: 3, fineness: 999), certificate: nil)))
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for (name, config) in zip(["v1", "v2"], configs) {
                let launcher = NodeLauncher(
                    config: config, genesis: fixture.genesis, validatorKey: fixture.actor(name).key,
                    logger: APITestNode.logger)
                let report = name == "v1"
                tasks.addTask { try await launcher.run(signals: [], onListening: { if report { sink.yield($0) } }) }
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = try NodeClient(
                address: "https://127.0.0.1:\(port)", requestTimeout: .seconds(20), caFile: ca.caCertificate)
            _ = try await client.submit(piece)
            let firm = MemberKey(firstKey: fixture.actor("firmA").key)
            #expect(try await client.waitForCommit(piece.id, signer: firm, timeout: .seconds(120)).status == .committed)
            _ = try await client.metrics()  // so the HTTP response counter has a response to count
            let metrics = try await client.metrics()
            let exported = Self.exported(metrics)
            #expect(alerts.union(dashboard).subtracting(exported).sorted() == [], "named in ops/ but not exported")

            // The values behind the new metrics.
            let api = try TLSFiles.expiry(ofCertificates: try #require(configs[0].tls).certificateChain)
            let expiry = Self.value(metrics, "facet_tls_certificate_expiry_timestamp_seconds", #"certificate="api""#)
            #expect(expiry == Double(Int64(api.timeIntervalSince1970)))
            #expect(
                Self.value(metrics, "facet_tls_certificate_expiry_timestamp_seconds", #"certificate="peer_ca""#) != nil)
            #expect(Self.value(metrics, "facet_peer_configured") == 1)
            #expect(Self.value(metrics, "facet_mempool_max_transactions") == Double(configs[0].mempool.maxTransactions))
            #expect(Self.value(metrics, "facet_mempool_max_bytes") == Double(configs[0].mempool.maxBytes))
            #expect((Self.value(metrics, "facet_validator_signed_blocks_total") ?? 0) >= 1)
            tasks.cancelAll()
        }
    }

    /// Configurations of the fixture's two validators: HTTPS APIs on free ports, mutual TLS between them, all
    /// certificates from one CA. Returns them and the CA's files.
    static func twoValidators(_ fixture: LedgerFixture, in folder: URL) async throws
        -> ([NodeConfig], NodeTLSFiles)
    {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let genesis = folder.appendingPathComponent("genesis.json")
        try fixture.genesis.jsonData().write(to: genesis)
        let tls = folder.appendingPathComponent("tls")
        let ca = try NodeTLSFiles.generate(
            in: tls, caName: "Facet test consortium", nodeName: "v1", hosts: ["127.0.0.1", "localhost"])
        let authority = try CertificateAuthority.read(
            certificate: ca.caCertificate, key: tls.appendingPathComponent("ca.key.pem").path)
        let second = try NodeTLSFiles.issue(
            by: authority, caCertificate: ca.caCertificate, in: tls, file: "v2", name: "v2",
            hosts: ["127.0.0.1", "localhost"])
        let peerPorts = [try await freePort(), try await freePort()]
        var configs = [NodeConfig]()
        for (index, (name, files)) in [("v1", ca), ("v2", second)].enumerated() {
            let key = try NodeProcessTests.writeKey(
                fixture.actor(name).key, to: folder.appendingPathComponent("\(name).key"))
            let other = fixture.actor(index == 0 ? "v2" : "v1").key
            let consensus = NodeConfig.Consensus(
                listen: NodeConfig.Listen(host: "127.0.0.1", port: peerPorts[index]),
                peers: [
                    NodeConfig.Consensus.Peer(
                        member: MemberID(initialKey: other.publicKey).hex, address: "127.0.0.1:\(peerPorts[1 - index])")
                ],
                timeouts: NodeConfig.Consensus.Timeouts(
                    proposeMillis: 1_000, prevoteMillis: 500, precommitMillis: 500, incrementMillis: 250),
                tls: NodeConfig.Consensus.TLS(
                    certificateChain: files.certificate, privateKey: files.key, trustRoots: ca.caCertificate))
            configs.append(
                NodeConfig(
                    dataDirectory: folder.appendingPathComponent(name).path, genesisFile: genesis.path,
                    validatorKeyFile: key.path, listen: NodeConfig.Listen(host: "127.0.0.1", port: 0),
                    block: NodeConfig.Block(intervalMillis: 50), consensus: consensus,
                    tls: NodeConfig.TLS(certificateChain: files.certificate, privateKey: files.key)))
        }
        return (configs, ca)
    }
}
