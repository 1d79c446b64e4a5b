import Foundation
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

    /// A write whose task is cancelled half-way (a caller's store timeout) rolls back all the same, so the next write
    /// begins: before, the rollback was refused as cancelled, the writer stayed inside the transaction, and every later
    /// `BEGIN IMMEDIATE` failed (a devnet halted for good). An abandoned transaction found at `BEGIN` is undone too.
    @Test func aWriteCancelledHalfWayRollsBackAndTheNextWriteBegins() async throws {
        try await ScratchStore.with(.sqlite) { scratch in
            try await scratch.open { store in
                let sqlite = try #require(store as? SQLiteLedgerStore)
                let cancelled = Task {
                    try await sqlite.inWriteTransaction { () async throws(StoreError) -> Void in
                        try await SQLiteLedgerStore.run(sqlite.writer, "CREATE TABLE scratch_cancelled (x)")
                        withUnsafeCurrentTask { $0?.cancel() }
                        try await SQLiteLedgerStore.run(sqlite.writer, "INSERT INTO scratch_cancelled VALUES (1)")
                    }
                }
                let outcome = await cancelled.result
                #expect(throws: StoreError.self) { try outcome.get() }
                let tables = try await sqlite.inWriteTransaction { () async throws(StoreError) in
                    try await SQLiteLedgerStore.run(
                        sqlite.writer, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'scratch_cancelled'")
                }
                #expect(tables.first?.column("n")?.integer == 0, "the cancelled write left nothing")

                // A transaction left open on the writer by other means is rolled back at the next write's BEGIN.
                try await SQLiteLedgerStore.run(sqlite.writer, "BEGIN IMMEDIATE")
                try await SQLiteLedgerStore.run(sqlite.writer, "CREATE TABLE scratch_abandoned (x)")
                let healed = try await sqlite.inWriteTransaction { () async throws(StoreError) in
                    try await SQLiteLedgerStore.run(
                        sqlite.writer, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'scratch_abandoned'")
                }
                #expect(healed.first?.column("n")?.integer == 0, "the abandoned transaction was rolled back")
            }
        }
    }

    /// Start-up reads the state in pages: pages of 7 rows (many, and a last partial one) load the very state one
    /// page of everything does.
    @Test func theStateLoadsTheSameInPages() async throws {
        let chain = TestChain.standard
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "facet-pages-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        ).path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let whole = try await SQLiteLedgerStore.open(path: path)
        try await whole.migrate()
        try await chain.commitAll(to: whole)
        let expected = try await whole.loadState(genesis: chain.genesis)
        try await whole.close()
        let paged = try await SQLiteLedgerStore.open(path: path, statePage: 7)
        let loaded = try await paged.loadState(genesis: chain.genesis)
        try await paged.close()
        #expect(expected.state.records.count > 7 * 3, "the chain's state spans several pages")
        #expect(loaded.state.records == expected.state.records)
        #expect(loaded.state.stateRoot == expected.state.stateRoot && loaded.headBlockID == expected.headBlockID)
    }
}
