import ArgumentParser
import FacetDevnet

/// `facet devnet`: the demo consortium of `seeds/` as a living local network, in one command. The options become a
/// `DevnetRun.Settings`; FacetDevnet does the rest (see `DevnetRun`).
struct Devnet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the demo consortium: validators on loopback with real TCP, its history, live activity.",
        discussion: """
            The first run commits the generated history (seeds/settings.json: 24 months, 330 firms by default); \
            build in release mode for it (`swift run -c release facet devnet`). Later runs resume the folder.
            """)

    @Option(help: "The devnet's folder; an existing one is resumed.") var dir = "devnet"
    @Flag(help: "Delete the folder (and the validators' PostgreSQL databases) and start over.") var fresh = false
    @Option(
        help: ArgumentHelp(
            "Where validators keep their ledgers: sqlite (a file each) or a PostgreSQL server URL.",
            discussion:
                "With postgres://USER@HOST:PORT/DATABASE validator i uses database DATABASE_v<i>, created if missing."))
    var store = "sqlite"
    @Option(help: "Validators (1 to 16; default: the seed file's).") var validators: Int?
    @Option(help: "Firms (default: seeds/settings.json).") var firms: Int?
    @Option(help: "Months of history (default: seeds/settings.json).") var months: Int?
    @Option(help: "The generator's random seed (default: seeds/settings.json).") var seed: UInt64?
    @Option(help: "The seed files' folder (default: ./seeds, else the repository's).") var seeds: String?
    @Option(help: "First HTTP API port; validator i listens on PORT+i.") var apiPort = 7700
    @Option(help: "First peer port; validator i listens for validators on PORT+i.") var peerPort = 7800
    @Option(help: "Milliseconds between blocks while there is activity.") var blockMillis = 1_000
    @Option(help: "Milliseconds between live member actions once the history is in (0: none).") var activityMillis =
        3_000
    @Option(help: "Seconds between status lines (0: none).") var statusEvery = 10
    @Flag(
        help: ArgumentHelp(
            "HTTPS APIs and mutual TLS between validators, on the devnet's own CA (written to FOLDER/tls/).",
            discussion: "Chosen when the folder is created; a resumed devnet keeps what it was made with."))
    var tls = false

    func validate() throws {
        if let validators, !(1...16).contains(validators) { throw ValidationError("--validators is 1 to 16") }
        guard (10...3_600_000).contains(blockMillis) else { throw ValidationError("--block-millis is 10 to 3600000") }
        guard activityMillis >= 0, statusEvery >= 0 else {
            throw ValidationError("--activity-millis and --status-every are 0 or more")
        }
        guard store == "sqlite" || store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") else {
            throw ValidationError("--store is sqlite or a postgres:// URL")
        }
    }

    var settings: DevnetRun.Settings {
        var settings = DevnetRun.Settings()
        settings.dir = dir
        settings.fresh = fresh
        settings.store = store
        settings.validators = validators
        settings.firms = firms
        settings.months = months
        settings.seed = seed
        settings.seeds = seeds
        settings.apiPort = apiPort
        settings.peerPort = peerPort
        settings.blockMillis = blockMillis
        settings.activityMillis = activityMillis
        settings.statusEvery = statusEvery
        settings.tls = tls
        return settings
    }

    /// A folder `--fresh` must not delete and a `--store` URL that does not parse are usage errors (exit 64).
    func run() async throws {
        do {
            try await DevnetRun(settings).run()
        } catch let failure as DevnetFailure where [.notADevnet, .storeInvalid].contains(failure.code) {
            throw ValidationError(failure.message)
        }
    }
}
