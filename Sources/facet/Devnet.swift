import ArgumentParser
import FacetClient
import FacetCore
import FacetNode
import FacetStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `facet devnet`: a whole local consortium in one command. Writes the layout (`DevnetLayout`) unless the folder
/// already holds one, then runs each validator as its own `facet node start` process: real TCP between them on
/// loopback, each with its own store. Prints where everything is and the heights as they grow; Ctrl-C stops every
/// validator gracefully.
struct Devnet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a whole local consortium: validators on loopback with real TCP between them.")

    @Option(help: "Number of validators (1 to 16).") var validators = 4
    @Option(help: "The devnet's folder; an existing one is reused, so its chain continues.") var dir = "devnet"
    @Option(help: "First HTTP API port; validator i listens on PORT+i.") var apiPort = 7700
    @Option(help: "First peer port; validator i listens for validators on PORT+i.") var peerPort = 7800
    @Option(help: "Milliseconds between blocks.") var blockMillis = 1_000
    @Option(
        help: ArgumentHelp(
            "A PostgreSQL server URL (postgres://USER@HOST:PORT/DATABASE); validator i uses DATABASE_v<i>.",
            discussion: "Missing databases are created. Without it every validator has its own SQLite file."))
    var postgres: String?
    @Option(help: "Seconds between status lines (0: none).") var statusEvery = 5

    func validate() throws {
        guard (1...16).contains(validators) else { throw ValidationError("--validators is 1 to 16") }
        guard (10...3_600_000).contains(blockMillis) else { throw ValidationError("--block-millis is 10 to 3600000") }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: dir).standardizedFileURL
        let layout = DevnetLayout(folder: folder, validators: validators, apiPort: apiPort, peerPort: peerPort)
        if layout.exists {
            print("reusing the devnet in \(folder.path)")
        } else {
            let millis = Int64(Date().timeIntervalSince1970 * 1000)
            try layout.create(
                genesisTime: Timestamp(uncheckedMillis: millis),
                store: { index in postgres.map { Self.database($0, index: index) } },
                configure: { config in
                    config.block.intervalMillis = blockMillis
                    config.logLevel = "info"
                })
            print("created a devnet of \(validators) validators in \(folder.path)")
        }
        if let postgres { try await Self.createDatabases(postgres, validators: validators) }
        let children = try (0..<validators).map { index in try Self.launch(layout: layout, index: index) }
        for index in 0..<validators {
            print(
                "validator \(index): API http://\(layout.apiAddress(index)) · peers \(layout.peerAddress(index)) · log "
                    + layout.validatorFolder(index).appendingPathComponent("node.log").path)
        }
        print("members' keys: \(folder.appendingPathComponent("members").path) · Ctrl-C stops the devnet")
        let stop = StopSignal()
        await watch(layout: layout, children: children, stop: stop)
        print("stopping \(children.count) validators…")
        for child in children where child.isRunning { kill(child.processIdentifier, SIGTERM) }
        for child in children { child.waitUntilExit() }
        print("devnet stopped")
    }

    /// Prints the validators' heights every `statusEvery` seconds until Ctrl-C or SIGTERM, and says so when a
    /// validator process exits on its own.
    private func watch(layout: DevnetLayout, children: [Process], stop: StopSignal) async {
        var reported = Set<Int>()
        var elapsed = 0
        while !stop.received {
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
                    address: "http://\(layout.apiAddress(index))", requestTimeout: .seconds(2)),
                    let status = try? await client.status()
                {
                    heights.append("v\(index)=\(status.height)")
                } else {
                    heights.append("v\(index)=down")
                }
            }
            print("heights: " + heights.joined(separator: " "))
        }
    }

    static func launch(layout: DevnetLayout, index: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["node", "start", "--config", layout.configPath(index).path]
        let log = layout.validatorFolder(index).appendingPathComponent("node.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        return process
    }

    /// Creates the validators' databases the server lacks.
    static func createDatabases(_ url: String, validators: Int) async throws {
        let server: PostgresTarget
        do {
            server = try PostgresTarget(url: url)
        } catch {
            throw ValidationError("--postgres: \(error.reason)")
        }
        let names = (0..<validators).map { "\(server.database)_v\($0)" }
        let created = try await PostgresLedgerStore.createMissingDatabases(names, server: server)
        print(
            created.isEmpty
                ? "PostgreSQL: using databases \(names.joined(separator: ", "))"
                : "PostgreSQL: created databases \(created.joined(separator: ", "))")
    }

    /// `postgres://…/NAME` → `postgres://…/NAME_v<i>` (query string kept).
    static func database(_ url: String, index: Int) -> String {
        let parts = url.split(separator: "?", maxSplits: 1).map(String.init)
        let base = parts[0].hasSuffix("/") ? parts[0] + "facet" : parts[0]
        return base + "_v\(index)" + (parts.count > 1 ? "?" + parts[1] : "")
    }
}

/// Ctrl-C or SIGTERM, caught instead of killing the devnet, so it can stop its validators first.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.set() }
            source.resume()
            sources.append(source)
        }
    }

    private func set() {
        lock.lock()
        flag = true
        lock.unlock()
    }

    var received: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }
}
