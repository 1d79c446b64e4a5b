import FacetCore
import Foundation

/// What a backup folder holds, written last as `manifest.json` (its presence marks a finished backup): the format,
/// the backend and its data file with its size and SHA-256, and the chain and head the copy holds. `facet node
/// restore` checks all of it, before it touches the target and again on the restored store.
public struct BackupManifest: Codable, Hashable, Sendable {
    public static let fileName = "manifest.json"
    /// The version of this layout; a restore refuses any other.
    public static let currentFormat = 1

    public enum Backend: String, Codable, Hashable, Sendable {
        /// `file` is a SQLite database (the backup API's copy of the node's file).
        case sqlite
        /// `file` is a `pg_dump` archive in custom format (`pg_restore` reads it).
        case postgres
    }

    public var format: Int
    public var backend: Backend
    /// The data file's name inside the backup folder.
    public var file: String
    public var bytes: Int64
    /// Lowercase hex SHA-256 of the data file.
    public var sha256: String
    public var chainID: String
    /// Hex `Genesis.hash` of the chain the copy belongs to.
    public var genesisHash: String
    public var height: UInt64
    public var blockID: String
    public var stateRoot: String
    public var logSize: UInt64
    public var logRoot: String
    /// When the copy was taken (RFC 3339, UTC), for operators; nothing checks it.
    public var createdAt: String
    /// The store it was taken from, without any password.
    public var source: String

    public init(
        backend: Backend, file: String, bytes: Int64, sha256: String, chainID: String, genesisHash: Hash256,
        head: StoreHead?, createdAt: Date, source: String
    ) {
        format = Self.currentFormat
        self.backend = backend
        self.file = file
        self.bytes = bytes
        self.sha256 = sha256
        self.chainID = chainID
        self.genesisHash = genesisHash.hex
        height = head?.height ?? 0
        blockID = (head?.blockID ?? Hash256.zero).hex
        stateRoot = (head?.stateRoot ?? Hash256.zero).hex
        logSize = head?.logSize ?? 0
        logRoot = (head?.logRoot ?? Hash256.zero).hex
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        self.createdAt = formatter.string(from: createdAt)
        self.source = source
    }

    /// The manifest of the backup in `folder`, checked to be one this binary restores.
    public static func read(folder: URL) throws(StoreError) -> BackupManifest {
        let url = folder.appendingPathComponent(fileName)
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(contentsOf: url))
        } catch {
            throw StoreError(.backupInvalid, "\(url.path) is missing or not a backup manifest: \(error)")
        }
        guard manifest.format == currentFormat else {
            throw StoreError(
                .backupInvalid,
                "\(url.path) is backup format \(manifest.format); this binary restores format \(currentFormat)")
        }
        guard !manifest.file.contains("/"), !manifest.file.hasPrefix(".") else {
            throw StoreError(.backupInvalid, "\(url.path) names a data file outside its folder: \(manifest.file)")
        }
        return manifest
    }

    public func write(folder: URL) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
        } catch {
            throw StoreError(.unavailable, "writing \(Self.fileName) in \(folder.path): \(error)")
        }
    }

    /// Whether `head` is the head this manifest records.
    public func matches(_ head: StoreHead?) -> Bool {
        height == (head?.height ?? 0) && blockID == (head?.blockID ?? Hash256.zero).hex
            && stateRoot == (head?.stateRoot ?? Hash256.zero).hex && logSize == (head?.logSize ?? 0)
            && logRoot == (head?.logRoot ?? Hash256.zero).hex
    }
}
