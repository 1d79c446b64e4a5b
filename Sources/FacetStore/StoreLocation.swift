import Foundation
import Logging
import PostgresNIO

/// Where a node's store lives, as operators write it: `sqlite:PATH` (the embedded default, one file per node)
/// or a PostgreSQL URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETER=VALUE&…]` (`PostgresTarget`).
public enum StoreLocation: Hashable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresTarget)

    public init(parsing text: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }  // sqlite:///var/lib/facet.db
            guard !path.isEmpty else { throw StoreError(.invalidRequest, "a sqlite: location needs a file path") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresTarget(url: text))
        } else {
            throw StoreError(.invalidRequest, "a store is sqlite:PATH or postgres://USER@HOST:PORT/DATABASE")
        }
    }

    /// The location with any password left out, for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let target): return target.description
        }
    }

    /// Opens the store, runs `body`, then closes it (also when `body` throws). It does not migrate: call
    /// `migrate()` first thing in `body`. A PostgreSQL database that does not exist is created first when the role
    /// may, else refused at once with `store.database_missing` (`PostgresLedgerStore.prepareDatabase`).
    public func withStore<T>(logger: Logger = Logger(label: "facet.store"), _ body: (any LedgerStore) async throws -> T)
        async throws -> T
    {
        switch self {
        case .sqlite(let path):
            let store = try await SQLiteLedgerStore.open(path: path, logger: logger)
            do {
                let result = try await body(store)
                try await store.close()
                return result
            } catch {
                try? await store.close()
                throw error
            }
        case .postgres(let target):
            try await PostgresLedgerStore.prepareDatabase(target, logger: logger)
            return try await PostgresLedgerStore.withStore(configuration: target.configuration, logger: logger) {
                try await body($0)
            }
        }
    }
}
