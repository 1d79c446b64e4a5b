import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport
import Foundation
import Synchronization
import Testing

/// `StoreBackup` on both backends: a backup taken while blocks are being committed restores to a store whose head,
/// state root and log root are those of one committed height (the manifest's), and which then takes the chain's next
/// blocks; a restore refuses a tampered file, another chain's backup and a store that holds blocks.
@Suite(.timeLimit(.minutes(10))) struct StoreBackupTests {
    static let chain = TestChain(seed: 11, height: 40, blockSize: 24)

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("facet-backup-\(UUID().uuidString)")
    }

    /// Every progress report, for the assertions on what a long operation shows.
    final class Reports: Sendable {
        private let reports = Mutex([BackupProgress]())
        func add(_ report: BackupProgress) { reports.withLock { $0.append(report) } }
        var all: [BackupProgress] { reports.withLock { $0 } }
    }

    @Test(arguments: Backend.selected)
    func aBackupTakenWhileCommittingRestoresToEqualRoots(_ backend: Backend) async throws {
        let chain = Self.chain
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reports = Reports()
        let backup = StoreBackup(logger: ScratchStore.logger, progress: reports.add)
        try await ScratchStore.with(backend) { source in
            try await ScratchStore.with(backend) { target in
                let manifest = try await source.open { store in
                    try await store.migrate()
                    try await chain.commitAll(to: store, upTo: 10)
                    // The backup runs while the rest of the chain is committed to the same store.
                    async let committing: Void = Self.commit(chain.commits.dropFirst(10), to: store)
                    let manifest = try await backup.backup(source.location, genesis: chain.genesis, to: folder)
                    try await committing
                    #expect(try await store.head()?.height == 40)
                    return manifest
                }
                // The manifest names one committed height and that height's roots exactly.
                #expect((10...40).contains(manifest.height))
                let header = chain.blocks[Int(manifest.height) - 1].header
                #expect(manifest.blockID == header.id.hex)
                #expect(manifest.stateRoot == header.stateRoot.hex)
                #expect(manifest.logRoot == header.logRoot.hex && manifest.logSize == header.logSize)
                #expect(manifest.genesisHash == chain.genesis.hash.hex && manifest.format == 1)
                #expect(manifest.backend == (backend == .sqlite ? BackupManifest.Backend.sqlite : .postgres))
                #expect(reports.all.contains { if case .phase = $0 { true } else { false } })
                if backend == .sqlite {
                    let pages = reports.all.compactMap { report -> (Int, Int)? in
                        if case .pages(let copied, let total) = report { (copied, total) } else { nil }
                    }
                    #expect(pages.last.map { $0.0 == $0.1 && $0.1 > 0 } == true)
                } else {
                    #expect(reports.all.contains { if case .tool = $0 { true } else { false } })
                }

                let restored = try await backup.restore(
                    from: folder, to: target.location, genesis: chain.genesis, replace: false)
                #expect(restored == manifest)
                try await target.open { store in
                    try await store.migrate()
                    let loaded = try await store.loadState(genesis: chain.genesis)
                    #expect(loaded.state.height == manifest.height && loaded.headBlockID == header.id)
                    #expect(loaded.state.stateRoot == header.stateRoot)
                    #expect(try await store.head().map { manifest.matches($0) } == true)
                    // A working store: it takes the blocks committed after the backup and ends where the source did.
                    for commit in chain.commits.dropFirst(Int(manifest.height)) { try await store.commit(commit) }
                    let final = try await store.loadState(genesis: chain.genesis)
                    #expect(final.state.stateRoot == chain.finalState.stateRoot && final.state.height == 40)
                }
            }
        }
    }

    @Test(arguments: Backend.selected)
    func aRestoreRefusesTamperingAnotherChainAndAStoreThatHoldsBlocks(_ backend: Backend) async throws {
        let chain = TestChain.standard
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backup = StoreBackup(logger: ScratchStore.logger)
        try await ScratchStore.with(backend) { source in
            try await ScratchStore.with(backend) { target in
                try await source.open { store in
                    try await store.migrate()
                    try await chain.commitAll(to: store, upTo: 12)
                }
                let manifest = try await backup.backup(source.location, genesis: chain.genesis, to: folder)
                #expect(manifest.height == 12)
                // Into a folder that is not empty: refused.
                await Self.expectCode(.notEmpty) {
                    _ = try await backup.backup(source.location, genesis: chain.genesis, to: folder)
                }
                // Another chain's genesis: refused before anything is written.
                let other = TestChain(seed: 99, height: 1, blockSize: 1).genesis
                await Self.expectCode(.backupInvalid) {
                    _ = try await backup.restore(from: folder, to: target.location, genesis: other, replace: true)
                }
                // A store that holds blocks: refused unless replace, which then gives the backup's head.
                try await target.open { store in
                    try await store.migrate()
                    try await chain.commitAll(to: store, upTo: 3)
                }
                await Self.expectCode(.notEmpty) {
                    _ = try await backup.restore(
                        from: folder, to: target.location, genesis: chain.genesis, replace: false)
                }
                #expect(try await target.open { try await $0.head()?.height } == 3)
                _ = try await backup.restore(from: folder, to: target.location, genesis: chain.genesis, replace: true)
                #expect(try await target.open { try await $0.head() }.map { manifest.matches($0) } == true)
                // A data file changed by one byte: refused by its checksum.
                let file = folder.appendingPathComponent(manifest.file)
                var bytes = try Data(contentsOf: file)
                bytes[bytes.count / 2] ^= 0x01
                try bytes.write(to: file)
                await Self.expectCode(.backupInvalid) {
                    _ = try await backup.restore(
                        from: folder, to: target.location, genesis: chain.genesis, replace: true)
                }
                // The store is still the one restored before.
                #expect(try await target.open { try await $0.head() }.map { manifest.matches($0) } == true)
            }
        }
    }

    /// A restore of the other backend's backup is refused by the manifest.
    @Test func aBackupRestoresOnlyToItsOwnBackend() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await ScratchStore.with(.sqlite) { source in
            try await source.open { store in
                try await store.migrate()
                try await TestChain.standard.commitAll(to: store, upTo: 2)
            }
            let backup = StoreBackup(logger: ScratchStore.logger)
            _ = try await backup.backup(source.location, genesis: TestChain.standard.genesis, to: folder)
            let postgres = StoreLocation.postgres(
                PostgresTarget(
                    host: "127.0.0.1", port: 1, username: "nobody", password: nil, database: "none", tls: .disable))
            await Self.expectCode(.backupInvalid) {
                _ = try await backup.restore(
                    from: folder, to: postgres, genesis: TestChain.standard.genesis, replace: true)
            }
        }
    }

    static func commit(_ commits: ArraySlice<BlockCommit>, to store: any LedgerStore) async throws {
        for commit in commits { try await store.commit(commit) }
    }

    static func expectCode(_ code: StoreError.Code, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code), but it succeeded")
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("expected \(code), got \(error)")
        }
    }
}
