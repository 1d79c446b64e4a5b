import FacetClient
import FacetCore
import FacetCredit
import FacetFiles
import FacetLedger
import FacetNode
import FacetSimulation
import FacetStore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The committed library (the repository's `contracts/`), with bank-b's policy given to the fixture's lender the
/// way `APICreditTests` does: its minimums lowered so a small firm still gets offers, and its guarantee naming the
/// fixture's guarantor.
package enum BenchCreditLibrary {
    package static func load(contracts: String?) throws -> CreditLibrary {
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
    package static func find() throws -> URL {
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
package struct BenchCreditHistory {
    package static let months: Int64 = 24
    package static let maxBlock = 1_000
    package static let pieces = 8
    package static let modelHash: Hash256 = {
        guard let hash = Hash256(hex: "805d2e214cea8d380e98d082897d481f38a6366d8857112e132d2ac1cc5fbd62") else {
            preconditionFailure("a 64-digit hex hash")
        }
        return hash
    }()

    /// An invoice awaiting its buyer's confirmation or payment.
    package struct Open {
        package let id: InvoiceID
        package let buyer: String
        package let amount: Money
    }

    package struct Built {
        package let transactions: Int
        package let blocks: Int
        package let lastTime: Timestamp
        package let duration: Duration
    }

    package let target: Int
    package let unconfirmedPercent: Int
    package var fixture = LedgerFixture(validators: 1)
    private var rng = SeededRandom(seed: 7)
    private var lastTime: Timestamp
    private var committed = 0
    private var blocks = 0

    package init(target: Int, unconfirmedPercent: Int) {
        self.target = target
        self.unconfirmedPercent = unconfirmedPercent
        lastTime = fixture.genesis.time
    }

    /// The invoices: what remains of the target once the fixed transactions are counted, at ~2.6 transactions per
    /// invoice (issue; for a named buyer, confirm and pay), at least one a month.
    package var invoiceCount: Int {
        let fixed = Self.pieces + Self.pieces / 2 + 2 + Int(Self.months)
        return max(Int(Self.months), (target - fixed) * 100 / 257)
    }

    package mutating func build(on node: LedgerNode, store: any LedgerStore, progress: BenchCreditProgress)
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

    package static func cny(_ fen: Int64) -> Money {
        guard let money = try? Money(minorUnits: fen, currency: .cny) else { preconditionFailure("a valid amount") }
        return money
    }
}

/// Plain HTTP to one node: signed GETs as the API expects them (`SignedRead` over the path and query, for this
/// node, with a fresh nonce each).
package struct BenchCreditHTTP: Sendable {
    package let base: String
    package let chainID: Label
    package let node: MemberID
    package let signer: MemberKey
    package let now: @Sendable () -> Int64
    private let session: URLSession

    package init(base: String, chainID: Label, node: MemberID, signer: MemberKey, now: @escaping @Sendable () -> Int64)
    {
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
    package func request(_ target: String, signed: Bool) throws -> URLRequest {
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
    package func send(_ request: URLRequest) async throws -> Data {
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
    package func get(_ target: String, signed: Bool) async throws -> (Data, Duration) {
        let request = try request(target, signed: signed)
        let clock = ContinuousClock()
        let start = clock.now
        let data = try await send(request)
        return (data, clock.now - start)
    }
}

/// What a lender does: the report, then the offers, in sequence; and a proof bundle of one record the report cites.
package struct BenchCreditProbe {
    package init(http: BenchCreditHTTP, firm: MemberID) {
        self.http = http
        self.firm = firm
    }

    package let http: BenchCreditHTTP
    package let firm: MemberID

    package func measure(requests: Int, _ progress: BenchCreditProgress) async throws -> BenchCreditFigures {
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
package struct BenchCreditFigures: Sendable {
    package var reportBytes: Int
    package var features: Int
    package var evidenceLinks: Int
    package var offers: Int
    package var grade: String
    package var pair = [Duration]()
    package var report = [Duration]()
    package var offerTimes = [Duration]()
    package var proof = [Duration]()

    package init(reportBytes: Int, features: Int, evidenceLinks: Int, offers: Int, grade: String) {
        self.reportBytes = reportBytes
        self.features = features
        self.evidenceLinks = evidenceLinks
        self.offers = offers
        self.grade = grade
    }
}

/// One size's line of the table (milliseconds).
package struct BenchCreditRow: Codable, Sendable {
    package struct Percentiles: Codable, Sendable {
        package let p50: Double
        package let p99: Double
        package let max: Double

        package init(_ samples: [Duration]) {
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

    package let label: String
    package let transactions: Int?
    package let blocks: Int?
    package let buildSeconds: Double?
    package let reportBytes: Int
    package let features: Int
    package let evidenceLinks: Int
    package let offers: Int
    package let grade: String
    package let pair: Percentiles
    package let report: Percentiles
    package let offersAlone: Percentiles
    package let proof: Percentiles

    package init(label: String, transactions: Int?, blocks: Int?, buildSeconds: Double?, figures: BenchCreditFigures) {
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
package struct BenchCreditSummary: Codable, Sendable {
    package let cores: Int
    package let system: String
    package let requests: Int
    package let rows: [BenchCreditRow]
    /// p50 of the pair at the largest history ÷ at the smallest; nil with one size.
    package let growth: Double?
    /// The largest history ÷ the smallest.
    package let historyRatio: Double?

    package init(rows: [BenchCreditRow], requests: Int) {
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

    package func printTable() {
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
package struct BenchCreditProgress: Sendable {
    package init(toStandardError: Bool) {
        self.toStandardError = toStandardError
    }

    package let toStandardError: Bool

    package func line(_ text: String) {
        if toStandardError {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        } else {
            print(text)
        }
    }
}

package enum BenchCreditFormat {
    package static func seconds(_ duration: Duration) -> Double {
        round2(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    package static func millis(_ duration: Duration) -> Double {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return (value * 1000).rounded() / 1000
    }

    package static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    package static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// Why a credit bench could not run: a refused generated transaction, an unexpected answer, a missing file.
package struct BenchCreditFailure: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}
