import FacetClient
import FacetCore
import FacetStore
import Foundation
import Testing

@testable import facet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `facet query access-log`: the table people read, the options, and the command run by the built binary against a
/// node whose store holds receipts.
@Suite(.serialized) struct AccessLogCLITests {
    let lender = String(repeating: "ab", count: 32)
    let auditor = String(repeating: "cd", count: 32)

    func log(next: String) throws -> NodeAPI.AccessLog {
        let json = """
            {"firm":"\(lender)","next":\(next),"receipts":[
            {"reader":"\(auditor)","readerName":null,"what":"transaction","basis":"auditor","consentGrantedAt":null,
             "at":1767225660000,"height":12,"count":3},
            {"reader":"\(lender)","readerName":"Pearl River Bank","what":"credit.report","basis":"consent",
             "consentGrantedAt":1767225600000,"at":1767225600500,"height":9,"count":1}]}
            """
        return try JSONDecoder().decode(NodeAPI.AccessLog.self, from: Data(json.utf8))
    }

    @Test func theTableSaysWhenWhoWhatUnderWhichRightAndWhere() throws {
        let lines = AccessLogTable.lines(try log(next: "1767225600500"))
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("when") && lines[0].hasSuffix("reads"))
        #expect(lines[0].split(separator: " ").map(String.init) == AccessLogTable.header)
        #expect(
            lines[1].split(separator: " ").map(String.init)
                == ["2026-01-01T00:01:00Z", auditor, "transaction", "auditor", "12", "3"],
            "no name known: the reader's id")
        #expect(lines[2].contains("Pearl River Bank") && lines[2].contains("credit.report"))
        #expect(lines[2].contains("consent granted 2026-01-01T00:00:00Z"))
        #expect(lines[2].hasPrefix("2026-01-01T00:00:00.500Z"))
        // Columns line up: "what" starts at the same offset on every row.
        let what = try #require(lines[0].range(of: "what")).lowerBound.utf16Offset(in: lines[0])
        #expect(
            lines[1].dropFirst(what).hasPrefix("transaction") && lines[2].dropFirst(what).hasPrefix("credit.report"))
        #expect(lines[3] == "older receipts: --before 2026-01-01T00:00:00.500Z")
        #expect(AccessLogTable.lines(try log(next: "null")).count == 3, "no next page, no hint")
    }

    @Test func optionsParse() {
        let status = CLIUsageTests().exitStatus
        #expect(status(["query", "access-log", "--key", "k"]) == 0)
        #expect(status(["query", "access-log", "--key", "k", "--firm", lender, "--json", "--limit", "500"]) == 0)
        #expect(status(["query", "access-log", "--key", "k", "--before", "2026-01-01T00:00:00Z"]) == 0)
        #expect(status(["query", "access-log"]) == 64, "the key is required")
        #expect(status(["query", "access-log", "--key", "k", "--firm", "nothex"]) == 64)
        #expect(status(["query", "access-log", "--key", "k", "--limit", "0"]) == 64)
        #expect(status(["query", "access-log", "--key", "k", "--limit", "501"]) == 64)
        #expect(status(["query", "access-log", "--key", "k", "--before", "yesterday"]) == 64)
    }

    /// Receipts written into a node's store before it starts, read by the firm through the binary: the table and
    /// `--json`; another member asking for the firm's log is refused like for an unknown member.
    @Test(
        .enabled(if: FacetProcess.nodeCommandAvailable, "`facet node` is not in this build"),
        .timeLimit(.minutes(5)))
    func theFirmReadsItsLogThroughTheBinary() async throws {
        let folder = try TemporaryFolder()
        var ids = [String: String]()
        for name in ["validator", "firm", "bank"] {
            let result = try await FacetProcess.run(["keys", "new", "--out", folder.path("\(name).key")])
            try #require(result.status == 0, "keys new: \(result.summary)")
            ids[name] = try EndToEndTests.memberID(folder.path("\(name).key"))
        }
        let genesis = folder.path("genesis.json")
        let created = try await FacetProcess.run([
            "genesis", "new", "--chain-id", "facet-access-log", "--out", genesis,
            "--member", "Shenzhen Exchange:validator,admin:\(folder.path("validator.key"))",
            "--member", "Panyu Diamonds:firm:\(folder.path("firm.key"))",
            "--member", "Pearl River Bank:lender:\(folder.path("bank.key"))",
        ])
        try #require(created.status == 0, "genesis new: \(created.summary)")
        let firm = try #require(ids["firm"].flatMap { MemberID(hex: $0) })
        let bank = try #require(ids["bank"].flatMap { MemberID(hex: $0) })
        let storePath = folder.path("ledger.sqlite")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let granted = Timestamp(uncheckedMillis: 1_767_225_600_000)
        let store = try await SQLiteLedgerStore.open(path: storePath)
        try await store.migrate()
        try await store.recordReceipts([
            AccessReceipt(
                firm: firm, reader: bank, what: "credit.report", basis: .consent(grantedAt: granted),
                at: Timestamp(uncheckedMillis: now - 3_600_000), height: 0)
        ])
        try await store.close()

        let port = try FacetProcess.freePort()
        let data = folder.path("node")
        let initialized = try await FacetProcess.run([
            "node", "init", "--data", data, "--genesis", genesis, "--key", folder.path("validator.key"), "--listen",
            "127.0.0.1:\(port)", "--store", "sqlite:\(storePath)",
        ])
        try #require(initialized.status == 0, "node init: \(initialized.summary)")
        let node = try FacetProcess(["node", "start", "--config", "\(data)/node.json"])
        let url = "http://127.0.0.1:\(port)"
        try await EndToEndTests.waitUntilReady(node, url: url)

        let table = try await FacetProcess.run([
            "query", "access-log", "--key", folder.path("firm.key"), "--node", url,
        ])
        #expect(table.status == 0, "\(table.summary)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(table.summary)")
        #expect(lines.first?.hasPrefix("when") == true)
        #expect(lines.last?.contains("Pearl River Bank") == true && lines.last?.contains("credit.report") == true)
        #expect(lines.last?.contains("consent granted 2026-01-01T00:00:00Z") == true)

        let json = try await EndToEndTests.json(
            NodeAPI.AccessLog.self,
            ["query", "access-log", "--key", folder.path("firm.key"), "--firm", firm.hex, "--node", url, "--json"])
        #expect(json.firm == firm.hex && json.next == nil)
        #expect(json.receipts.map(\.reader) == [bank.hex] && json.receipts.first?.consentGrantedAt == granted.millis)

        let refused = try await FacetProcess.run([
            "query", "access-log", "--key", folder.path("bank.key"), "--firm", firm.hex, "--node", url,
        ])
        #expect(refused.status == 1 && refused.stderr.contains("api.not_found"), "\(refused.summary)")

        node.signal(SIGTERM)
        let stopped = try await node.wait(timeout: .seconds(30))
        #expect(stopped.status == 0, "node start after SIGTERM: \(stopped.summary)")
    }
}
