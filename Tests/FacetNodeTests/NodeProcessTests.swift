import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real executable: `facet node init` writes a configuration, `facet node start` serves it, commits blocks,
/// and on SIGTERM stops gracefully, closes its store and exits 0.
@Suite struct NodeProcessTests {
    static func facetBinary() throws -> URL { try BuiltExecutable.url("facet") }

    static func run(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func nodeStartServesAndStopsCleanlyOnSIGTERM() async throws {
        let binary = try Self.facetBinary()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-node-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var fixture = LedgerFixture(validators: 1)
        let genesis = folder.appendingPathComponent("genesis.json")
        try fixture.genesis.jsonData().write(to: genesis)
        let keyFile = try Self.writeKey(fixture.actor("v1").key, to: folder.appendingPathComponent("v1.key"))
        let firmKey = try Self.writeKey(fixture.actor("firmA").key, to: folder.appendingPathComponent("firmA.key"))
        let data = folder.appendingPathComponent("data")

        let initialized = try Self.run(
            binary,
            [
                "node", "init", "--data", data.path, "--genesis", genesis.path, "--key", keyFile.path, "--listen",
                "127.0.0.1:0",
            ])
        #expect(initialized.status == 0, "\(initialized.output)")
        let config = data.appendingPathComponent("node.json")
        #expect(try NodeConfig.read(path: config.path).store == "sqlite:\(data.standardizedFileURL.path)/ledger.sqlite")
        let notValidator = try Self.run(
            binary, ["node", "init", "--data", data.path, "--genesis", genesis.path, "--key", firmKey.path, "--force"])
        #expect(notValidator.status != 0 && notValidator.output.contains("not the key of a validator"))

        let log = folder.appendingPathComponent("node.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["node", "start", "--config", config.path]
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let port = try await Self.listeningPort(in: log, process: process)
        let client = HTTPTestClient(port: port)
        #expect(try await client.get("/healthz").status == 200)
        let piece = fixture.sign(
            "firmA",
            .registerPiece(.init(card: IdentityCard(category: .gold, weight: 3, fineness: 999), certificate: nil)))
        let submitted = try await client.post(
            "/v1/transactions", json: #"{"transaction": "\#(Hex.encode(piece.canonicalBytes))"}"#)
        #expect(submitted.status == 202)
        let committed = try await NodeServiceTests.awaitCommitted(
            piece.id, client, as: fixture.actor("firmA"), node: fixture.id("v1"), chainID: fixture.genesis.params.chainID)
        #expect(committed.object["status"] as? String == "committed")

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "the node must stop within 30 s of SIGTERM")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(output.contains("store closed") && output.contains("node stopped"), "\(output)")
        #expect(output.contains("ledger.height=1"), "progress is logged with dotted keys: \(output)")

        let store = try await SQLiteLedgerStore.open(path: data.appendingPathComponent("ledger.sqlite").path)
        #expect(try await store.transaction(piece.id)?.result.accepted == true)
        try await store.close()
    }

    /// A key file as `facet keys new` writes it.
    static func writeKey(_ key: SigningKey, to url: URL) throws -> URL {
        let json = """
            {"seed": "\(Hex.encode(key.seed))", "publicKey": "\(key.publicKey.hex)", \
            "memberID": "\(MemberID(initialKey: key.publicKey).hex)"}
            """
        try Data(json.utf8).write(to: url)
        return url
    }

    /// The port from the node's `listening` log line (`http.address=127.0.0.1:PORT`).
    /// The wait is generous and always reads the log once more after it: a loaded CI can keep both the node and this
    /// task from running for minutes (seen: 120 s under the full suite), and the answer may be there by then.
    static func listeningPort(in log: URL, process: Process) async throws -> Int {
        func port(in text: String) -> Int? {
            guard let range = text.range(of: #"http\.address=127\.0\.0\.1:\d+"#, options: .regularExpression) else {
                return nil
            }
            return Int(text[range].split(separator: ":").last ?? "")
        }
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline && process.isRunning {
            if let port = port(in: (try? String(contentsOf: log, encoding: .utf8)) ?? "") { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        if process.isRunning, let port = port(in: text) { return port }
        let state = process.isRunning ? "still running" : "exited with \(process.terminationStatus)"
        throw HTTPTestClient.ClientError(description: "the node (\(state)) never logged its address: \(text)")
    }
}
