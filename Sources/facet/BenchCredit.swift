import ArgumentParser
import FacetClient
import FacetCore
import FacetCredit
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

extension Bench {
    /// A lender's credit read through the node's real HTTP API: `GET /v1/credit/{firm}/report` then `/offers`, signed
    /// by the lender, for firms whose history grows from a hundred transactions to a hundred thousand. The credit
    /// index keeps running monthly aggregates, so the figure should stay flat as the history grows. The history is
    /// built untimed on a one-validator node (temporary SQLite store, manual block times over 24 months); only the
    /// requests are timed, each signed before its timer starts.
    struct Credit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credit",
            abstract: "Latency of a lender's signed credit report and offers over HTTP, for firms of growing history.")

        @Option(parsing: .upToNextOption, help: "History sizes: transactions making the firm's history.")
        var attestations: [Int] = [100, 1_000, 10_000, 100_000]
        @Option(help: "Timed request pairs (report + offers) per size, after a short warm-up.") var requests = 200
        @Option(help: "The contracts folder holding models/, products/ and policies/ (default: found from here).")
        var contracts: String?
        @Option(help: "Measure a running node at this address (http://HOST:PORT) instead of built histories.")
        var node: String?
        @Option(name: .customLong("as"), help: "With --node: the key file of the lender signing the reads.")
        var key: String?
        @Option(help: "With --node: the firm (member id hex); default the consenting applicant earning most.")
        var firm: String?
        @Option(help: "Share (%) of invoices to named buyers that are never confirmed, so stay open receivables.")
        var unconfirmed = 5
        @Flag(help: "Print the figures as JSON (progress goes to standard error).") var json = false

        func validate() throws {
            guard requests >= 1 else { throw ValidationError("--requests is at least 1") }
            guard attestations.allSatisfy({ (50...1_000_000).contains($0) }) else {
                throw ValidationError("each size of --attestations is 50 to 1,000,000")
            }
            guard (node == nil) == (key == nil) else { throw ValidationError("--node and --as go together") }
            guard firm == nil || node != nil else { throw ValidationError("--firm needs --node") }
            guard (0...100).contains(unconfirmed) else { throw ValidationError("--unconfirmed is 0 to 100") }
        }

        func run() async throws {
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
        static func local(
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
        static func remote(
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
                guard let id = MemberID(hex: firm) else { throw ValidationError("--firm is a member id (64 hex)") }
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
        static func largestApplicant(_ http: BenchCreditHTTP) async throws -> MemberID {
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
}

/// The committed library (the repository's `contracts/`), with bank-b's policy given to the fixture's lender the
/// way `APICreditTests` does: its minimums lowered so a small firm still gets offers, and its guarantee naming the
/// fixture's guarantor.
enum BenchCreditLibrary {
    static func load(contracts: String?) throws -> CreditLibrary {
        let folder = try contracts.map { URL(fileURLWithPath: $0) } ?? find()
        var library = try CreditLibrary.load(
            NodeConfig.Credit(
                models: folder.appendingPathComponent("models").path,
                products: folder.appendingPathComponent("products").path,
                policies: folder.appendingPathComponent("policies").path))
        guard var policy = library.policies.first(where: { $0.lender == "bank-b" }) else {
            throw BenchCreditFailure("\(folder.path)/policies holds no policy of bank-b")
        }
        policy.memberName = "lender"
        policy.guarantor = "guarantor"
        policy.minimumLimitMinor = 100_000
        policy.maxPdBps = 9_999
        policy.worstGrade = "10"
        var products = Array(library.products.values)
        for index in products.indices { products[index].minimumLimitMinor = 100_000 }
        library = CreditLibrary(models: Array(library.models.values), products: products, policies: [policy])
        guard library.models[BenchCreditHistory.modelHash] != nil else {
            throw BenchCreditFailure("\(folder.path)/models lacks facet-demo-sme-v1")
        }
        return library
    }

    /// `contracts/` in the current directory or one of its parents, else the one beside this source file.
    static func find() throws -> URL {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("contracts")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("models").path) {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let beside = root.appendingPathComponent("contracts")
        guard FileManager.default.fileExists(atPath: beside.appendingPathComponent("models").path) else {
            throw BenchCreditFailure("no contracts/ folder found from here; pass --contracts")
        }
        return beside
    }
}

/// firmA's 24 months of trade, committed to a node: eight gold pieces (four in a bonded warehouse), consent to the
/// lender, the demo model registered, a reference price each month, and invoices spread over the months to firmB
/// (most), firmC and consumers. Buyers confirm all but `unconfirmedPercent` (default 5%) of their invoices within days and pay most of those in full
/// before they fall due; the rest are paid a month late, or (in the last month) stay open. Amounts come from a
/// seeded generator, so a size always builds the same history.
struct BenchCreditHistory {
    static let months: Int64 = 24
    static let maxBlock = 1_000
    static let pieces = 8
    static let modelHash: Hash256 = {
        guard let hash = Hash256(hex: "805d2e214cea8d380e98d082897d481f38a6366d8857112e132d2ac1cc5fbd62") else {
            preconditionFailure("a 64-digit hex hash")
        }
        return hash
    }()

    /// An invoice awaiting its buyer's confirmation or payment.
    struct Open {
        let id: InvoiceID
        let buyer: String
        let amount: Money
    }

    struct Built {
        let transactions: Int
        let blocks: Int
        let lastTime: Timestamp
        let duration: Duration
    }

    let target: Int
    let unconfirmedPercent: Int
    var fixture = LedgerFixture(validators: 1)
    private var rng = SeededRandom(seed: 7)
    private var lastTime: Timestamp
    private var committed = 0
    private var blocks = 0

    init(target: Int, unconfirmedPercent: Int) {
        self.target = target
        self.unconfirmedPercent = unconfirmedPercent
        lastTime = fixture.genesis.time
    }

    /// The invoices: what remains of the target once the fixed transactions are counted, at ~2.6 transactions per
    /// invoice (issue; for a named buyer, confirm and pay), at least one a month.
    var invoiceCount: Int {
        let fixed = Self.pieces + Self.pieces / 2 + 2 + Int(Self.months)
        return max(Int(Self.months), (target - fixed) * 100 / 257)
    }

    mutating func build(on node: LedgerNode, store: any LedgerStore, progress: BenchCreditProgress)
        async throws -> Built
    {
        let clock = ContinuousClock()
        let started = clock.now
        var lastReport = started
        let start = fixture.genesis.time.millis + 3_600_000
        let day = Timestamp.millisPerDay
        var late = [Open]()
        for month in 0..<Self.months {
            let opening = start + month * 30 * day
            var issued = month == 0 ? setup() : []
            issued.append(price(month))
            let invoices = self.invoices(month: month, at: Timestamp(uncheckedMillis: opening))
            issued += invoices.map(\.0)
            try await commit(issued, at: opening, node: node, store: store)
            if month == 0 {
                let ids = issued.prefix(Self.pieces).map { PieceID($0.id.hash) }
                let custody = ids.prefix(Self.pieces / 2).map {
                    fixture.sign("warehouse", .custodyIn(.init(piece: $0, bonded: true)))
                }
                try await commit(custody, at: opening + 3_600_000, node: node, store: store)
            }
            let named = invoices.compactMap(\.1)
            let confirmed = named.filter { _ in rng.next() % 100 >= UInt64(unconfirmedPercent) }
            try await commit(
                confirmed.map { fixture.sign($0.buyer, .confirmInvoice(.init(invoice: $0.id))) }, at: opening + 3 * day,
                node: node, store: store)
            var onTime = [Open]()
            var nextLate = [Open]()
            for open in confirmed {
                if rng.next() % 100 < 92 { onTime.append(open) } else { nextLate.append(open) }
            }
            let payments = (late + onTime).map {
                fixture.sign($0.buyer, .payInvoice(.init(invoice: $0.id, amount: $0.amount)))
            }
            late = nextLate
            try await commit(payments, at: opening + 20 * day, node: node, store: store)
            if clock.now - lastReport > .seconds(3) {
                lastReport = clock.now
                progress.line(
                    "  month \(month + 1)/\(Self.months): \(committed) transactions committed, height \(blocks)")
            }
        }
        return Built(transactions: committed, blocks: blocks, lastTime: lastTime, duration: clock.now - started)
    }

    /// The first block's fixed part: the pieces (first, so their ids lead), consent and the model.
    private mutating func setup() -> [Transaction] {
        var transactions = (0..<Self.pieces).map { index in
            let card = IdentityCard(category: .gold, weight: UInt64(100_000 + 50_000 * index), fineness: 999)
            return fixture.sign("firmA", .registerPiece(.init(card: card, certificate: nil)))
        }
        transactions.append(fixture.sign("firmA", .grantConsent(.init(lender: fixture.id("lender"), expiresAt: nil))))
        guard let name = try? Label("facet-demo-sme-v1") else { preconditionFailure("a short label") }
        transactions.append(fixture.sign("lender", .registerModel(.init(modelHash: Self.modelHash, name: name))))
        return transactions
    }

    private mutating func price(_ month: Int64) -> Transaction {
        guard let band = try? Label("AU9999-PER-G") else { preconditionFailure("a short label") }
        let perGram = Self.cny(48_000 + month * 150 + Int64(rng.next() % 400))
        return fixture.sign("exchange", .publishPrice(.init(category: .gold, band: band, pricePerUnit: perGram)))
    }

    /// This month's share of the invoices, due in 30 days; each with its open item when it names a buyer.
    private mutating func invoices(month: Int64, at time: Timestamp) -> [(Transaction, Open?)] {
        let total = Int64(invoiceCount)
        let range = (month * total / Self.months)..<((month + 1) * total / Self.months)
        return range.map { _ in
            let roll = rng.next() % 100
            let buyer: String? = roll < 12 ? nil : roll < 70 ? "firmB" : "firmC"
            let amount = Self.cny(Int64(2_000_000 + rng.next() % 30_000_000))
            let invoice = fixture.sign(
                "firmA",
                .issueInvoice(
                    .init(
                        buyer: buyer.map { fixture.id($0) }, amount: amount, dueAt: time.adding(days: 30), pieces: [],
                        channel: buyer == nil ? .retail : .wholesale)))
            return (invoice, buyer.map { Open(id: InvoiceID(invoice.id.hash), buyer: $0, amount: amount) })
        }
    }

    /// Commits `transactions` in blocks of at most `maxBlock`, a second apart from `time` (or from the last block).
    /// Every transaction must be accepted: a refusal is a bug in this generator.
    private mutating func commit(
        _ transactions: [Transaction], at time: Int64, node: LedgerNode, store: any LedgerStore
    )
        async throws
    {
        var rest = transactions[...]
        while !rest.isEmpty {
            let chunk = Array(rest.prefix(Self.maxBlock))
            rest = rest.dropFirst(chunk.count)
            if let refusal = await node.submit(chunk, forward: false).first {
                throw BenchCreditFailure("\(chunk[refusal.position].body.kind) refused at submit: \(refusal.error)")
            }
            lastTime = Timestamp(uncheckedMillis: max(time, lastTime.millis + 1_000))
            guard
                let header = try await node.produceBlock(
                    time: lastTime, maxTransactions: Self.maxBlock, maxBytes: Limits.maxBlockBytes),
                Int(header.transactionCount) == chunk.count,
                let stored = try await store.blocks(from: header.height, limit: 1).first
            else { throw BenchCreditFailure("a block did not commit its \(chunk.count) transactions") }
            if let index = stored.results.firstIndex(where: { !$0.accepted }) {
                throw BenchCreditFailure(
                    "\(stored.transactions[index].body.kind) was refused: \(stored.results[index])")
            }
            committed += chunk.count
            blocks += 1
        }
    }

    static func cny(_ fen: Int64) -> Money {
        guard let money = try? Money(minorUnits: fen, currency: .cny) else { preconditionFailure("a valid amount") }
        return money
    }
}

/// Plain HTTP to one node: signed GETs as the API expects them (`SignedRead` over the path and query, for this
/// node, with a fresh nonce each).
struct BenchCreditHTTP: Sendable {
    let base: String
    let chainID: Label
    let node: MemberID
    let signer: MemberKey
    let now: @Sendable () -> Int64
    private let session: URLSession

    init(base: String, chainID: Label, node: MemberID, signer: MemberKey, now: @escaping @Sendable () -> Int64) {
        self.base = base
        self.chainID = chainID
        self.node = node
        self.signer = signer
        self.now = now
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    /// The request for `target`, signed now when `signed`.
    func request(_ target: String, signed: Bool) throws -> URLRequest {
        guard let url = URL(string: base + target) else { throw BenchCreditFailure("bad URL \(base)\(target)") }
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if signed {
            var random = SystemRandomNumberGenerator()
            let signature = SignedRead.signForNode(
                target: target, time: now(), member: signer.member, key: signer.key, chainID: chainID, node: node,
                nonceFrom: &random)
            request.setValue(signature.headerValue, forHTTPHeaderField: "Authorization")
        }
        return request
    }

    /// Sends a request; anything but 200 is a failure naming the node's answer.
    func send(_ request: URLRequest) async throws -> Data {
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let path = request.url?.path ?? "?"
            throw BenchCreditFailure(
                "GET \(path): HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }

    /// One GET and how long its round trip took (signing excluded).
    func get(_ target: String, signed: Bool) async throws -> (Data, Duration) {
        let request = try request(target, signed: signed)
        let clock = ContinuousClock()
        let start = clock.now
        let data = try await send(request)
        return (data, clock.now - start)
    }
}

/// What a lender does: the report, then the offers, in sequence; and a proof bundle of one record the report cites.
struct BenchCreditProbe {
    let http: BenchCreditHTTP
    let firm: MemberID

    func measure(requests: Int, _ progress: BenchCreditProgress) async throws -> BenchCreditFigures {
        let reportPath = "/v1/credit/\(firm.hex)/report"
        let offersPath = "/v1/credit/\(firm.hex)/offers"
        let (first, _) = try await http.get(reportPath, signed: true)
        let report = try JSONSerialization.jsonObject(with: first) as? [String: Any]
        let features = report?["features"] as? [[String: Any]] ?? []
        let links = features.flatMap { $0["evidence"] as? [[String: Any]] ?? [] }
        guard let proofPath = links.lazy.compactMap({ $0["proof"] as? String }).first else {
            throw BenchCreditFailure("the report cites no record")
        }
        let (offersData, _) = try await http.get(offersPath, signed: true)
        let offers = (try JSONSerialization.jsonObject(with: offersData) as? [String: Any])?["offers"] as? [Any]
        let warmUp = min(20, requests)
        progress.line("  timing \(requests) report + offers pairs and proof fetches (after \(warmUp) warm-up)…")
        var figures = BenchCreditFigures(
            reportBytes: first.count, features: features.count, evidenceLinks: links.count,
            offers: offers?.count ?? 0, grade: report?["grade"] as? String ?? "?")
        for index in 0..<(warmUp + requests) {
            let (_, reportTime) = try await http.get(reportPath, signed: true)
            let (_, offersTime) = try await http.get(offersPath, signed: true)
            let (_, proofTime) = try await http.get(proofPath, signed: true)
            guard index >= warmUp else { continue }
            figures.report.append(reportTime)
            figures.offerTimes.append(offersTime)
            figures.pair.append(reportTime + offersTime)
            figures.proof.append(proofTime)
        }
        return figures
    }
}

/// One size's samples and what the answers held.
struct BenchCreditFigures: Sendable {
    var reportBytes: Int
    var features: Int
    var evidenceLinks: Int
    var offers: Int
    var grade: String
    var pair = [Duration]()
    var report = [Duration]()
    var offerTimes = [Duration]()
    var proof = [Duration]()

    init(reportBytes: Int, features: Int, evidenceLinks: Int, offers: Int, grade: String) {
        self.reportBytes = reportBytes
        self.features = features
        self.evidenceLinks = evidenceLinks
        self.offers = offers
        self.grade = grade
    }
}

/// One size's line of the table (milliseconds).
struct BenchCreditRow: Codable, Sendable {
    struct Percentiles: Codable, Sendable {
        let p50: Double
        let p99: Double
        let max: Double

        init(_ samples: [Duration]) {
            let sorted = samples.sorted()
            precondition(!sorted.isEmpty, "at least one timed request")
            func at(_ fraction: Int) -> Double {
                BenchCreditFormat.millis(Percentile.of(sorted, fraction))
            }
            p50 = at(50)
            p99 = at(99)
            max = at(100)
        }
    }

    let label: String
    let transactions: Int?
    let blocks: Int?
    let buildSeconds: Double?
    let reportBytes: Int
    let features: Int
    let evidenceLinks: Int
    let offers: Int
    let grade: String
    let pair: Percentiles
    let report: Percentiles
    let offersAlone: Percentiles
    let proof: Percentiles

    init(label: String, transactions: Int?, blocks: Int?, buildSeconds: Double?, figures: BenchCreditFigures) {
        self.label = label
        self.transactions = transactions
        self.blocks = blocks
        self.buildSeconds = buildSeconds
        reportBytes = figures.reportBytes
        features = figures.features
        evidenceLinks = figures.evidenceLinks
        offers = figures.offers
        grade = figures.grade
        pair = Percentiles(figures.pair)
        report = Percentiles(figures.report)
        offersAlone = Percentiles(figures.offerTimes)
        proof = Percentiles(figures.proof)
    }
}

/// Every size, the machine, and the growth of the pair's median from the smallest history to the largest.
struct BenchCreditSummary: Codable, Sendable {
    let cores: Int
    let system: String
    let requests: Int
    let rows: [BenchCreditRow]
    /// p50 of the pair at the largest history ÷ at the smallest; nil with one size.
    let growth: Double?
    /// The largest history ÷ the smallest.
    let historyRatio: Double?

    init(rows: [BenchCreditRow], requests: Int) {
        cores = ProcessInfo.processInfo.activeProcessorCount
        system = ProcessInfo.processInfo.operatingSystemVersionString
        self.requests = requests
        self.rows = rows
        let sized = rows.compactMap { row in row.transactions.map { ($0, row.pair.p50) } }
        if sized.count >= 2, let smallest = sized.min(by: { $0.0 < $1.0 }),
            let largest = sized.max(by: { $0.0 < $1.0 }), smallest.1 > 0, smallest.0 > 0
        {
            growth = BenchCreditFormat.round2(largest.1 / smallest.1)
            historyRatio = BenchCreditFormat.round2(Double(largest.0) / Double(smallest.0))
        } else {
            growth = nil
            historyRatio = nil
        }
    }

    func printTable() {
        print("machine: \(cores) cores, \(system)")
        print(
            "credit read over HTTP (127.0.0.1, signed by the lender): \(requests) sequential report + offers pairs "
                + "per size; times in ms")
        let header = [
            ("history tx", 12), ("build s", 9), ("pair p50", 10), ("pair p99", 10), ("pair max", 10),
            ("report p50", 12), ("report p99", 12), ("offers p50", 12), ("proof p50", 11), ("proof p99", 11),
            ("links", 7), ("offers", 8), ("report KB", 10),
        ]
        print(header.map { BenchCreditFormat.pad($0.0, $0.1) }.joined())
        for row in rows {
            let cells: [String] = [
                row.label, row.buildSeconds.map { "\($0)" } ?? "-", "\(row.pair.p50)", "\(row.pair.p99)",
                "\(row.pair.max)", "\(row.report.p50)", "\(row.report.p99)", "\(row.offersAlone.p50)",
                "\(row.proof.p50)", "\(row.proof.p99)", "\(row.evidenceLinks)", "\(row.offers)",
                "\(BenchCreditFormat.round2(Double(row.reportBytes) / 1024))",
            ]
            print(zip(cells, header).map { BenchCreditFormat.pad($0.0, $0.1.1) }.joined())
        }
        if let growth, let historyRatio {
            print("growth: pair p50 ×\(growth) for a history ×\(historyRatio) (linear would be ×\(historyRatio))")
        }
    }
}

/// Progress lines while histories build and requests run: standard output for the table, standard error for JSON.
struct BenchCreditProgress: Sendable {
    let toStandardError: Bool

    func line(_ text: String) {
        if toStandardError {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        } else {
            print(text)
        }
    }
}

enum BenchCreditFormat {
    static func seconds(_ duration: Duration) -> Double {
        round2(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    static func millis(_ duration: Duration) -> Double {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return (value * 1000).rounded() / 1000
    }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// Why a credit bench could not run: a refused generated transaction, an unexpected answer, a missing file.
struct BenchCreditFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
