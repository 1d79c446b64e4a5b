import FacetCore
import FacetLedger
import Foundation
import VaporCSQLite

/// A copy of a SQLite database through SQLite's online backup API (`sqlite3_backup_*`), on connections of its own:
/// the node keeps committing meanwhile.
///
/// The copy is consistent because the source connection holds one read transaction from the first page to the
/// last: in WAL mode that pins a snapshot the node's writer never blocks on (its commits go to the WAL, and
/// checkpoints stop short of the pinned snapshot), so the backup never restarts however busy the node is, and
/// copies in steps, reporting progress between them. The copy is left in rollback-journal mode, one
/// self-contained file; a node that opens it switches it back to WAL.
struct SQLiteFileCopy: ~Copyable {
    private let source: OpaquePointer
    private let destination: OpaquePointer

    /// Opens `source` (which must exist; read-only and immutable when `immutableSource`, as a backup file is)
    /// and creates `destination` (which must not exist).
    init(source: String, destination: String, immutableSource: Bool) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError(.invalidRequest, "no SQLite store at \(source)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(.notEmpty, "\(destination) exists")
        }
        let sourceName =
            immutableSource
            ? "file:" + (source.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? source)
                + "?immutable=1"
            : source
        let sourceFlags = immutableSource ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI : SQLITE_OPEN_READWRITE
        let sourceHandle = try Self.open(sourceName, flags: sourceFlags, label: source)
        do throws(StoreError) {
            self.destination = try Self.open(
                destination, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, label: destination)
        } catch {
            _ = sqlite_nio_sqlite3_close(sourceHandle)
            throw error
        }
        self.source = sourceHandle
    }

    deinit {
        _ = sqlite_nio_sqlite3_close(source)
        _ = sqlite_nio_sqlite3_close(destination)
    }

    /// Copies every page of the snapshot the source holds at the start, `pagesPerStep` at a time, calling
    /// `progress(copied, total)` after each step; then converts the copy to rollback-journal mode.
    func copy(pagesPerStep: Int32 = 1_024, progress: (Int, Int) -> Void) throws(StoreError) {
        // Pin one snapshot for the whole copy (a read transaction starts at its first read).
        try Self.execute(source, "BEGIN; SELECT count(*) FROM sqlite_master;", "pinning a snapshot")
        defer { _ = try? Self.execute(source, "COMMIT", "releasing the snapshot") }
        guard let backup = sqlite_nio_sqlite3_backup_init(destination, "main", source, "main") else {
            throw Self.error(destination, "starting the backup")
        }
        var result: Int32 = SQLITE_OK
        repeat {
            result = sqlite_nio_sqlite3_backup_step(backup, pagesPerStep)
            let total = Int(sqlite_nio_sqlite3_backup_pagecount(backup))
            progress(total - Int(sqlite_nio_sqlite3_backup_remaining(backup)), total)
            if result == SQLITE_BUSY || result == SQLITE_LOCKED { usleep(10_000) }
        } while result == SQLITE_OK || result == SQLITE_BUSY || result == SQLITE_LOCKED
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard result == SQLITE_DONE, finished == SQLITE_OK else {
            throw Self.error(destination, "copying pages (step \(result), finish \(finished))")
        }
        try Self.execute(destination, "PRAGMA journal_mode=DELETE", "leaving WAL mode in the copy")
    }

    /// The head of the copy, checked to belong to `genesis`'s chain (block 1 follows the genesis).
    func copiedHead(genesis: Genesis) throws(StoreError) -> StoreHead? {
        let rows = try Self.query(
            destination,
            "SELECT height, id, time, state_root, log_size, log_root FROM blocks ORDER BY height DESC LIMIT 1")
        guard let row = rows.first else { return nil }
        let head = try StoredRows.head(
            height: try row.integer(0), id: try row.blob(1), time: try row.integer(2), stateRoot: try row.blob(3),
            logSize: try row.integer(4), logRoot: try row.blob(5))
        guard let first = try Self.query(destination, "SELECT header FROM blocks WHERE height = 1").first else {
            throw StoreError(.corrupt, "block 1 is missing below head \(head.height)")
        }
        let header = try StoredRows.decode(BlockHeader.self, try first.blob(0), "header")
        guard header.previousBlockID == genesis.hash else {
            throw StoreError(.wrongChain, "the store's chain does not start from genesis \(genesis.hash)")
        }
        return head
    }

    /// Whether the SQLite file at `path` holds a block (a missing file, or one without tables, holds none).
    static func holdsBlocks(_ path: String) throws(StoreError) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        let handle = try open(path, flags: SQLITE_OPEN_READONLY, label: path)
        defer { _ = sqlite_nio_sqlite3_close(handle) }
        guard try !query(handle, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blocks'").isEmpty
        else { return false }
        return try !query(handle, "SELECT 1 FROM blocks LIMIT 1").isEmpty
    }

    // MARK: The C API

    private static func open(_ name: String, flags: Int32, label: String) throws(StoreError) -> OpaquePointer {
        var handle: OpaquePointer?
        let result = sqlite_nio_sqlite3_open_v2(name, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "\(result)"
            if let handle { _ = sqlite_nio_sqlite3_close(handle) }
            throw StoreError(.unavailable, "SQLite, opening \(label): \(message)")
        }
        _ = sqlite_nio_sqlite3_busy_timeout(handle, 10_000)
        return handle
    }

    private static func execute(_ handle: OpaquePointer, _ sql: String, _ action: String) throws(StoreError) {
        guard sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw error(handle, action) }
    }

    /// A row's columns as SQLite gave them: integers and blobs (all a head needs).
    struct Row {
        enum Value {
            case integer(Int64)
            case blob([UInt8])
            case other
        }

        let values: [Value]

        func integer(_ column: Int) throws(StoreError) -> Int64 {
            guard case .integer(let value) = values[column] else {
                throw StoreError(.corrupt, "column \(column) is not an integer")
            }
            return value
        }

        func blob(_ column: Int) throws(StoreError) -> [UInt8] {
            guard case .blob(let value) = values[column] else {
                throw StoreError(.corrupt, "column \(column) is not a blob")
            }
            return value
        }
    }

    private static func query(_ handle: OpaquePointer, _ sql: String) throws(StoreError) -> [Row] {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(handle, "reading the copy (is it a Facet store?)")
        }
        defer { _ = sqlite_nio_sqlite3_finalize(statement) }
        var rows = [Row]()
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return rows }
            guard step == SQLITE_ROW else { throw error(handle, "reading the copy") }
            rows.append(Row(values: (0..<sqlite_nio_sqlite3_column_count(statement)).map { value(statement, $0) }))
        }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> Row.Value {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite_nio_sqlite3_column_int64(statement, column))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .other
        }
    }

    private static func error(_ handle: OpaquePointer, _ action: String) -> StoreError {
        let message = String(cString: sqlite_nio_sqlite3_errmsg(handle))
        let code = sqlite_nio_sqlite3_errcode(handle)
        return StoreError(
            code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? .corrupt : .unavailable, "SQLite, \(action): \(message)")
    }
}
