import ArgumentParser
import FacetLedger
import FacetNode
import FacetStore
import Foundation
import Synchronization

/// `facet node backup`: an online, consistent copy of a validator's store with its manifest.
struct NodeBackup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up a node's store while it runs (SQLite backup API or pg_dump).",
        discussion: """
            Writes FOLDER/ledger.sqlite or FOLDER/ledger.pgdump and FOLDER/manifest.json (height, state root, log \
            root, genesis hash, SHA-256). The node keeps committing; the copy holds the blocks committed when it began.
            """)

    @OptionGroup var node: NodeStoreOptions
    @Option(help: "The backup folder (created; must be missing or empty).") var out: String

    func run() async throws {
        let (manifest, elapsed) = try await NodeStoreFiles.run(node, folder: out) {
            backup, location, genesis, folder in
            BackupProgressPrinter.say("backing up \(location) to \(folder.path)")
            return try await backup.backup(location, genesis: genesis, to: folder)
        }
        BackupProgressPrinter.say(
            "backed up height \(manifest.height) (state root \(manifest.stateRoot), log root \(manifest.logRoot)): "
                + "\(manifest.file), \(manifest.bytes) bytes, in \(elapsed)")
    }
}

/// `facet node restore`: a backup onto this node's store, checked before and after.
struct NodeRestore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup to a stopped node's store, and verify it.",
        discussion: """
            Checks the manifest (format, SHA-256, genesis), restores, rebuilds the state to check the state and log \
            roots, and compares the head with the manifest. Refuses a store that holds blocks unless --force.
            """)

    @OptionGroup var node: NodeStoreOptions
    @Option(help: "The backup folder (facet node backup --out).") var from: String
    @Flag(help: "Replace a store that already holds blocks.") var force = false

    func run() async throws {
        let (manifest, elapsed) = try await NodeStoreFiles.run(node, folder: from) {
            backup, location, genesis, folder in
            BackupProgressPrinter.say("restoring \(folder.path) to \(location)")
            return try await backup.restore(from: folder, to: location, genesis: genesis, replace: force)
        }
        BackupProgressPrinter.say(
            "restored and verified height \(manifest.height) (state root \(manifest.stateRoot), log root "
                + "\(manifest.logRoot)) in \(elapsed); start the node with: facet node start --config \(node.config)")
    }
}

/// The options backup and restore share.
struct NodeStoreOptions: ParsableArguments {
    @Option(help: "The node's configuration file (its store and genesis; on a new host, from facet node init).")
    var config: String
    @Option(help: "Folder of pg_dump and pg_restore (default: FACET_PG_BIN, PATH, /usr/lib/postgresql/*/bin).")
    var pgBin: String?
}

/// What backup and restore share: the store and genesis a configuration names, and how a store error ends them.
enum NodeStoreFiles {
    /// Opens what `config` names, runs `operation` with progress shown, and returns its manifest with the time taken;
    /// a store error goes to standard error with its code, and the command exits 1.
    static func run(
        _ options: NodeStoreOptions, folder: String,
        _ operation: (StoreBackup, StoreLocation, Genesis, URL) async throws -> BackupManifest
    ) async throws -> (BackupManifest, elapsed: String) {
        let settings = try CLIFiles.usage { () throws(NodeConfigError) in try NodeConfig.read(path: options.config) }
        let location = try CLIFiles.usage { () throws(StoreError) in try StoreLocation(parsing: settings.store) }
        let genesis = try CLIFiles.genesis(settings.genesisFile)
        let backup = StoreBackup(
            tools: PostgresTools(binDirectory: options.pgBin), progress: BackupProgressPrinter().show)
        let started = ContinuousClock.now
        do {
            let url = URL(fileURLWithPath: folder).standardizedFileURL
            let manifest = try await operation(backup, location, genesis, url)
            return (manifest, seconds(since: started))
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let millis = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return "\(millis / 1_000).\(String(format: "%03d", Int(millis % 1_000))) s"
    }
}

/// Progress on standard output: pages at every tenth, each line the PostgreSQL tools print, each phase.
final class BackupProgressPrinter: Sendable {
    private let lastTenth = Mutex(-1)

    func show(_ progress: BackupProgress) {
        switch progress {
        case .pages(let copied, let total):
            let tenth = total == 0 ? 10 : copied * 10 / total
            guard
                lastTenth.withLock({ last in
                    defer { last = max(last, tenth) }; return tenth > last
                })
            else { return }
            Self.say("  \(tenth * 10)% (\(copied) of \(total) pages)")
        case .tool(let line): Self.say("  \(line)")
        case .phase(let text): Self.say("  \(text)")
        }
    }

    /// Straight to the descriptor, unbuffered, so lines keep their order and show as they happen in a pipe too.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
