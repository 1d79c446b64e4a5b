import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// `facet node backup` and `facet node restore` as an operator runs them: from a node's configuration, with progress
/// and the time taken on standard output, a refusal's code on standard error and exit status 1.
@Suite(.timeLimit(.minutes(5))) struct NodeBackupCLITests {
    /// A configuration naming `store` and `genesis` (backup and restore read no key).
    static func config(_ folder: TemporaryFolder, _ name: String, store: String, genesis: String) throws -> String {
        let json = """
            {"dataDirectory": "\(folder.path(name))", "genesisFile": "\(genesis)", \
            "validatorKeyFile": "\(folder.path("unused.key"))", "store": "\(store)"}
            """
        let path = folder.path("\(name).json")
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aBackupRestoresOntoAFreshStoreAndARestoreOverBlocksNeedsForce() async throws {
        let folder = try TemporaryFolder()
        let chain = SimulatedChain(seed: 3, blockSize: 8)
        let genesis = folder.path("genesis.json")
        try chain.genesis.jsonData().write(to: URL(fileURLWithPath: genesis))
        let source = "sqlite:\(folder.path("source.sqlite"))"
        let soak = try await FacetProcess.run(
            ["--store", source, "--seed", "3", "--blocks", "6", "--block-size", "8"], executable: "facet-soak")
        #expect(soak.status == 0, "\(soak.summary)")
        let sourceConfig = try Self.config(folder, "source", store: source, genesis: genesis)
        let targetConfig = try Self.config(
            folder, "target", store: "sqlite:\(folder.path("target.sqlite"))", genesis: genesis)
        let backupFolder = folder.path("backup")

        let backup = try await FacetProcess.run(["node", "backup", "--config", sourceConfig, "--out", backupFolder])
        #expect(backup.status == 0, "\(backup.summary)")
        #expect(backup.stdout.contains("100% ("), "page progress: \(backup.summary)")
        var replay = chain
        replay.advance(to: 6)
        #expect(
            backup.stdout.contains("backed up height 6 (state root \(replay.state.stateRoot.hex)"), "\(backup.summary)")
        #expect(FileManager.default.fileExists(atPath: backupFolder + "/manifest.json"))

        let restore = try await FacetProcess.run(["node", "restore", "--config", targetConfig, "--from", backupFolder])
        #expect(restore.status == 0, "\(restore.summary)")
        #expect(restore.stdout.contains("verifying: rebuilding the state at height 6"), "\(restore.summary)")
        #expect(restore.stdout.contains("restored and verified height 6"), "\(restore.summary)")

        let again = try await FacetProcess.run(["node", "restore", "--config", targetConfig, "--from", backupFolder])
        #expect(again.status == 1 && again.stderr.contains("store.not_empty"), "\(again.summary)")
        let forced = try await FacetProcess.run([
            "node", "restore", "--config", targetConfig, "--from", backupFolder, "--force",
        ])
        #expect(forced.status == 0, "\(forced.summary)")
        // Into the same folder again: refused, the backup left as it was.
        let repeated = try await FacetProcess.run(["node", "backup", "--config", sourceConfig, "--out", backupFolder])
        #expect(repeated.status == 1 && repeated.stderr.contains("store.not_empty"), "\(repeated.summary)")
    }
}
