import Logging
import PostgresNIO

extension PostgresLedgerStore {
    /// Creates each database in `names` that the server at `server` lacks (connecting to `server.database`), so a
    /// local consortium can give every validator a database of its own on one server. Names are lowercase letters,
    /// digits and underscores (they are identifiers in the statement, not parameters). Returns the ones created.
    public static func createMissingDatabases(
        _ names: [String], server: PostgresTarget, logger: Logger = Logger(label: "facet.store")
    ) async throws(StoreError) -> [String] {
        for name in names
        where name.isEmpty || name.count > 63
            || !name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        {
            throw StoreError(.invalidRequest, "database name \(name) is not 1 to 63 of a-z, 0-9 and _")
        }
        do {
            return try await withStore(configuration: server.configuration, logger: logger) { store in
                try await store.withConnection("create databases") { connection in
                    var created = [String]()
                    for name in names {
                        let rows = try await connection.query(
                            "SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
                        var exists = false
                        for try await _ in rows { exists = true }
                        guard !exists else { continue }
                        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
                        created.append(name)
                    }
                    return created
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresLedgerStore.storeError(error, "create databases")
        }
    }
}
