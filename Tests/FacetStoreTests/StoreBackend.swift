import FacetStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// The backends every storage test runs against. PostgreSQL is required: without `FACET_TEST_POSTGRES_URL` its
/// cases fail, unless `FACET_SKIP_POSTGRES=1` asks to leave them out (then `PostgresAvailabilityTests` reports
/// the skip).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var selected: [Backend] { skipPostgres ? [.sqlite] : allCases }

    static var skipPostgres: Bool { ProcessInfo.processInfo.environment["FACET_SKIP_POSTGRES"] == "1" }

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FACET_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    static let missingPostgres: Comment = """
        FACET_TEST_POSTGRES_URL is not set. ops/test starts a private PostgreSQL and sets it; to leave the \
        PostgreSQL tests out on purpose, set FACET_SKIP_POSTGRES=1.
        """

    var testDescription: String { rawValue }
}

/// A fresh, empty store for one test: a file in a new temporary folder, or a new PostgreSQL database on the
/// test server. Tests run in parallel, so none shares a store.
struct ScratchStore: Sendable {
    /// What `facet-soak --store` takes.
    let locationText: String
    let location: StoreLocation
    private let cleanup: @Sendable () async -> Void

    static let logger: Logger = {
        var logger = Logger(label: "facet.store.tests")
        logger.logLevel = .error
        return logger
    }()

    /// Runs `body` on a scratch store, then removes it. Returns without running `body` (after recording a
    /// failure) when the backend cannot be reached.
    static func with(_ backend: Backend, _ body: (ScratchStore) async throws -> Void) async throws {
        guard let scratch = try await make(backend) else { return }
        do {
            try await body(scratch)
        } catch {
            await scratch.cleanup()
            throw error
        }
        await scratch.cleanup()
    }

    /// Opens the scratch store (a new connection each time: a test may close and reopen it).
    func open<T>(_ body: (any LedgerStore) async throws -> T) async throws -> T {
        try await location.withStore(logger: Self.logger, body)
    }

    private static func make(_ backend: Backend) async throws -> ScratchStore? {
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "facet-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("node.sqlite").path
            return ScratchStore(
                locationText: "sqlite:\(path)", location: .sqlite(path: path),
                cleanup: { try? FileManager.default.removeItem(at: folder) })
        case .postgres:
            guard let url = Backend.postgresURL else {
                Issue.record(Backend.missingPostgres)
                return nil
            }
            let admin = try PostgresTarget(url: url)
            let name = "facet_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await PostgresAdmin.run(admin, "CREATE DATABASE \(name)")
            var target = admin
            target.database = name
            var components = URLComponents(string: url)
            components?.path = "/\(name)"
            guard let text = components?.string else { throw StoreError(.invalidRequest, "cannot rewrite \(url)") }
            return ScratchStore(
                locationText: text, location: .postgres(target),
                cleanup: { try? await PostgresAdmin.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
        }
    }

    private init(locationText: String, location: StoreLocation, cleanup: @escaping @Sendable () async -> Void) {
        self.locationText = locationText
        self.location = location
        self.cleanup = cleanup
    }
}

/// Administrative statements on the test server (creating and dropping scratch databases).
enum PostgresAdmin {
    static func run(_ target: PostgresTarget, _ sql: String) async throws {
        let client = PostgresClient(configuration: target.configuration, backgroundLogger: ScratchStore.logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: ScratchStore.logger)
        }
    }
}
