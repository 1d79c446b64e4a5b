import FacetConsensus
import FacetCore
import FacetLedger

/// The snapshots a validator serves to joining nodes: the last few, each a manifest with its chunks, built from the
/// node's head state at one moment (`LedgerNode.snapshotSource`). Bounded: `kept` snapshots, each as large as the
/// state's rows.
struct SnapshotShelf: Sendable {
    let kept: Int
    private(set) var snapshots: [(manifest: SnapshotManifest, hash: Hash256, chunks: [[UInt8]])] = []

    init(kept: Int) {
        precondition(kept > 0, "a shelf keeps at least one snapshot")
        self.kept = kept
    }

    var latest: SnapshotManifest? { snapshots.last?.manifest }

    /// Whether a snapshot of `height` is due: none yet, or the latest is `interval` heights behind.
    func due(head height: UInt64, interval: UInt64) -> Bool {
        guard let latest else { return height > 0 }
        return height >= latest.height &+ interval
    }

    mutating func add(_ manifest: SnapshotManifest, chunks: [[UInt8]]) {
        snapshots.append((manifest, manifest.hash, chunks))
        if snapshots.count > kept { snapshots.removeFirst(snapshots.count - kept) }
    }

    func chunk(manifest: Hash256, index: Int) -> [UInt8]? {
        guard let snapshot = snapshots.last(where: { $0.hash == manifest }), snapshot.chunks.indices.contains(index)
        else { return nil }
        return snapshot.chunks[index]
    }
}
