import FacetClient
import FacetCore
import FacetDemo
import FacetDevnet
import FacetFiles
import FacetLedger
import Foundation
import Testing

@testable import facet

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// `facet devnet` as a user runs it, with a small history: it builds the demo consortium from `seeds/`, commits the
/// generated history through four validator processes' worth of consensus, and serves it. Every validator ends
/// with the same state root, the double pledge is on the ledger refused with its code, the ground truth is beside
/// the data, and a second run resumes without generating anything.
@Suite(.serialized) struct DevnetTests {
    static let firms = 30
    static let months = 5

    @Test(.timeLimit(.minutes(6)))
    func aSmallDevnetCommitsItsHistoryAndResumesWithoutRegenerating() async throws {
        let folder = try TemporaryFolder()
        let ports = try ConsensusProcessTests.freePortRuns(count: 4, runs: 2)
        let dir = folder.url.appendingPathComponent("devnet")
        let arguments = [
            "devnet", "--dir", dir.path, "--firms", "\(Self.firms)", "--months", "\(Self.months)",
            "--api-port", "\(ports[0])", "--peer-port", "\(ports[1])", "--activity-millis", "0", "--status-every", "0",
            "--seeds", DevnetTests.seeds.path,
        ]
        let clients = try (0..<4).map { try NodeClient(address: "http://127.0.0.1:\(ports[0] + $0)") }

        let first = try FacetProcess(arguments)
        try await Self.waitUntilReady(first, dir: dir)
        #expect(first.stdout.contains("generating \(Self.months) months of history for \(Self.firms) firms"))
        #expect(first.stdout.contains("history [########################] month \(Self.months)/\(Self.months)"))
        let record = try DevnetRecord.read(dir.appendingPathComponent("devnet.json"))
        let history = try #require(record.history)
        #expect(history.months == Self.months)
        #expect(history.transactions > 1_000)

        // One state at one height on every validator (no activity runs, so the history's head is where they stay
        // until an empty block, at most every 30 s, moves them all).
        let statuses = try await Self.agreedStatuses(clients)
        #expect(statuses[0].height >= history.height)
        if statuses[0].height == history.height { #expect(statuses[0].stateRoot == history.stateRoot) }
        let auditor = try KeyFile.member(dir.appendingPathComponent("members/auditor.key").path)
        let members = try await clients[0].members(signer: auditor)
        #expect(members.count == 14 + Self.firms)
        try await Self.checkReplay(ports[0], clients, auditor)

        // The refused double pledge, committed with its code on every validator.
        let refusal = try #require(history.doublePledge, "the history holds the double pledge")
        #expect(refusal.code == "pledge.already_pledged")
        let pledgeID = TransactionID(try #require(Hash256(hex: refusal.transaction)))
        for client in clients {
            let status = try await client.transactionStatus(pledgeID, signer: auditor)
            #expect(status.status == .rejected, "\(status)")
            #expect(status.code == "pledge.already_pledged")
            #expect(status.height == refusal.height)
        }

        // The model in contracts/models is registered on the ledger at the end of the history.
        let models = try #require(history.models)
        #expect(models["facet-demo-sme-v1"] != nil)
        #expect(first.stdout.contains("model         facet-demo-sme-v1"))
        let last = try await clients[0].block(height: history.height, signer: auditor)
        #expect(last.transactions.contains { $0.kind == "register_model" && $0.status == .committed })

        // Every validator replayed the history into its credit index: one report, bit for bit, at one height.
        #expect(first.stdout.contains("credit        facet credit report"), "\(first.stdout.suffix(2_000))")
        let lender = try KeyFile.member(dir.appendingPathComponent("members/bank-a.key").path)
        let applicants = try await clients[0].creditApplicants(signer: lender)
        let applicant = try #require(applicants.applicants.first, "bank-a lent in the history, with consent")
        let firm = try #require(MemberID(hex: applicant.firm))
        var reports = [NodeAPI.CreditReport]()
        for client in clients {
            var report: NodeAPI.CreditReport?
            for _ in 0..<150 where report == nil {
                report = try? await client.creditReport(of: firm, signer: lender)
                if report == nil { try await Task.sleep(for: .milliseconds(200)) }
            }
            reports.append(try #require(report, "\(client.baseURL) answers a credit report"))
        }
        if Set(reports.map(\.height)).count == 1 {
            #expect(Set(reports.map(\.featuresHash)).count == 1)
            #expect(Set(reports.map { $0.score?.bitPattern }).count == 1)
            #expect(Set(reports.map(\.grade)).count == 1)
        }
        #expect(reports[0].lenders.first?.decisions.count == 3, "bank-a's three products, each decided")

        // Nothing of anyone's business reaches an outsider, anonymous or signed (admits one more member).
        let crawl = try await PrivacyCrawl(port: ports[0], dir: dir, client: clients[0], auditor: auditor).run()
        print("privacy crawl: \(crawl.anonymous) responses read anonymously, \(crawl.firm) as an unrelated firm")

        // The ground truth is beside the validators' data, and only there.
        let truth = try GroundTruth.decode(Data(contentsOf: dir.appendingPathComponent("ground-truth.json")))
        #expect(truth.firms.count == Self.firms)
        #expect(truth.doublePledge?.transaction == refusal.transaction)

        first.signal(SIGTERM)
        let stopped = try await first.wait(timeout: .seconds(60))
        #expect(stopped.status == 0, "\(stopped.summary.suffix(3_000))")
        #expect(stopped.stdout.contains("devnet stopped"))

        // A second run resumes: nothing generated, the same chain, every validator serving it; this time with
        // live activity, which the validators commit on the real clock.
        var live = arguments
        live[live.firstIndex(of: "--activity-millis")! + 1] = "250"
        live[live.firstIndex(of: "--status-every")! + 1] = "1"
        let second = try FacetProcess(live)
        defer { second.signal(SIGKILL) }
        try await Self.waitUntilReady(second, dir: dir)
        #expect(second.stdout.contains("resuming"))
        #expect(second.stdout.contains("--firms, --months ignored"))
        #expect(!second.stdout.contains("generating"))
        #expect(!second.stdout.contains("history ["))
        let resumed = try await Self.agreedStatuses(clients)
        #expect(resumed[0].height >= statuses[0].height)
        let block = try await clients[1].block(height: refusal.height, signer: auditor)
        #expect(block.transactions.contains { $0.id == refusal.transaction && $0.code == "pledge.already_pledged" })
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.liveSubmitted(second.stdout) < 8 {
            guard ContinuousClock.now < deadline else {
                Issue.record("no live activity:\n\(second.stdout.suffix(2_000))\n\(second.stderr.suffix(2_000))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let head = try await Self.agreedStatuses(clients)[0].height
        var liveTransactions = 0
        for height in (history.height + 1)...head {
            for transaction in try await clients[2].block(height: height, signer: auditor).transactions {
                liveTransactions += 1
                #expect(transaction.status == .committed, "live activity is accepted: \(transaction)")
            }
        }
        #expect(liveTransactions >= 1)
        second.signal(SIGTERM)
        let again = try await second.wait(timeout: .seconds(60))
        #expect(again.status == 0, "\(again.summary.suffix(3_000))")
    }

    @Test func freshDeletesOnlyAFolderThatHoldsADevnet() async throws {
        let folder = try TemporaryFolder()
        let notes = folder.url.appendingPathComponent("notes.txt")
        try Data("not a devnet".utf8).write(to: notes)
        let result = try await FacetProcess.run(["devnet", "--fresh", "--dir", folder.url.path])
        #expect(result.status == 64, "\(result.summary)")
        #expect(result.stderr.contains("does not hold a devnet"))
        #expect(FileManager.default.fileExists(atPath: notes.path))
    }

    @Test func theHistoryEndsJustBeforeTheRealClock() throws {
        var settings = try DevnetSeeds.settings(in: DevnetTests.seeds)
        let now = try #require(Timestamp(rfc3339: "2026-11-21T10:00:00Z"))
        // The seed's start (2024-01-01) with 24 months would end in 2025, and 40 months would run past today:
        // either way the history moves to end two days before today, on a day boundary, where live reports read it.
        #expect(DevnetSeeds.endJustBefore(now, &settings))
        #expect(settings.start != "2024-01-01T00:00:00Z")
        #expect(!DevnetSeeds.endJustBefore(now, &settings), "already in place")
        settings.months = 40
        #expect(DevnetSeeds.endJustBefore(now, &settings))
        let start = try #require(settings.startTime)
        #expect(start.millis % Timestamp.millisPerDay == 0)
        let end = start.millis + 40 * HistoryGenerator.daysPerMonth * Timestamp.millisPerDay
        #expect(end < now.millis - Timestamp.millisPerDay)
        #expect(end >= now.millis - 3 * Timestamp.millisPerDay)
    }

    @Test func fewerOrMoreValidatorsThanTheSeedFile() throws {
        let seed = try DevnetSeeds.consortiumSeed(in: DevnetTests.seeds)
        // Neutral infrastructure validates (the alliance and the exchanges); lenders read through consent.
        #expect(seed.validatorKeys == ["alliance", "diamond-exchange", "gem-exchange", "gold-exchange"])
        let one = seed.withValidators(1)
        #expect(one.validatorKeys == ["alliance"])
        #expect(one.members.count == seed.members.count)
        #expect(one.members.first { $0.key == "bank-a" }?.roles == ["bank", "lender"])
        let six = seed.withValidators(6)
        #expect(six.validatorKeys.count == 6)
        #expect(six.members.count == seed.members.count + 2)
        var settings = try DevnetSeeds.settings(in: DevnetTests.seeds)
        settings.firms = 5
        let consortium = try DemoConsortium(seed: six, settings: settings)
        #expect(consortium.genesis.members.filter { $0.roles.contains(.validator) }.count == 6)
    }

    /// A signed read is answered once, and only by the node it names: the same header twice on validator 0, and
    /// once on validator 1, are refused.
    static func checkReplay(_ port: Int, _ clients: [NodeClient], _ reader: MemberKey) async throws {
        let status = try await clients[0].status()
        let node = try #require(MemberID(hex: status.node))
        let header = clients[0].authorization(
            pathAndQuery: "/v1/members", chainID: try Label(status.chainID), node: node, signer: reader)
        func get(_ apiPort: Int) async throws -> (Int, String) {
            var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(apiPort)/v1/members")))
            request.setValue(header, forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        let first = try await get(port)
        #expect(first.0 == 200, "\(first)")
        let again = try await get(port)
        #expect(again.0 == 401 && again.1.contains("auth.replayed"), "\(again)")
        let elsewhere = try await get(port + 1)
        #expect(elsewhere.0 == 401 && elsewhere.1.contains("auth.wrong_node"), "\(elsewhere)")
    }

    /// The live activity's submitted count in the newest status line.
    static func liveSubmitted(_ output: String) -> Int {
        guard let line = output.split(separator: "\n").last(where: { $0.contains("live: ") }),
            let part = line.split(separator: "live: ").last?.split(separator: " ").first
        else { return 0 }
        return Int(part) ?? 0
    }

    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds")

    /// Until the devnet prints its summary (the history can take a while in a debug build); on failure, with the
    /// end of each validator's log.
    static func waitUntilReady(_ devnet: FacetProcess, dir: URL) async throws {
        let deadline = ContinuousClock.now + .seconds(240)
        while !devnet.stdout.contains("is ready") {
            guard devnet.process.isRunning, ContinuousClock.now < deadline else {
                let logs = (0..<4).map { index in
                    let log = dir.appendingPathComponent("validator-\(index)/node.log")
                    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    return "validator \(index):\n\(text.suffix(1_500))"
                }
                let output = "\(devnet.stdout.suffix(3_000))\n\(devnet.stderr.suffix(3_000))"
                let message = "the devnet did not get ready:\n\(output)\n\(logs.joined(separator: "\n"))"
                Issue.record(Comment(rawValue: message))
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Every validator's status once all stand at one height (polled, since an empty block may be in flight).
    static func agreedStatuses(_ clients: [NodeClient]) async throws -> [NodeAPI.Status] {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            var statuses = [NodeAPI.Status]()
            for client in clients { statuses.append(try await client.status()) }
            if Set(statuses.map(\.height)).count == 1 {
                #expect(Set(statuses.map(\.stateRoot)).count == 1, "one height, one state root")
                return statuses
            }
            guard ContinuousClock.now < deadline else {
                Issue.record("the validators did not stand at one height: \(statuses.map(\.height))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
