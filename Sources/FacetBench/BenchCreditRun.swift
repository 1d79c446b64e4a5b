import FacetClient
import FacetCore
import FacetCredit
import FacetFiles
import FacetLedger
import FacetNode
import FacetServer
import FacetSimulation
import FacetStore
import Foundation
import Logging
import Prometheus

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A lender's credit read through the node's real HTTP API: `GET /v1/credit/{firm}/report` then `/offers`, signed
/// by the lender, for firms whose history grows from a hundred transactions to a hundred thousand. The credit
/// index keeps running monthly aggregates, so the figure should stay flat as the history grows. The history is
/// built untimed on a one-validator node (temporary SQLite store, manual block times over 24 months); only the
/// requests are timed, each signed before its timer starts.
package struct BenchCreditRun: Sendable {
    package var attestations: [Int] = [100, 1_000, 10_000, 100_000]
    package var requests: Int = 200
    package var contracts: String? = nil
    package var node: String? = nil
    package var key: String? = nil
    package var firm: String? = nil
    package var unconfirmed: Int = 5
    package var json: Bool = false

    package init() {}

    package func run() async throws {
        let progress = BenchCreditProgress(toStandardError: json)
        var rows = [BenchCreditRow]()
        if let node, let key {
            rows.append(
                try await Self.remote(address: node, keyFile: key, firm: firm, requests: requests, progress))
        } else {
            let library = try BenchCreditLibrary.load(contracts: contracts)
            for size in attestations {
                rows.append(
                    try await Self.local(
                        size: size, unconfirmed: unconfirmed, library: library, requests: requests, progress))
            }
        }
        let summary = BenchCreditSummary(rows: rows, requests: requests)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            summary.printTable()
        }
    }

    /// Builds a firm of about `size` transactions of history on a fresh node, serves its API, and times reads.
    package static func local(
        size: Int, unconfirmed: Int, library: CreditLibrary, requests: Int, _ progress: BenchCreditProgress
    )
        async throws -> BenchCreditRow
    {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "facet-bench-credit-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        ).path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var logger = Logger(label: "facet.bench")
        logger.logLevel = .warning
        var history = BenchCreditHistory(target: size, unconfirmedPercent: unconfirmed)
        let store = try await SQLiteLedgerStore.open(path: path, logger: logger)
        let node = try await LedgerNode(
            genesis: history.fixture.genesis, store: store, validatorKey: history.fixture.actor("v1").key,
            mempool: .init(maxCount: 4 * BenchCreditHistory.maxBlock, maxBytes: 64 * 1024 * 1024),
            logger: logger)
        let credit = CreditServing(library: library, genesis: history.fixture.genesis)
        await credit.attach(to: node)
        progress.line("building a firm of ~\(size) transactions of history…")
        let built = try await history.build(on: node, store: store, progress: progress)
        progress.line(
            "  built \(built.transactions) transactions in \(built.blocks) blocks in "
                + "\(BenchCreditFormat.seconds(built.duration)) s")
        let clock = ManualNodeClock(Timestamp(uncheckedMillis: built.lastTime.millis + 60_000))
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let group = NodeServices.group(
            node: node, registry: PrometheusCollectorRegistry(), clock: clock,
            listen: NodeConfig.Listen(host: "127.0.0.1", port: 0), block: nil, credit: credit, signals: [],
            logger: logger, onListening: { portSink.yield($0) })
        let firm = history.fixture.id("firmA")
        let lender = MemberKey(member: history.fixture.id("lender"), key: history.fixture.actor("lender").key)
        let figures = try await withThrowingTaskGroup(of: BenchCreditFigures?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            do {
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw BenchCreditFailure("the API never listened") }
                for _ in 0..<500 where (try? credit.read { $0.evidence(firm: firm) }) == nil {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let http = BenchCreditHTTP(
                    base: "http://127.0.0.1:\(port)", chainID: history.fixture.genesis.params.chainID,
                    node: node.validatorID, signer: lender, now: { clock.now().millis })
                let figures = try await BenchCreditProbe(http: http, firm: firm).measure(
                    requests: requests, progress)
                await group.triggerGracefulShutdown()
                for try await _ in tasks {}
                return figures
            } catch {
                await group.triggerGracefulShutdown()
                while (try? await tasks.next()) != nil {}
                throw error
            }
        }
        try? await store.close()
        return BenchCreditRow(
            label: "\(built.transactions)", transactions: built.transactions, blocks: built.blocks,
            buildSeconds: BenchCreditFormat.seconds(built.duration), figures: figures)
    }

    /// Times reads against a running node, as the lender of `keyFile`.
    package static func remote(
        address: String, keyFile: String, firm: String?, requests: Int, _ progress: BenchCreditProgress
    ) async throws -> BenchCreditRow {
        let signer = try KeyFile.member(keyFile)
        let client = try NodeClient(address: address)
        let status = try await client.status()
        let chainID = try await client.chainID()
        guard let node = MemberID(hex: status.node) else {
            throw BenchCreditFailure("the node's status names no node id to sign reads for")
        }
        var base = address
        while base.hasSuffix("/") { base.removeLast() }
        let http = BenchCreditHTTP(
            base: base, chainID: chainID, node: node, signer: signer, now: NodeClient.systemMillis)
        let chosen: MemberID
        if let firm {
            guard let id = MemberID(hex: firm) else { throw BenchFailure("--firm is a member id (64 hex)") }
            chosen = id
        } else {
            chosen = try await Self.largestApplicant(http)
            progress.line("reading firm \(chosen.hex), the consenting applicant with the largest revenue_12m")
        }
        let figures = try await BenchCreditProbe(http: http, firm: chosen).measure(requests: requests, progress)
        return BenchCreditRow(
            label: "devnet", transactions: nil, blocks: nil, buildSeconds: nil, figures: figures)
    }

    /// The applicant of `GET /v1/credit/applicants` with the largest 12-month revenue.
    package static func largestApplicant(_ http: BenchCreditHTTP) async throws -> MemberID {
        let (data, _) = try await http.get("/v1/credit/applicants", signed: true)
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let applicants = body?["applicants"] as? [[String: Any]] ?? []
        let ranked = applicants.compactMap { applicant -> (MemberID, Int64)? in
            guard let id = (applicant["firm"] as? String).flatMap(MemberID.init(hex:)) else { return nil }
            let revenue = (applicant["revenue12m"] as? [String: Any])?["minorUnits"] as? String
            return (id, revenue.flatMap { Int64($0) } ?? 0)
        }
        guard let best = ranked.max(by: { ($0.1, $1.0.hex) < ($1.1, $0.0.hex) }) else {
            throw BenchCreditFailure("no firm has given this lender its consent")
        }
        return best.0
    }
}
