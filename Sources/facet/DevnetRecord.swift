import FacetCore
import FacetDemo
import FacetLedger
import Foundation

/// `FOLDER/devnet.json`: what a devnet was made from (the generator settings after the command line's overrides,
/// the validator count, the store) and, once its history is committed, what the history produced. A second
/// `facet devnet` reads it and resumes without regenerating; a devnet without `history` (interrupted while
/// loading) regenerates the same history from the same settings and commits only what is missing.
struct DevnetRecord: Codable, Hashable {
    /// What the committed history produced, for the summary.
    struct History: Codable, Hashable {
        var height: UInt64
        var stateRoot: String
        var transactions: Int
        var members: Int
        var months: Int
        var firstBlockTime: String
        var lastBlockTime: String
        var loans: [String: Int]
        var doublePledge: Refusal?
        /// Each reference-price series' last price, where the live activity continues from.
        var prices: [Int64]
        /// The scoring models registered at the end of the history: name and content hash.
        var models: [String: String]?
        var seconds: Double
    }

    /// The refused double pledge as the validators committed it.
    struct Refusal: Codable, Hashable {
        var transaction: String
        var code: String
        var height: UInt64
        var month: Int
    }

    var settings: GeneratorSettings
    var validators: Int
    /// "sqlite", or the PostgreSQL server URL the validators' databases are on.
    var store: String
    var history: History?
    /// True for a devnet made with `--tls` (HTTPS APIs, mutual TLS between validators); absent before TLS existed.
    var tls: Bool?

    static func read(_ url: URL) throws -> DevnetRecord {
        let data = try CLIFiles.read(url.path)
        do {
            return try JSONDecoder().decode(DevnetRecord.self, from: data)
        } catch {
            throw DevnetFailure(
                .recordUnreadable, "\(url.path) is not a devnet record (\(error)); start over with --fresh")
        }
    }

    func write(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try CLIFiles.write(try encoder.encode(self), to: url.path)
    }
}

/// The demo consortium a devnet is built from: the seed files, with the command line's overrides.
enum DevnetSeeds {
    /// `seeds/` in the working directory, else the repository's (beside the sources this binary was built from).
    static func folder(_ given: String?) throws -> URL {
        if let given { return URL(fileURLWithPath: given) }
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("seeds"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("seeds"),
        ]
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("consortium.json").path) {
            return candidate
        }
        throw DevnetFailure(
            .seedsMissing,
            "no seeds/consortium.json here or in the repository; run from the repository or pass --seeds FOLDER")
    }

    static func consortiumSeed(in folder: URL) throws -> ConsortiumSeed {
        try ConsortiumSeed.decode(try CLIFiles.read(folder.appendingPathComponent("consortium.json").path))
    }

    static func settings(in folder: URL) throws -> GeneratorSettings {
        try GeneratorSettings.decode(try CLIFiles.read(folder.appendingPathComponent("settings.json").path))
    }

    /// Moves the history so it ends two days before `now`: the validators' clocks run through the past and then
    /// switch to the real clock (a block may never be dated after it), and the credit features of live reports read
    /// the months just before the latest block, which must be the history's. Whole days, so the history's times stay
    /// on the generator's daily grid. True when the start moved.
    static func endJustBefore(_ now: Timestamp, _ settings: inout GeneratorSettings) -> Bool {
        guard let start = settings.startTime else { return false }
        let span = Int64(settings.months) * HistoryGenerator.daysPerMonth * Timestamp.millisPerDay
        let latest = now.millis - span - 2 * Timestamp.millisPerDay
        let day = latest - latest % Timestamp.millisPerDay
        guard start.millis != day else { return false }
        settings.start = Timestamp(uncheckedMillis: day).rfc3339
        return true
    }
}
