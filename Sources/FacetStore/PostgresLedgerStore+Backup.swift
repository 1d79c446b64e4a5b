import FacetCore
import FacetLedger
import Logging
import PostgresNIO

extension PostgresLedgerStore {
    /// Dumps `target`'s database to `file` (`pg_dump`'s custom format) while the node keeps committing, and returns
    /// the head the dump holds, checked to belong to `genesis`'s chain.
    ///
    /// PostgreSQL's documented route to a dump that agrees with a reading taken beside it: one connection opens a
    /// REPEATABLE READ transaction, exports its snapshot (`pg_export_snapshot()`) and reads the head in it, and
    /// `pg_dump --snapshot` dumps that same snapshot while the transaction stays open. Commits after it are not in
    /// the dump, and no commit is half in it.
    static func dump(
        _ target: PostgresTarget, genesis: Genesis, to file: String, tools: PostgresTools, logger: Logger,
        progress: @escaping @Sendable (String) -> Void
    ) async throws(StoreError) -> StoreHead? {
        do {
            return try await withConnection(to: target, logger: logger) { connection in
                try await dump(
                    on: connection, target, genesis: genesis, to: file, tools: tools, logger: logger, progress)
            }
        } catch {
            throw storeError(error, "dumping \(target.database)")
        }
    }

    private static func dump(
        on connection: PostgresConnection, _ target: PostgresTarget, genesis: Genesis, to file: String,
        tools: PostgresTools, logger: Logger, _ progress: @escaping @Sendable (String) -> Void
    ) async throws -> StoreHead? {
        try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
        var snapshot = ""
        for try await name in try await connection.query("SELECT pg_export_snapshot()", logger: logger)
            .decode(String.self)
        {
            snapshot = name
        }
        let head = try await readHead(connection, logger: logger)
        if head != nil { try await checkChain(connection, genesis: genesis, logger: logger) }
        try await tools.run(
            "pg_dump",
            [
                "--format=custom", "--no-owner", "--no-privileges", "--verbose", "--snapshot=\(snapshot)",
                "--file=\(file)",
            ], target: target, line: progress)
        try await connection.query("COMMIT", logger: logger)
        return head
    }

    /// Block 1 of the chain in `connection`'s snapshot must follow `genesis`.
    private static func checkChain(_ connection: PostgresConnection, genesis: Genesis, logger: Logger) async throws {
        var header: ByteBuffer?
        for try await bytes in try await connection.query(
            "SELECT header FROM blocks WHERE height = 1", logger: logger
        ).decode(ByteBuffer.self) {
            header = bytes
        }
        guard let header else { throw StoreError(.corrupt, "block 1 is missing below the head") }
        guard try StoredRows.decode(BlockHeader.self, header.array, "header").previousBlockID == genesis.hash else {
            throw StoreError(.wrongChain, "the store's chain does not start from genesis \(genesis.hash)")
        }
    }

    /// Whether `target`'s database holds a block (no `blocks` table: a database nothing was stored in).
    static func holdsBlocks(_ target: PostgresTarget, logger: Logger) async throws(StoreError) -> Bool {
        do {
            return try await withConnection(to: target, logger: logger) { connection in
                var hasTable = false
                for try await found in try await connection.query(
                    "SELECT to_regclass('public.blocks') IS NOT NULL", logger: logger
                ).decode(Bool.self) {
                    hasTable = found
                }
                guard hasTable else { return false }
                var holds = false
                for try await _ in try await connection.query("SELECT 1 FROM blocks LIMIT 1", logger: logger) {
                    holds = true
                }
                return holds
            }
        } catch {
            throw storeError(error, "reading \(target.database)")
        }
    }

    /// Replaces `target`'s tables with those of the dump at `file` in one transaction (`pg_restore --clean
    /// --single-transaction`): a failure leaves the database as it was.
    static func restoreDump(
        _ file: String, to target: PostgresTarget, tools: PostgresTools, progress: @escaping @Sendable (String) -> Void
    ) async throws(StoreError) {
        try await tools.run(
            "pg_restore",
            [
                "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                "--verbose", "--dbname=\(target.database)", file,
            ], target: target, line: progress)
    }
}
