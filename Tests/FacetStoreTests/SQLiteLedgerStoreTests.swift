import SQLiteNIO
import Testing

@testable import FacetStore

/// What only the SQLite backend promises: a commit that returned is on disk (WAL, fsync at every commit).
@Suite struct SQLiteLedgerStoreTests {
    @Test func theFileIsInWALModeWithFullSync() async throws {
        try await ScratchStore.with(.sqlite) { scratch in
            try await scratch.open { store in
                let sqlite = try #require(store as? SQLiteLedgerStore)
                let mode = try await SQLiteLedgerStore.run(sqlite.writer, "PRAGMA journal_mode")
                #expect(mode.first?.column("journal_mode")?.string == "wal")
                let sync = try await SQLiteLedgerStore.run(sqlite.writer, "PRAGMA synchronous")
                #expect(sync.first?.column("synchronous")?.integer == 2, "2 is FULL")
                let readOnly = await #expect(throws: StoreError.self) {
                    try await SQLiteLedgerStore.run(sqlite.reader, "CREATE TABLE nothing (x)")
                }
                #expect(readOnly != nil, "the read connection refuses writes")
            }
        }
    }
}
