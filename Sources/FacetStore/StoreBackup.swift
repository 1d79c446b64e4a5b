import Crypto
import FacetCore
import FacetLedger
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// What a long backup or restore reports as it goes, for `facet node backup` and `restore` to show.
public enum BackupProgress: Hashable, Sendable {
    /// SQLite's backup API copied `copied` of `total` pages.
    case pages(copied: Int, total: Int)
    /// A line `pg_dump` or `pg_restore` printed (`--verbose`: each table it dumps or restores).
    case tool(String)
    /// A phase began: checking a checksum, rebuilding the restored state to verify it.
    case phase(String)
}

/// Online backups of a node's store and their verified restore (`facet node backup`, `facet node restore`).
///
/// A backup is a folder: the data file (SQLite: a copy made with SQLite's backup API; PostgreSQL: a `pg_dump`
/// archive of an exported snapshot) and `manifest.json` (`BackupManifest`), written last. Both are taken while the
/// node runs and commits, and each holds exactly the blocks committed at one moment, never part of a commit.
///
/// A restore checks the manifest (format, size, SHA-256, chain) before it touches the target, refuses a target that
/// holds blocks unless told to replace it, restores, and then rebuilds the restored store's state, which checks
/// the head's state root and log root against the records (`LedgerStore.loadState`), and compares the head with the
/// manifest. A restored SQLite file replaces the target only once it has passed.
public struct StoreBackup: Sendable {
    public var tools: PostgresTools
    public var logger: Logger
    public var progress: @Sendable (BackupProgress) -> Void

    public init(
        tools: PostgresTools = PostgresTools(), logger: Logger = Logger(label: "facet.store"),
        progress: @escaping @Sendable (BackupProgress) -> Void = { _ in }
    ) {
        self.tools = tools
        self.logger = logger
        self.progress = progress
    }

    /// Backs up the store at `location` (of `genesis`'s chain) into `folder`, which must be missing or empty.
    public func backup(_ location: StoreLocation, genesis: Genesis, to folder: URL) async throws(StoreError)
        -> BackupManifest
    {
        try Self.prepareFolder(folder)
        let backend: BackupManifest.Backend
        let name: String
        let head: StoreHead?
        switch location {
        case .sqlite(let path):
            backend = .sqlite
            name = "ledger.sqlite"
            let partial = folder.appendingPathComponent(name + ".partial").path
            let progress = self.progress
            head = try await Self.onThread { () throws(StoreError) -> StoreHead? in
                let copy = try SQLiteFileCopy(source: path, destination: partial, immutableSource: false)
                try copy.copy { progress(.pages(copied: $0, total: $1)) }
                return try copy.copiedHead(genesis: genesis)
            }
            try Self.move(partial, to: folder.appendingPathComponent(name).path)
        case .postgres(let target):
            backend = .postgres
            name = "ledger.pgdump"
            let partial = folder.appendingPathComponent(name + ".partial").path
            let progress = self.progress
            head = try await PostgresLedgerStore.dump(
                target, genesis: genesis, to: partial, tools: tools, logger: logger
            ) { progress(.tool($0)) }
            try Self.move(partial, to: folder.appendingPathComponent(name).path)
        }
        progress(.phase("checksumming \(name)"))
        let file = folder.appendingPathComponent(name).path
        let (bytes, sha256) = try await Self.onThread { () throws(StoreError) in try Self.checksum(file) }
        let manifest = BackupManifest(
            backend: backend, file: name, bytes: bytes, sha256: sha256, chainID: genesis.params.chainID.value,
            genesisHash: genesis.hash, head: head, createdAt: Date(), source: location.description)
        try manifest.write(folder: folder)
        return manifest
    }

    /// Restores the backup in `folder` to `location`. Refuses, changing nothing, a backup that does not check out
    /// (`store.backup_invalid`) and, unless `replace`, a target that holds blocks (`store.not_empty`). The node must
    /// be stopped.
    public func restore(from folder: URL, to location: StoreLocation, genesis: Genesis, replace: Bool)
        async throws(StoreError) -> BackupManifest
    {
        let manifest = try BackupManifest.read(folder: folder)
        guard manifest.genesisHash == genesis.hash.hex else {
            throw StoreError(
                .backupInvalid,
                "the backup is of chain \(manifest.chainID) (genesis \(manifest.genesisHash)), not of this node's "
                    + "genesis \(genesis.hash.hex)")
        }
        let file = folder.appendingPathComponent(manifest.file).path
        progress(.phase("checking \(manifest.file) against the manifest"))
        let (bytes, sha256) = try await Self.onThread { () throws(StoreError) in try Self.checksum(file) }
        guard bytes == manifest.bytes, sha256 == manifest.sha256 else {
            throw StoreError(
                .backupInvalid,
                "\(file) is \(bytes) bytes with SHA-256 \(sha256); the manifest says \(manifest.bytes) bytes, "
                    + "\(manifest.sha256)")
        }
        switch (location, manifest.backend) {
        case (.sqlite(let path), .sqlite):
            try await restoreSQLite(file, to: path, manifest: manifest, genesis: genesis, replace: replace)
        case (.postgres(let target), .postgres):
            try await restorePostgres(file, to: target, manifest: manifest, genesis: genesis, replace: replace)
        case (_, let backend):
            throw StoreError(
                .backupInvalid, "this is a \(backend.rawValue) backup; restore it to a \(backend.rawValue) store")
        }
        return manifest
    }

    private func restoreSQLite(
        _ file: String, to path: String, manifest: BackupManifest, genesis: Genesis, replace: Bool
    ) async throws(StoreError) {
        let fileManager = FileManager.default
        if !replace {
            if fileManager.fileExists(atPath: path + "-wal") {
                throw StoreError(
                    .notEmpty, "\(path)-wal exists: the node is running or did not stop cleanly (stop it; --force)")
            }
            if try await Self.onThread({ () throws(StoreError) in try SQLiteFileCopy.holdsBlocks(path) }) {
                throw StoreError(.notEmpty, "\(path) holds blocks; pass --force to replace them")
            }
        }
        let restoring = path + ".restoring"
        for stale in [restoring, restoring + "-wal", restoring + "-shm"] { try? fileManager.removeItem(atPath: stale) }
        let progress = self.progress
        try await Self.onThread { () throws(StoreError) in
            let copy = try SQLiteFileCopy(source: file, destination: restoring, immutableSource: true)
            try copy.copy { progress(.pages(copied: $0, total: $1)) }
        }
        do throws(StoreError) {
            try await verify(.sqlite(path: restoring), manifest: manifest, genesis: genesis)
        } catch {
            try? fileManager.removeItem(atPath: restoring)
            throw error
        }
        for stale in [path + "-wal", path + "-shm"] { try? fileManager.removeItem(atPath: stale) }
        try Self.move(restoring, to: path)
    }

    private func restorePostgres(
        _ file: String, to target: PostgresTarget, manifest: BackupManifest, genesis: Genesis, replace: Bool
    ) async throws(StoreError) {
        if try await PostgresLedgerStore.prepareDatabase(target, logger: logger) {
            progress(.phase("created database \(target.database)"))
        } else if !replace, try await PostgresLedgerStore.holdsBlocks(target, logger: logger) {
            throw StoreError(.notEmpty, "database \(target.database) holds blocks; pass --force to replace them")
        }
        let progress = self.progress
        try await PostgresLedgerStore.restoreDump(file, to: target, tools: tools) { progress(.tool($0)) }
        try await verify(.postgres(target), manifest: manifest, genesis: genesis)
    }

    /// Migrates the restored store, rebuilds its state (checking the roots) and compares its head with the manifest.
    private func verify(_ location: StoreLocation, manifest: BackupManifest, genesis: Genesis) async throws(StoreError)
    {
        progress(.phase("verifying: rebuilding the state at height \(manifest.height) and checking its roots"))
        do {
            try await location.withStore(logger: logger) { store in
                try await store.migrate()
                _ = try await store.loadState(genesis: genesis)
                let head = try await store.head()
                guard manifest.matches(head) else {
                    throw StoreError(
                        .backupInvalid,
                        "the restored store's head (height \(head?.height ?? 0), state root "
                            + "\(head?.stateRoot.hex ?? "none")) differs from the manifest's (height "
                            + "\(manifest.height), state root \(manifest.stateRoot))")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "verifying the restored store: \(error)")
        }
    }

    // MARK: Files

    private static func prepareFolder(_ folder: URL) throws(StoreError) {
        let fileManager = FileManager.default
        if let entries = try? fileManager.contentsOfDirectory(atPath: folder.path), !entries.isEmpty {
            throw StoreError(.notEmpty, "\(folder.path) is not empty; back up into a new folder")
        }
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "creating \(folder.path): \(error)")
        }
    }

    /// rename(2): atomic, replacing `destination` if it exists.
    private static func move(_ source: String, to destination: String) throws(StoreError) {
        guard rename(source, destination) == 0 else {
            throw StoreError(.unavailable, "renaming \(source) to \(destination): errno \(errno)")
        }
    }

    /// The size and lowercase hex SHA-256 of `path`, read in 1 MiB pieces.
    static func checksum(_ path: String) throws(StoreError) -> (Int64, String) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.backupInvalid, "cannot read \(path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                bytes += Int64(chunk.count)
            }
        } catch {
            throw StoreError(.unavailable, "reading \(path): \(error)")
        }
        return (bytes, Hex.encode(Array(hasher.finalize())))
    }

    /// Runs blocking work (SQLite's C API, hashing a file) on a thread of its own, off the concurrency pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(StoreError)
        -> T
    {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Result(catching: body)) }
        }
        return try result.get()
    }
}
