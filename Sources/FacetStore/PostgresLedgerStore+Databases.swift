import Logging
import PostgresNIO

extension PostgresLedgerStore {
    /// Creates each database in `names` that the server at `server` lacks (connecting to `server.database`), so a
    /// local consortium can give every validator a database of its own on one server. Names are lowercase letters,
    /// digits and underscores (they are identifiers in the statement, not parameters). Returns the ones created.
    public static func createMissingDatabases(
        _ names: [String], server: PostgresTarget, logger: Logger = Logger(label: "facet.store")
    ) async throws(StoreError) -> [String] {
        try await forEachDatabase(names, server: server, action: "create databases", logger: logger) { exists in
            exists ? nil : "CREATE DATABASE"
        }
    }

    /// Drops each database in `names` the server holds, disconnecting its sessions first (`facet devnet --fresh`).
    /// Returns the ones dropped.
    public static func dropDatabases(
        _ names: [String], server: PostgresTarget, logger: Logger = Logger(label: "facet.store")
    ) async throws(StoreError) -> [String] {
        try await forEachDatabase(names, server: server, action: "drop databases", logger: logger) { exists in
            exists ? "DROP DATABASE" : nil
        }
    }

    /// Runs `statement(exists) NAME` (plus `WITH (FORCE)` for a drop) for each database it gives a statement for;
    /// returns their names. Names go into the statements as identifiers, not parameters, so they are checked:
    /// lowercase letters, digits and underscores.
    private static func forEachDatabase(
        _ names: [String], server: PostgresTarget, action: String, logger: Logger,
        statement: @escaping @Sendable (Bool) -> String?
    ) async throws(StoreError) -> [String] {
        for name in names
        where name.isEmpty || name.count > 63
            || !name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        {
            throw StoreError(.invalidRequest, "database name \(name) is not 1 to 63 of a-z, 0-9 and _")
        }
        do {
            return try await withStore(configuration: server.configuration, logger: logger) { store in
                try await store.withConnection(action) { connection in
                    var done = [String]()
                    for name in names {
                        let rows = try await connection.query(
                            "SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
                        var exists = false
                        for try await _ in rows { exists = true }
                        guard let verb = statement(exists) else { continue }
                        let suffix = verb.hasPrefix("DROP") ? " WITH (FORCE)" : ""
                        try await connection.query(PostgresQuery(unsafeSQL: "\(verb) \(name)\(suffix)"), logger: logger)
                        done.append(name)
                    }
                    return done
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresLedgerStore.storeError(error, action)
        }
    }
}
