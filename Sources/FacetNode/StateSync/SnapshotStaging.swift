import FacetConsensus
import FacetCore
import Foundation

/// Where a joining node keeps a snapshot download while it runs: a folder under the data directory holding the
/// manifest and each chunk that verified, one file each, written to a temporary name and renamed. A restart reads it
/// back (`load`), checking every chunk against the manifest again; a file that does not check out is removed and
/// fetched again.
public struct SnapshotStaging: Sendable {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// `<dataDirectory>/state-sync`.
    public init(dataDirectory: String) {
        self.init(folder: URL(fileURLWithPath: dataDirectory).appendingPathComponent("state-sync"))
    }

    private var manifestFile: URL { folder.appendingPathComponent("manifest") }
    private func chunkFile(_ index: Int) -> URL { folder.appendingPathComponent("chunk-\(index)") }

    /// The download in progress, if any: its manifest and the chunks already verified.
    public func load() -> (manifest: SnapshotManifest, have: Set<Int>)? {
        guard let data = try? Data(contentsOf: manifestFile),
            let manifest = try? SnapshotManifest(canonicalBytes: [UInt8](data), limit: SnapshotManifest.maxBytes)
        else { return nil }
        var have = Set<Int>()
        for index in manifest.chunkHashes.indices {
            guard let bytes = try? Data(contentsOf: chunkFile(index)) else { continue }
            if StateSnapshot.chunkMatches([UInt8](bytes), index: index, of: manifest) {
                have.insert(index)
            } else {
                try? FileManager.default.removeItem(at: chunkFile(index))
            }
        }
        return (manifest, have)
    }

    /// Starts over with `manifest`: whatever was staged goes.
    public func reset(to manifest: SnapshotManifest) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try write(manifest.canonicalBytes, to: manifestFile)
    }

    public func store(chunk bytes: [UInt8], index: Int) throws {
        try write(bytes, to: chunkFile(index))
    }

    /// Every chunk of `manifest`, in order; throws when one is missing.
    public func chunks(of manifest: SnapshotManifest) throws -> [[UInt8]] {
        try manifest.chunkHashes.indices.map { [UInt8](try Data(contentsOf: chunkFile($0))) }
    }

    public func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Foundation's atomic write: a temporary file renamed over the target. Not fsynced: after a power loss a file
    /// may be torn, and `load` then finds it does not match its hash and fetches it again.
    private func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url, options: .atomic)
    }
}
