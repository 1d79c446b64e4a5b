import Logging
import PostgresNIO

extension PostgresLedgerStore {
    /// SQLSTATE of a connection to a database that does not exist (`invalid_catalog_name`).
    static let missingDatabaseState = "3D000"

    /// Makes sure `target`'s database exists before a pool is started on it: a pool retries a connection the server
    /// refuses for a missing database until its circuit breaker opens, a minute later, with an error that does not
    /// say why. Connects once; when the database is missing, creates it if the role may (`CREATE DATABASE`, from
    /// the `postgres` maintenance database), else refuses at once with `store.database_missing`. Returns whether it
    /// created it. Any other failure to connect is left to the pool, which retries (the server may be starting).
    @discardableResult
    public static func prepareDatabase(_ target: PostgresTarget, logger: Logger = Logger(label: "facet.store"))
        async throws(StoreError) -> Bool
    {
        do {
            let connection = try await connect(target, logger: logger)
            try? await connection.close()
            return false
        } catch let error where Self.sqlState(error) == missingDatabaseState {
            // Missing: create it below.
        } catch {
            logger.debug("checking the database before the pool starts: \(String(reflecting: error))")
            return false
        }
        do {
            let created = try await withAdminConnection(target, logger: logger) { connection in
                try await createDatabase(target.database, on: connection, logger: logger)
            }
            if created { logger.notice("created PostgreSQL database \(target.database)") }
            return created
        } catch {
            if Self.sqlState(error) == "42501" {
                throw StoreError(
                    .databaseMissing,
                    "PostgreSQL database \(target.database) does not exist on \(target.host):\(target.port) and role "
                        + "\(target.username) may not create it; create it (createdb -O \(target.username) "
                        + "\(target.database)) or grant the role CREATEDB")
            }
            throw storeError(error, "creating database \(target.database)")
        }
    }

    /// Creates each database in `names` that the server at `server` lacks (connecting to `server.database`, or to
    /// `postgres` when that one does not exist), so a local consortium can give every validator a database of its
    /// own on one server. Names are lowercase letters, digits and underscores. Returns the ones created.
    public static func createMissingDatabases(
        _ names: [String], server: PostgresTarget, logger: Logger = Logger(label: "facet.store")
    ) async throws(StoreError) -> [String] {
        try checkNames(names)
        do {
            return try await withAdminConnection(server, logger: logger) { connection in
                var created = [String]()
                for name in names {
                    if try await createDatabase(name, on: connection, logger: logger) { created.append(name) }
                }
                return created
            }
        } catch {
            if Self.sqlState(error) == "42501" {
                throw StoreError(
                    .databaseMissing,
                    "role \(server.username) may not create databases on \(server.host):\(server.port)")
            }
            throw storeError(error, "create databases")
        }
    }

    /// Drops each database in `names` the server holds, disconnecting its sessions first (`facet devnet --fresh`).
    /// Returns the ones dropped.
    public static func dropDatabases(
        _ names: [String], server: PostgresTarget, logger: Logger = Logger(label: "facet.store")
    ) async throws(StoreError) -> [String] {
        try checkNames(names)
        do {
            return try await withAdminConnection(server, logger: logger) { connection in
                var dropped = [String]()
                for name in names {
                    guard try await databaseExists(name, on: connection, logger: logger) else { continue }
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "DROP DATABASE \(quoted(name)) WITH (FORCE)"), logger: logger)
                    dropped.append(name)
                }
                return dropped
            }
        } catch {
            throw storeError(error, "drop databases")
        }
    }

    /// Names go into statements as identifiers, not parameters; the devnet's are checked to be plain.
    private static func checkNames(_ names: [String]) throws(StoreError) {
        for name in names
        where name.isEmpty || name.count > 63
            || !name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        {
            throw StoreError(.invalidRequest, "database name \(name) is not 1 to 63 of a-z, 0-9 and _")
        }
    }

    /// A double-quoted identifier (any name PostgreSQL allows, quotes doubled).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Creates `name` unless it exists (or another session created it meanwhile); returns whether this call did.
    private static func createDatabase(_ name: String, on connection: PostgresConnection, logger: Logger)
        async throws -> Bool
    {
        guard try await !databaseExists(name, on: connection, logger: logger) else { return false }
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoted(name))"), logger: logger)
            return true
        } catch  where sqlState(error) == "42P04" {  // duplicate_database: created by someone else meanwhile
            return false
        }
    }

    private static func databaseExists(_ name: String, on connection: PostgresConnection, logger: Logger)
        async throws -> Bool
    {
        let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
        var exists = false
        for try await _ in rows { exists = true }
        return exists
    }

    /// Runs `body` on one connection to `server`'s database, or to `postgres` when that database does not exist.
    static func withAdminConnection<T: Sendable>(
        _ server: PostgresTarget, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await connect(server, logger: logger)
        } catch  where sqlState(error) == missingDatabaseState && server.database != "postgres" {
            connection = try await connect(server.database("postgres"), logger: logger)
        }
        return try await closing(connection, body)
    }

    /// Runs `body` on one new connection to `target`, then closes it.
    static func withConnection<T: Sendable>(
        to target: PostgresTarget, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await closing(try await connect(target, logger: logger), body)
    }

    private static func closing<T: Sendable>(
        _ connection: PostgresConnection, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func connect(_ target: PostgresTarget, logger: Logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: try target.connectionConfiguration(), id: Int.random(in: 1...Int(Int32.max)),
            logger: logger)
    }

    /// The SQLSTATE of a server error, else nil.
    static func sqlState(_ error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }
}
