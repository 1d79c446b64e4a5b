import FacetStore
import Testing

@Suite struct StoreLocationTests {
    @Test func sqliteLocations() throws {
        #expect(try StoreLocation(parsing: "sqlite:/var/lib/facet/node.db") == .sqlite(path: "/var/lib/facet/node.db"))
        #expect(try StoreLocation(parsing: "sqlite:///tmp/a.db") == .sqlite(path: "/tmp/a.db"))
        #expect(try StoreLocation(parsing: "sqlite:data/node.db") == .sqlite(path: "data/node.db"))
    }

    @Test func postgresURLs() throws {
        let location = try StoreLocation(parsing: "postgres://facet:s%40cret@db.local:6543/ledger?sslmode=require")
        guard case .postgres(let target) = location else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(target.host == "db.local" && target.port == 6543)
        #expect(target.username == "facet" && target.password == "s@cret")
        #expect(target.database == "ledger" && target.tls == .require)
        #expect(!location.description.contains("cret"), "a location prints without its password")
        let plain = try PostgresTarget(url: "postgresql://postgres@127.0.0.1/facet")
        #expect(plain.port == 5432 && plain.password == nil && plain.tls == .prefer)
    }

    @Test(arguments: [
        "", "mysql://x@h/db", "sqlite:", "postgres://h/db", "postgres://u@/db", "postgres://u@h/",
        "postgres://u@h/db?sslmode=maybe", "postgres://u@h/db?pool=3",
    ])
    func malformedLocationsAreRefused(text: String) {
        let error = #expect(throws: StoreError.self) { _ = try StoreLocation(parsing: text) }
        #expect(error?.code == .invalidRequest)
    }
}
