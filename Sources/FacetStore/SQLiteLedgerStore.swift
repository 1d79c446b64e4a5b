import FacetCore
import FacetLedger
import Logging
import SQLiteNIO
import Synchronization

/// The embedded backend: one SQLite file per node, nothing to install.
///
/// The file is in WAL mode with `synchronous=FULL`, so a commit that returned survives a kill or a power loss.
/// Writes (migrations, commits) go through one connection, each as `BEGIN IMMEDIATE … COMMIT`, one at a time;
/// reads go through a second connection, so a reader never waits for a commit to finish and never sees half of
/// one. Each connection is behind a `SerialGate`, because a SQLite connection carries one transaction at a time.
public final class SQLiteLedgerStore: LedgerStore {
    public let path: String
    let writer: SQLiteConnection
    let reader: SQLiteConnection
    let writeGate = SerialGate()
    let readGate = SerialGate()
    let logger: Logger
    private let isClosed = Mutex(false)
    /// State rows read per query at start-up (`loadState`).
    let statePage: Int

    private init(path: String, writer: SQLiteConnection, reader: SQLiteConnection, logger: Logger, statePage: Int) {
        self.path = path
        self.statePage = statePage
        self.writer = writer
        self.reader = reader
        self.logger = logger
    }

    /// Opens (creating if needed) the store at `path`. Call `migrate()` next.
    /// `statePage`: state rows read per query when the node loads its state (tests use small pages).
    public static func open(
        path: String, logger: Logger = Logger(label: "facet.store"), statePage: Int = 20_000
    ) async throws(StoreError) -> SQLiteLedgerStore {
        precondition(statePage > 0, "a page holds at least one row")
        let writer = try await connect(path: path, logger: logger)
        let reader: SQLiteConnection
        do throws(StoreError) {
            // WAL is a property of the file (it persists); synchronous is per connection, and only the writer's
            // matters. The reader refuses writes so a bug cannot write outside the writer's transactions.
            let mode = try await run(writer, "PRAGMA journal_mode=WAL").first?.column("journal_mode")?.string
            guard mode?.lowercased() == "wal" else {
                throw StoreError(.unavailable, "SQLite refused WAL mode for \(path) (journal mode \(mode ?? "none"))")
            }
            _ = try await run(writer, "PRAGMA synchronous=FULL")
            // A block of thousands of transactions dirties more pages than SQLite's default 2 MiB cache holds, which
            // spills them mid-transaction and reads them back: the writer gets 64 MiB, the reader 32 MiB (a cache
            // grows only as far as it is used).
            _ = try await run(writer, "PRAGMA cache_size=-65536")
            reader = try await connect(path: path, logger: logger)
        } catch {
            try? await writer.close()
            throw error
        }
        do throws(StoreError) {
            _ = try await run(reader, "PRAGMA query_only=1")
            _ = try await run(reader, "PRAGMA cache_size=-32768")
        } catch {
            try? await reader.close()
            try? await writer.close()
            throw error
        }
        var logger = logger
        logger[metadataKey: "store.path"] = "\(path)"
        logger.debug("opened SQLite store")
        return SQLiteLedgerStore(path: path, writer: writer, reader: reader, logger: logger, statePage: statePage)
    }

    private static func connect(path: String, logger: Logger) async throws(StoreError) -> SQLiteConnection {
        do {
            return try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw storeError(error, "opening \(path)")
        }
    }

    public func close() async throws(StoreError) {
        try await writeGate.withGate { () async throws(StoreError) in
            try await readGate.withGate { () async throws(StoreError) in
                let wasClosed = isClosed.withLock { closed in
                    defer { closed = true }
                    return closed
                }
                guard !wasClosed else { return }
                // The future-returning close, awaited: the async one gives up in a cancelled task, and a store must
                // still close when its node is cancelled rather than leave its connections open.
                do {
                    try await reader.close().get()
                    try await writer.close().get()
                } catch {
                    throw Self.storeError(error, "closing \(path)")
                }
            }
        }
    }

    // MARK: Plumbing

    /// Runs `body` on the writer inside the write gate, once the store is known to be open.
    func writing<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await writeGate.withGate { () async throws(StoreError) -> T in
            try checkOpen()
            return try await body()
        }
    }

    func reading<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await readGate.withGate { () async throws(StoreError) -> T in
            try checkOpen()
            return try await body()
        }
    }

    private func checkOpen() throws(StoreError) {
        if isClosed.withLock({ $0 }) { throw StoreError(.closed, "the store at \(path) is closed") }
    }

    @discardableResult
    static func run(_ connection: SQLiteConnection, _ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError)
        -> [SQLiteRow]
    {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw storeError(error, sql.prefix(60).replacingOccurrences(of: "\n", with: " "))
        }
    }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT` on the writer: the write lock is taken up front, so the
    /// transaction never fails half-way for want of it. Anything thrown rolls back.
    func inWriteTransaction<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        do {
            try await Self.run(writer, "BEGIN IMMEDIATE")
        } catch where error.reason.contains("within a transaction") {
            // Writes take turns on the writer, so a transaction still open here was abandoned by a write that
            // could not roll back: undo it and begin again.
            logger.warning("an abandoned write transaction was rolled back", metadata: ["store.error": "\(error)"])
            await rollback(writer)
            try await Self.run(writer, "BEGIN IMMEDIATE")
        }
        do throws(StoreError) {
            let result = try await body()
            try await Self.run(writer, "COMMIT")
            return result
        } catch {
            await rollback(writer)
            throw error
        }
    }

    /// A read transaction on the reader: one snapshot for several statements.
    func inReadTransaction<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await Self.run(reader, "BEGIN")
        do throws(StoreError) {
            let result = try await body()
            try await Self.run(reader, "COMMIT")
            return result
        } catch {
            await rollback(reader)
            throw error
        }
    }

    /// Rolls back, even when the calling task was cancelled. A cancelled task's statements are refused before they
    /// run (the thread pool checks), so a rollback issued from it never ran: a commit cancelled half-way by its caller's
    /// timeout left the writer inside its transaction, and every later `BEGIN IMMEDIATE` failed with "cannot start
    /// a transaction within a transaction" (seen: a devnet under load halted at height 71 for good). The rollback
    /// therefore runs in a task of its own, which the caller's cancellation does not reach, and is awaited.
    private func rollback(_ connection: SQLiteConnection) async {
        let logger = self.logger
        await Task {
            do {
                try await Self.run(connection, "ROLLBACK")
            } catch {
                // SQLite rolls back by itself after some errors (a full disk); then there is nothing left to undo.
                logger.debug("rollback after a failed transaction: \(error)")
            }
        }.value
    }

    static func storeError(_ error: any Error, _ action: some StringProtocol) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? SQLiteError else { return StoreError(.unavailable, "\(action): \(error)") }
        let code: StoreError.Code
        switch error.reason {
        case .corrupt, .notADatabase, .corruptIndex, .corruptVirtualTable, .corruptSequenceSchema, .format:
            code = .corrupt
        case .constraint, .constraintCheckFailed, .constraintNotNullFailed, .constraintPrimaryKeyFailed,
            .constraintUniqueFailed, .constraintForeignKeyFailed, .constraintStrictDataTypeFailed, .error, .schema,
            .mismatch, .range, .misuse, .tooBig:
            code = .statementFailed
        default:
            code = .unavailable
        }
        return StoreError(code, "SQLite, \(action): \(error.message) (\(error.reason))")
    }
}
