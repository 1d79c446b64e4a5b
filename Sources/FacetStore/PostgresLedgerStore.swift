import FacetCore
import FacetLedger
import Logging
import PostgresNIO
import Synchronization

/// The production backend: the same tables as SQLite in a PostgreSQL database, reached through postgres-nio's
/// `PostgresClient` pool.
///
/// A `PostgresClient` only serves queries while its `run()` is running. The store never starts tasks of its own
/// to run it; the caller chooses one of two shapes:
/// - `init(client:)`: the caller owns the client and runs it, as a node does by putting the client (a
///   swift-service-lifecycle `Service`) in its `ServiceGroup`, which then orders start-up and shutdown;
/// - `withStore(configuration:)`: a scope that creates the client, runs it in a child task of a task group for
///   exactly the duration of the closure, then closes the store and cancels the client. Tools and tests use it.
///
/// A commit is `BEGIN … COMMIT` on one pooled connection, under a transaction-scoped advisory lock, so two
/// writers (even in two processes) never interleave; each table's rows go in one statement that `unnest`s
/// array parameters, one round trip per table whatever the block's size.
public final class PostgresLedgerStore: LedgerStore {
    let client: PostgresClient
    let leaseTimeout: Duration
    let logger: Logger
    private let isClosed = Mutex(false)

    /// Advisory lock keys (any constants no other application on the database uses).
    static let commitLock: Int64 = 0x4641_4345_5401  // "FACET" 1
    static let migrationLock: Int64 = 0x4641_4345_5402
    static let safetyLock: Int64 = 0x4641_4345_5403

    /// Uses `client`, which the caller must be running (see the type's documentation).
    public init(
        client: PostgresClient, leaseTimeout: Duration = defaultLeaseTimeout,
        logger: Logger = Logger(label: "facet.store")
    ) {
        self.client = client
        self.leaseTimeout = leaseTimeout
        self.logger = logger
    }

    /// How long a call waits for a pooled connection before it fails with `store.unavailable`.
    public static let defaultLeaseTimeout = Duration.seconds(15)

    /// Runs `body` with a store on a client of its own, which runs only inside this call.
    public static func withStore<T>(
        configuration: PostgresClient.Configuration, logger: Logger = Logger(label: "facet.store"),
        _ body: (PostgresLedgerStore) async throws -> T
    ) async throws -> T {
        // The body may lease a connection before the child task has entered `run()`; the pool then waits for it,
        // but logs a warning first. Background logging is kept to errors here: failures reach the caller as
        // thrown errors anyway.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        let store = PostgresLedgerStore(client: client, logger: logger)
        return try await withThrowingDiscardingTaskGroup(returning: T.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body(store)
                try await store.close()
                group.cancelAll()
                return result
            } catch {
                try? await store.close()
                group.cancelAll()
                throw error
            }
        }
    }

    /// Marks the store closed. The client is the caller's (or `withStore`'s) to stop.
    public func close() async throws(StoreError) {
        isClosed.withLock { $0 = true }
    }

    // MARK: Plumbing

    /// Runs `body` on one pooled connection, mapping every error to a `StoreError`.
    ///
    /// Waiting for the connection is bounded by `leaseTimeout`: while the database is away the pool keeps the
    /// request waiting for about a minute (measured: a block read answered 503 after 59.5 s, and a node's shutdown
    /// waited for it), and cancelling that wait does not always reach it. So the call runs in a task of its own that
    /// is abandoned, not awaited, once the wait is over; the caller gets `store.unavailable` at once. A call that got
    /// its connection runs to its end (a statement is bounded by `statement_timeout`).
    func withConnection<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        if isClosed.withLock({ $0 }) { throw StoreError(.closed, "the PostgreSQL store is closed") }
        let (client, limit) = (self.client, leaseTimeout)
        let leased = StoreCallRace<T>()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    guard leased.start(continuation) else { return }
                    leased.setCall(
                        Task {
                            do {
                                let result = try await client.withConnection { connection in
                                    leased.markLeased()
                                    return try await body(connection)
                                }
                                leased.finish(.success(result))
                            } catch {
                                leased.finish(.failure(error))
                            }
                        })
                    let timer = Task {
                        try? await Task.sleep(for: limit)
                        leased.finishUnlessLeased(
                            .failure(StoreError(.unavailable, "PostgreSQL, \(action): no connection within \(limit)")))
                    }
                    leased.onFinish { timer.cancel() }
                }
            } onCancel: {
                leased.cancel()
            }
        } catch {
            throw Self.storeError(error, action)
        }
    }

    /// Runs `body` between `begin` and `COMMIT` on `connection`; anything thrown rolls back.
    func inTransaction<T>(_ connection: PostgresConnection, _ begin: String = "BEGIN", _ body: () async throws -> T)
        async throws -> T
    {
        try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
        do {
            let result = try await body()
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            // In a task of its own, awaited: a write cancelled by its caller's timeout must still roll back before
            // the connection goes back to the pool (see `SQLiteLedgerStore.rollback`).
            let logger = self.logger
            await Task {
                do {
                    try await connection.query("ROLLBACK", logger: logger)
                } catch {
                    // A broken connection rolled back on the server's side already; the pool drops it.
                    logger.debug("rollback after a failed transaction: \(String(reflecting: error))")
                }
            }.value
            throw error
        }
    }

    static func storeError(_ error: any Error, _ action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresDecodingError {
            return StoreError(.corrupt, "PostgreSQL, \(action): a column does not decode (\(error.code))")
        }
        guard let error = error as? PSQLError else {
            return StoreError(.unavailable, "PostgreSQL, \(action): \(error)")
        }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            return StoreError(.unavailable, "PostgreSQL, \(action): \(error.code)")
        }
        let message = error.serverInfo?[.message] ?? ""
        let code: StoreError.Code
        switch state.prefix(2) {
        case "08", "53", "57", "58": code = .unavailable  // connection, resources, operator intervention, system
        case "XX": code = state == "XX001" || state == "XX002" ? .corrupt : .unavailable
        default: code = .statementFailed
        }
        return StoreError(code, "PostgreSQL, \(action): \(message) (SQLSTATE \(state))")
    }
}
