import FacetStore
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import PostgresNIO
import Testing

/// A PostgreSQL location whose database does not exist: created when the role may, refused at once with
/// `store.database_missing` when it may not (before, the pool retried until its circuit breaker opened, a minute
/// later, with `store.unavailable`). And the URL parameters for the pool, the timeouts and TLS.
@Suite(.timeLimit(.minutes(5))) struct PostgresDatabaseTests {
    static func uniqueName(_ prefix: String) -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    }

    static func databaseExists(_ name: String, admin: PostgresTarget) async throws -> Bool {
        let client = PostgresClient(configuration: admin.configuration, backgroundLogger: ScratchStore.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var exists = false
            for try await _ in try await client.query(
                "SELECT 1 FROM pg_database WHERE datname = \(name)", logger: ScratchStore.logger)
            {
                exists = true
            }
            return exists
        }
    }

    /// The test server, or nil (recording why, unless PostgreSQL is left out on purpose).
    static func admin() throws -> PostgresTarget? {
        guard let url = Backend.postgresURL else {
            if !Backend.skipPostgres { Issue.record(Backend.missingPostgres) }
            return nil
        }
        return try PostgresTarget(url: url)
    }

    @Test func aMissingDatabaseIsCreatedWhenTheRoleMay() async throws {
        guard let admin = try Self.admin() else { return }
        let name = Self.uniqueName("facet_t_new_")
        let drop = "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"
        do {
            #expect(try await !Self.databaseExists(name, admin: admin))
            let location = StoreLocation.postgres(admin.database(name))
            let height = try await location.withStore(logger: ScratchStore.logger) { store in
                try await store.migrate()
                return try await store.head()?.height
            }
            #expect(height == nil)
            #expect(try await Self.databaseExists(name, admin: admin))
            // Present now: nothing to create.
            #expect(
                try await PostgresLedgerStore.prepareDatabase(admin.database(name), logger: ScratchStore.logger)
                    == false)
        } catch {
            try? await PostgresAdmin.run(admin, drop)
            throw error
        }
        try await PostgresAdmin.run(admin, drop)
    }

    @Test func aMissingDatabaseTheRoleMayNotCreateIsRefusedWithItsCode() async throws {
        guard let admin = try Self.admin() else { return }
        let role = Self.uniqueName("facet_t_role_")
        try await PostgresAdmin.run(admin, "CREATE ROLE \(role) LOGIN NOCREATEDB PASSWORD 'facet-test'")
        do {
            var target = admin.database(Self.uniqueName("facet_t_absent_"))
            target.username = role
            target.password = "facet-test"
            do {
                try await StoreLocation.postgres(target).withStore(logger: ScratchStore.logger) { store in
                    try await store.migrate()
                }
                Issue.record("a store opened on a database that does not exist and may not be created")
            } catch let error as StoreError {
                #expect(error.code == .databaseMissing, "\(error)")
                #expect(error.reason.contains(target.database) && error.reason.contains("createdb"), "\(error)")
            }
            #expect(try await !Self.databaseExists(target.database, admin: admin))
        } catch {
            try? await PostgresAdmin.run(admin, "DROP ROLE IF EXISTS \(role)")
            throw error
        }
        try await PostgresAdmin.run(admin, "DROP ROLE IF EXISTS \(role)")
    }

    @Test func theURLSetsThePoolTheTimeoutsAndTLS() throws {
        let target = try PostgresTarget(
            url: "postgres://facet:s%40cret@db.internal:6432/ledger?sslmode=require&sslrootcert=/etc/facet/db-ca.pem"
                + "&connect_timeout=5&statement_timeout=30000&pool_max=8&pool_idle_timeout=120")
        #expect(target.username == "facet" && target.password == "s@cret" && target.port == 6432)
        #expect(target.tls == .require && target.tlsRootCertificates == "/etc/facet/db-ca.pem")
        #expect(target.connectTimeoutSeconds == 5 && target.statementTimeoutMillis == 30_000)
        #expect(target.poolMax == 8 && target.poolIdleTimeoutSeconds == 120)
        let options = target.configuration.options
        #expect(options.maximumConnections == 8 && options.connectTimeout == .seconds(5))
        #expect(options.connectionIdleTimeout == .seconds(120))
        #expect(options.additionalStartupParameters.map { "\($0.0)=\($0.1)" } == ["statement_timeout=30000"])
        // The description leaves the password out and keeps every setting, so it parses back to the same target.
        #expect(!target.description.contains("s@cret") && !target.description.contains("cret"))
        var reparsed = try PostgresTarget(url: target.description)
        reparsed.password = "s@cret"
        #expect(reparsed == target)

        let plain = try PostgresTarget(url: "postgres://facet@localhost/ledger")
        #expect(plain.tls == .prefer && plain.poolMax == 20 && plain.connectTimeoutSeconds == 10)
        #expect(plain.configuration.options.additionalStartupParameters.isEmpty)
        #expect(plain.description == "postgres://facet@localhost:5432/ledger?sslmode=prefer")

        for bad in [
            "pool_max=0", "pool_max=501", "connect_timeout=0", "statement_timeout=-1", "sslmode=verify-full",
            "sslrootcert=", "poolmax=3", "pool_idle_timeout=x",
        ] {
            #expect(throws: StoreError.self, "\(bad)") {
                try PostgresTarget(url: "postgres://facet@localhost/ledger?\(bad)")
            }
        }
    }

    /// A database that cannot be reached: a call waits for a connection only as long as the lease timeout, then fails
    /// with `store.unavailable` (before, the pool kept it waiting about a minute, and a node's shutdown with it).
    /// Nothing listens on the port, which is free: no server needed.
    @Test func aCallWaitsForAConnectionOnlyUpToTheLeaseTimeout() async throws {
        let port = try Self.freePort()
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: "facet", password: nil, database: "ledger", tls: .disable)
        configuration.options.connectTimeout = .seconds(1)
        let client = PostgresClient(configuration: configuration, backgroundLogger: ScratchStore.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresLedgerStore(client: client, leaseTimeout: .milliseconds(300), logger: ScratchStore.logger)
            let error = await #expect(throws: StoreError.self) { try await store.head() }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(error?.description.contains("no connection within") == true, "\(String(describing: error))")
        }
    }

    /// A TCP port nothing listens on now (bound, then released).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, length) == 0 }
        }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) == 0 }
        }
        guard bound && named else { throw StoreError(.unavailable, "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
