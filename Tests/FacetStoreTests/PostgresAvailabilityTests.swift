import FacetStore
import Testing

/// Makes the PostgreSQL requirement visible on its own line: fails when no server is configured, and shows as
/// skipped (with the reason) when the user asked to leave PostgreSQL out.
@Suite struct PostgresAvailabilityTests {
    @Test(.disabled(if: Backend.skipPostgres, "PostgreSQL tests skipped at the user's request (FACET_SKIP_POSTGRES=1)"))
    func postgresIsConfiguredAndReachable() async throws {
        guard let url = Backend.postgresURL else {
            Issue.record(Backend.missingPostgres)
            return
        }
        try await StoreLocation(parsing: url).withStore { store in
            _ = try await store.schemaVersion()
        }
    }
}
