import FacetClient
import FacetCore
import FacetDemo
import FacetFiles
import FacetLedger
import FacetNode
import FacetStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `facet devnet` (the command line parses its options into `Settings`): the demo consortium of `seeds/` as a living local network, in one command.
///
/// A first run builds the consortium (genesis, demo-only keys, each validator's configuration), generates its
/// history and has the validators commit it with the history's past block times (`DevnetHistory`), writes the
/// ground truth beside the validators' data, then starts each validator as its own `facet node start` process on
/// the real clock, prints a summary and keeps members trading (`DevnetLive`) until Ctrl-C. A later run finds
/// `devnet.json` and resumes in seconds without regenerating; `--fresh` starts over.
package struct DevnetRun: Sendable {
    /// What `facet devnet`'s options say, checked by the command line.
    package struct Settings: Sendable {
        /// The devnet's folder; an existing one is resumed.
        package var dir = "devnet"
        /// Delete the folder (and the validators' PostgreSQL databases) and start over.
        package var fresh = false
        /// `sqlite` (a file each) or a PostgreSQL server URL (validator i uses database DATABASE_v<i>).
        package var store = "sqlite"
        /// Validators, firms, months of history and the generator's seed (default: the seed files').
        package var validators: Int?
        package var firms: Int?
        package var months: Int?
        package var seed: UInt64?
        /// The seed files' folder (default: ./seeds, else the repository's).
        package var seeds: String?
        /// First HTTP API and peer ports; validator i listens on PORT+i.
        package var apiPort = 7700
        package var peerPort = 7800
        /// Milliseconds between blocks while there is activity, between live member actions (0: none), and
        /// seconds between status lines (0: none).
        package var blockMillis = 1_000
        package var activityMillis = 3_000
        package var statusEvery = 10
        /// HTTPS APIs and mutual TLS between validators, on the devnet's own CA.
        package var tls = false

        package init() {}
    }

    package let settings: Settings

    package init(_ settings: Settings) { self.settings = settings }

    private var dir: String { settings.dir }
    private var fresh: Bool { settings.fresh }
    private var store: String { settings.store }
    private var validators: Int? { settings.validators }
    private var firms: Int? { settings.firms }
    private var months: Int? { settings.months }
    private var seed: UInt64? { settings.seed }
    private var seeds: String? { settings.seeds }
    private var apiPort: Int { settings.apiPort }
    private var peerPort: Int { settings.peerPort }
    private var blockMillis: Int { settings.blockMillis }
    private var activityMillis: Int { settings.activityMillis }
    private var statusEvery: Int { settings.statusEvery }
    private var tls: Bool { settings.tls }

    package func run() async throws {
        let folder = URL(fileURLWithPath: dir).standardizedFileURL
        let recordPath = folder.appendingPathComponent("devnet.json")
        if fresh { try await startOver(folder, recordPath: recordPath) }
        var record: DevnetRecord
        if FileManager.default.fileExists(atPath: recordPath.path) {
            record = try DevnetRecord.read(recordPath)
            var ignored = [String]()
            if validators != nil { ignored.append("--validators") }
            if firms != nil { ignored.append("--firms") }
            if months != nil { ignored.append("--months") }
            if seed != nil { ignored.append("--seed") }
            if store != "sqlite" { ignored.append("--store") }
            if tls && record.tls != true { ignored.append("--tls") }
            if !ignored.isEmpty {
                print(
                    "\(ignored.joined(separator: ", ")) ignored: \(folder.path) already holds a devnet (--fresh starts over)"
                )
            }
        } else {
            record = try create(folder)
        }
        let layout = DevnetLayout(
            folder: folder, validators: record.validators, apiPort: apiPort, peerPort: peerPort,
            tls: record.tls ?? false)
        if record.store != "sqlite" { try await Self.createDatabases(record.store, validators: record.validators) }
        let consortium = try DemoConsortium(
            seed: DevnetSeeds.consortiumSeed(in: folder), settings: record.settings)
        if record.history == nil {
            record.history = try await loadHistory(layout: layout, consortium: consortium)
            try record.write(recordPath)
        } else {
            print("resuming \(folder.path): its history is committed, nothing to generate")
        }
        guard let history = record.history else { preconditionFailure("the history was just loaded") }
        let children = try (0..<record.validators).map { index in
            try ValidatorProcesses.launch(layout: layout, index: index)
        }
        let clients = try (0..<record.validators).map { index in
            try NodeClient(address: layout.apiURL(index), requestTimeout: .seconds(5), caFile: layout.caFile)
        }
        let live = DevnetLive(
            consortium: consortium, prices: history.prices, clients: clients,
            every: .milliseconds(max(activityMillis, 1)))
        let counts = LiveCounts()
        let start = DevnetStart()
        let watching = DevnetWatch { [self, record] in
            if await waitUntilServing(clients, children: children) {
                await printSummary(record: record, history: history, layout: layout, clients: clients)
                start.decide(true)
                await watch(layout: layout, children: children, live: counts)
            } else {
                start.decide(false)
            }
            print("stopping \(children.count) validators…")
        }
        let acting = activityMillis > 0 ? DevnetLiveService(live: live, start: start, counts: counts) : nil
        try await ValidatorProcesses.serve(validators: children, watch: watching, live: acting)
        print("devnet stopped")
    }

    /// `--fresh`: removes the folder (only one that holds a devnet) and drops the validators' databases.
    private func startOver(_ folder: URL, recordPath: URL) async throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: folder.path) else { return }
        let known = ["devnet.json", "genesis.json"].contains {
            fileManager.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
        let empty = (try? fileManager.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? false
        guard known || empty else {
            throw DevnetFailure(.notADevnet, "--fresh: \(folder.path) does not hold a devnet; not deleting it")
        }
        if let record = try? DevnetRecord.read(recordPath), record.store != "sqlite" {
            let server = try PostgresTarget(url: record.store)
            let names = (0..<record.validators).map { "\(server.database)_v\($0)" }
            let dropped = try await PostgresLedgerStore.dropDatabases(names, server: server)
            if !dropped.isEmpty { print("PostgreSQL: dropped databases \(dropped.joined(separator: ", "))") }
        }
        try fileManager.removeItem(at: folder)
        print("removed \(folder.path)")
    }

    /// Builds the consortium from the seed files and the overrides and writes its layout and record.
    private func create(_ folder: URL) throws -> DevnetRecord {
        let seedFolder = try DevnetSeeds.folder(seeds)
        var consortiumSeed = try DevnetSeeds.consortiumSeed(in: seedFolder)
        var settings = try DevnetSeeds.settings(in: seedFolder)
        if let firms { settings.firms = firms }
        if let months { settings.months = months }
        if let seed { settings.seed = seed }
        try settings.validate()
        if DevnetSeeds.endJustBefore(SystemNodeClock().now(), &settings) {
            print("the history covers the \(settings.months) months up to today: it starts on \(settings.start)")
        }
        let count = validators ?? consortiumSeed.validatorKeys.count
        consortiumSeed = consortiumSeed.withValidators(count)
        let consortium = try DemoConsortium(seed: consortiumSeed, settings: settings)
        let layout = DevnetLayout(folder: folder, validators: count, apiPort: apiPort, peerPort: peerPort, tls: tls)
        let validatorKeys = consortiumSeed.validatorKeys.map { consortium.founder($0).signingKey }
        var memberKeys = consortium.founders.map { (file: $0.key, key: $0.signingKey) }
        memberKeys += HistoryGenerator(consortium: consortium).firms.map {
            (file: $0.member.key, key: $0.member.signingKey)
        }
        // The credit engine's files: the scoring models in use (registered on the ledger at the end of the history),
        // the products and the lenders' policies, copied so the devnet keeps deciding as it did when created.
        let contracts = seedFolder.deletingLastPathComponent().appendingPathComponent("contracts")
        for part in ["models", "products", "policies"] {
            let source = contracts.appendingPathComponent(part)
            let copies = folder.appendingPathComponent(part)
            try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? []).sorted()
            where file.hasSuffix(".json") {
                try FileManager.default.copyItem(
                    at: source.appendingPathComponent(file), to: copies.appendingPathComponent(file))
            }
        }
        try layout.write(
            genesis: consortium.genesis, validatorKeys: validatorKeys, memberKeys: memberKeys,
            store: { index in store == "sqlite" ? nil : Self.database(store, index: index) },
            configure: { config in
                config.block.intervalMillis = blockMillis
                config.block.maxTransactions = Limits.maxBlockTransactions
                config.logLevel = "info"
                // Blocks while members are active; an empty one every 30 s shows the chain is live.
                config.consensus?.emptyBlockIntervalMillis = 30_000
                config.credit = NodeConfig.Credit(
                    models: "../models", products: "../products", policies: "../policies")
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try LocalFiles.write(
            try encoder.encode(consortiumSeed), to: folder.appendingPathComponent("consortium.json").path)
        let record = DevnetRecord(settings: settings, validators: count, store: store, history: nil, tls: tls)
        try record.write(folder.appendingPathComponent("devnet.json"))
        print(
            "created the demo consortium \(consortium.chainID.value) in \(folder.path): \(count) validators, "
                + "\(consortium.founders.count) founding members, \(settings.firms) firms to come")
        return record
    }

    /// Generates the history and has the validators commit it, then writes the ground truth beside their data.
    private func loadHistory(layout: DevnetLayout, consortium: DemoConsortium) async throws -> DevnetRecord.History {
        let settings = consortium.settings
        print(
            "generating \(settings.months) months of history for \(settings.firms) firms (seed \(settings.seed)); "
                + "the \(layout.validators) validators commit it with its past block times…")
        var logger = Logger(label: "facet.devnet")
        logger.logLevel = .warning
        let outcome = try await DevnetHistory(layout: layout, consortium: consortium, logger: logger).run()
        try outcome.generator.groundTruth.write(to: layout.groundTruthPath)
        return outcome.record
    }

    /// Until every validator's API answers (60 s at most, or Ctrl-C, or a validator exiting).
    private func waitUntilServing(_ clients: [NodeClient], children: [Process]) async -> Bool {
        let readiness = await ValidatorProcesses.waitUntilServing(clients, children: children, connected: false) {
            Task.isShuttingDownGracefully
        }
        switch readiness {
        case .serving: return true
        case .exited(let index, let status): print("validator \(index) exited with status \(status); see its node.log")
        case .timedOut: print("the validators' APIs did not answer within 60 s; see their node.log")
        case .stopped: break
        }
        return false
    }

    private func printSummary(
        record: DevnetRecord, history: DevnetRecord.History, layout: DevnetLayout, clients: [NodeClient]
    ) async {
        let status = try? await clients[0].status()
        // The registry is read by members: the summary reads it as the alliance's operator would.
        let reader = try? KeyFile.member(layout.memberKeyPath("alliance").path)
        var members = history.members
        if let reader, let registry = try? await clients[0].members(signer: reader) { members = registry.count }
        let loans = history.loans
        let loanTotal = loans.values.reduce(0, +)
        let folder = layout.folder.path
        let height = status?.height ?? history.height
        let root = String((status?.stateRoot ?? history.stateRoot).prefix(16))
        let span = "\(history.firstBlockTime.prefix(10)) to \(history.lastBlockTime.prefix(10))"
        let outcomes = LoanOutcome.allCases.map { "\(loans[$0.rawValue] ?? 0) \($0.rawValue)" }
        let cacert = layout.caFile.map { " --cacert \($0)" } ?? ""
        var lines = [String]()
        lines.append("")
        lines.append("Facet devnet \(status?.chainID ?? "") is ready")
        lines.append("  validators    \(record.validators), height \(height), state root \(root)…")
        lines.append("  members       \(members) (founders and \(record.settings.firms) firms)")
        lines.append(
            "  history       \(history.transactions.formatted()) records over \(history.months) months, \(span), "
                + "committed in \(Int(history.seconds)) s")
        lines.append("  loans         \(loanTotal): " + outcomes.joined(separator: ", "))
        if let refusal = history.doublePledge {
            lines.append(
                "  refused       the double pledge \(refusal.transaction.prefix(16))… at height \(refusal.height): "
                    + refusal.code)
        } else {
            lines.append("  refused       no double pledge in so short a history")
        }
        for (name, hash) in (history.models ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append("  model         \(name) (\(hash.prefix(16))…) registered on the ledger")
        }
        if let line = await creditLine(layout: layout, client: clients[0]) { lines.append(line) }
        lines += [
            "  ground truth  \(layout.groundTruthPath.path) (hidden quality; never on the ledger)",
            "  API           " + (0..<record.validators).map { layout.apiURL($0) }.joined(separator: " "),
            "  dashboard     \(layout.apiURL(0))/dash (sign in: facet dashboard signin-link --node "
                + "\(layout.apiURL(0))\(cacert) --key \(folder)/members/bank-a.key)",
            "  keys          \(folder)/members/*.key (demo-only keys derived from the seed)",
        ]
        if let caFile = layout.caFile {
            lines.append(
                "  TLS           the devnet's CA: \(caFile) (curl --cacert \(caFile) \(layout.apiURL(0))/v1/status; "
                    + "facet … --cacert \(caFile)); validators' peer links are mutual TLS")
        }
        lines += [
            "  logs          \(folder)/validator-<i>/node.log",
            activityMillis > 0
                ? "Live activity: a member action every \(activityMillis) ms. Ctrl-C stops the devnet."
                : "Ctrl-C stops the devnet.",
        ]
        print(lines.joined(separator: "\n"))
        fflush(nil)
    }

    /// A credit report to try: the largest applicant by verified revenue that a lender offers credit, taking the
    /// lenders in turn (bank-a, bank-b, fintech) and falling back to the first lender's largest applicant, once
    /// validator 0's credit index has caught up (it replays the history at start-up; at most 30 s here).
    private func creditLine(layout: DevnetLayout, client: NodeClient) async -> String? {
        let keys = layout.folder.appendingPathComponent("members")
        let lenders = ["bank-a.key", "bank-b.key", "fintech.key"].map { keys.appendingPathComponent($0).path }
            .filter { FileManager.default.fileExists(atPath: $0) }
            .compactMap { path in (try? KeyFile.member(path)).map { (path: path, key: $0) } }
        guard let first = lenders.first else { return nil }
        func revenue(_ applicant: FacetClient.NodeAPI.CreditApplicants.Applicant) -> Int64 {
            Int64(applicant.revenue12m.minorUnits) ?? 0
        }
        for _ in 0..<150 {
            guard (try? await client.creditApplicants(signer: first.key)) != nil else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            var fallback: (lender: String, applicant: FacetClient.NodeAPI.CreditApplicants.Applicant)?
            for lender in lenders {
                guard let answer = try? await client.creditApplicants(signer: lender.key) else { continue }
                let ranked = answer.applicants.sorted { revenue($0) > revenue($1) }
                if fallback == nil, let largest = ranked.first { fallback = (lender.path, largest) }
                if let offered = ranked.first(where: { (Int64($0.bestLimit.minorUnits) ?? 0) > 0 }) {
                    return Self.reportLine(
                        offered, lender: lender.path, node: client.baseURL.absoluteString, ca: layout.caFile)
                }
            }
            let node = client.baseURL.absoluteString
            return fallback.map { Self.reportLine($0.applicant, lender: $0.lender, node: node, ca: layout.caFile) }
        }
        return nil
    }

    private static func reportLine(
        _ applicant: FacetClient.NodeAPI.CreditApplicants.Applicant, lender: String, node: String, ca: String?
    ) -> String {
        "  credit        facet credit report \(applicant.firm) --as \(lender) --node \(node)"
            + (ca.map { " --cacert \($0)" } ?? "")
            + "   (\(applicant.name), grade \(applicant.grade), best limit \(applicant.bestLimit))"
    }

    /// Prints the validators' heights every `statusEvery` seconds until Ctrl-C or SIGTERM, and says so when a
    /// validator process exits on its own.
    private func watch(layout: DevnetLayout, children: [Process], live: LiveCounts) async {
        var reported = Set<Int>()
        var elapsed = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            elapsed += 200
            for (index, child) in children.enumerated() where !child.isRunning && !reported.contains(index) {
                reported.insert(index)
                print("validator \(index) exited with status \(child.terminationStatus); see its node.log")
            }
            guard statusEvery > 0, elapsed >= statusEvery * 1000 else { continue }
            elapsed = 0
            var heights = [String]()
            for index in 0..<children.count {
                if let client = try? NodeClient(
                    address: layout.apiURL(index), requestTimeout: .seconds(2), caFile: layout.caFile),
                    let status = try? await client.status()
                {
                    heights.append("v\(index)=\(status.height)")
                } else {
                    heights.append("v\(index)=down")
                }
            }
            let counts = live.get()
            print(
                "heights: " + heights.joined(separator: " ")
                    + (counts.submitted + counts.refused + counts.unreachable > 0
                        ? " · live: \(counts.submitted) submitted, \(counts.refused) refused" : ""))
            fflush(nil)
        }
    }

    /// Creates the validators' databases the server lacks.
    package static func createDatabases(_ url: String, validators: Int) async throws {
        let server: PostgresTarget
        do {
            server = try PostgresTarget(url: url)
        } catch {
            throw DevnetFailure(.storeInvalid, "--store: \(error.reason)")
        }
        let names = (0..<validators).map { "\(server.database)_v\($0)" }
        let created = try await PostgresLedgerStore.createMissingDatabases(names, server: server)
        print(
            created.isEmpty
                ? "PostgreSQL: using databases \(names.joined(separator: ", "))"
                : "PostgreSQL: created databases \(created.joined(separator: ", "))")
    }

    /// `postgres://…/NAME` → `postgres://…/NAME_v<i>` (query string kept).
    package static func database(_ url: String, index: Int) -> String {
        let parts = url.split(separator: "?", maxSplits: 1).map(String.init)
        let base = parts[0].hasSuffix("/") ? parts[0] + "facet" : parts[0]
        return base + "_v\(index)" + (parts.count > 1 ? "?" + parts[1] : "")
    }
}

/// The live activity's counts, shared with the status line.
package final class LiveCounts: Sendable {
    private let counts = Mutex(DevnetLive.Counts())

    package func set(_ value: DevnetLive.Counts) { counts.withLock { $0 = value } }
    package func get() -> DevnetLive.Counts { counts.withLock { $0 } }
}
