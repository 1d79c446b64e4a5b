import FacetCore
import FacetLedger

/// What a node offers to state-sync a peer from: the certified header of block H (with its commit certificate), the
/// transparency log's frontier after H, and the SHA-256 of each chunk of the state rows at H
/// (`contracts/peer-protocol.md`, "State sync"). Nothing in it is trusted until `SnapshotCheck` says so; the rows the
/// chunk hashes name are trusted only once their assembled sparse Merkle root equals the header's state root.
public struct SnapshotManifest: Hashable, Sendable, CanonicalCodable {
    /// The most chunks one snapshot may have: 16 GiB of state at the largest chunk size.
    public static let maxChunks = 16_384
    /// The largest chunk, in bytes, a node builds or accepts.
    public static let maxChunkBytes = 1 << 20
    /// The largest encoded manifest: the chunk hashes, the header, a certificate of every validator and the frontier.
    public static let maxBytes = maxChunks * 33 + 64 * 1024

    public var header: BlockHeader
    public var certificate: CommitCertificate
    /// The log's perfect subtrees after H, largest first (`MerkleFrontier.subtrees`).
    public var logFrontier: [Hash256]
    /// How many state rows the chunks hold in all.
    public var recordCount: UInt64
    public var chunkHashes: [Hash256]

    public init(
        header: BlockHeader, certificate: CommitCertificate, logFrontier: [Hash256], recordCount: UInt64,
        chunkHashes: [Hash256]
    ) {
        self.header = header
        self.certificate = certificate
        self.logFrontier = logFrontier
        self.recordCount = recordCount
        self.chunkHashes = chunkHashes
    }

    public var height: UInt64 { header.height }
    /// Names this snapshot in chunk requests: two manifests with one hash are the same snapshot.
    public var hash: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(header)
        encoder.encode(certificate)
        encoder.list(logFrontier)
        encoder.u64(recordCount)
        encoder.list(chunkHashes)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        header = try decoder.decode()
        certificate = try decoder.decode()
        logFrontier = try decoder.list(max: 64)
        recordCount = try decoder.u64()
        chunkHashes = try decoder.list(max: Self.maxChunks)
    }
}
