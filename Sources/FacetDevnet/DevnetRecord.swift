import FacetCore
import FacetDemo
import FacetFiles
import FacetLedger
import Foundation

/// `FOLDER/devnet.json`: what a devnet was made from (the generator settings after the command line's overrides,
/// the validator count, the store) and, once its history is committed, what the history produced. A second
/// `facet devnet` reads it and resumes without regenerating; a devnet without `history` (interrupted while
/// loading) regenerates the same history from the same settings and commits only what is missing.
package struct DevnetRecord: Codable, Hashable {
    /// What the committed history produced, for the summary.
    package struct History: Codable, Hashable {
        package var height: UInt64
        package var stateRoot: String
        package var transactions: Int
        package var members: Int
        package var months: Int
        package var firstBlockTime: String
        package var lastBlockTime: String
        package var loans: [String: Int]
        package var doublePledge: Refusal?
        /// Each reference-price series' last price, where the live activity continues from.
        package var prices: [Int64]
        /// The scoring models registered at the end of the history: name and content hash.
        package var models: [String: String]?
        package var seconds: Double
    }

    /// The refused double pledge as the validators committed it.
    package struct Refusal: Codable, Hashable {
        package var transaction: String
        package var code: String
        package var height: UInt64
        package var month: Int
    }

    package var settings: GeneratorSettings
    package var validators: Int
    /// "sqlite", or the PostgreSQL server URL the validators' databases are on.
    package var store: String
    package var history: History?
    /// True for a devnet made with `--tls` (HTTPS APIs, mutual TLS between validators); absent before TLS existed.
    package var tls: Bool?

    package static func read(_ url: URL) throws -> DevnetRecord {
        let data = try LocalFiles.read(url.path)
        do {
            return try JSONDecoder().decode(DevnetRecord.self, from: data)
        } catch {
            throw DevnetFailure(
                .recordUnreadable, "\(url.path) is not a devnet record (\(error)); start over with --fresh")
        }
    }

    package func write(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try LocalFiles.write(try encoder.encode(self), to: url.path)
    }
}

/// The demo consortium a devnet is built from: the seed files, with the command line's overrides.
package enum DevnetSeeds {
    /// `seeds/` in the working directory, else the repository's (beside the sources this binary was built from).
    package static func folder(_ given: String?) throws -> URL {
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

    package static func consortiumSeed(in folder: URL) throws -> ConsortiumSeed {
        try ConsortiumSeed.decode(try LocalFiles.read(folder.appendingPathComponent("consortium.json").path))
    }

    package static func settings(in folder: URL) throws -> GeneratorSettings {
        try GeneratorSettings.decode(try LocalFiles.read(folder.appendingPathComponent("settings.json").path))
    }

    /// Moves the history so it ends two days before `now`: the validators' clocks run through the past and then
    /// switch to the real clock (a block may never be dated after it), and the credit features of live reports read
    /// the months just before the latest block, which must be the history's. Whole days, so the history's times stay
    /// on the generator's daily grid. True when the start moved.
    package static func endJustBefore(_ now: Timestamp, _ settings: inout GeneratorSettings) -> Bool {
        guard let start = settings.startTime else { return false }
        let span = Int64(settings.months) * HistoryGenerator.daysPerMonth * Timestamp.millisPerDay
        let latest = now.millis - span - 2 * Timestamp.millisPerDay
        let day = latest - latest % Timestamp.millisPerDay
        guard start.millis != day else { return false }
        settings.start = Timestamp(uncheckedMillis: day).rfc3339
        return true
    }
}
