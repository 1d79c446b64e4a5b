import FacetCore
import FacetLedger

/// What validators send each other inside peer frames (`contracts/peer-protocol.md`), canonically encoded with a
/// one-byte tag. Consensus messages carry their own signatures; transactions carry their signers'; synced blocks
/// carry their commit certificates. Nothing here is trusted before it is checked.
public enum ValidatorMessage: Hashable, Sendable, CanonicalCodable {
    /// A proposal and, unless the proposer no longer holds it (a re-proposal after its restart), the block.
    case proposal(Proposal, ProposedBlock?)
    case vote(Vote)
    /// Transactions a client submitted to the sender, forwarded once to every validator's mempool.
    case transactions([Transaction])
    /// The sender's committed head, sent after each commit and periodically: a validator that is behind learns
    /// whom to sync from.
    case status(height: UInt64, blockID: Hash256)
    /// Committed blocks from `from` on, at most `limit`.
    case syncRequest(from: UInt64, limit: UInt32)
    /// The answer to a sync request: consecutive committed blocks with their certificates (possibly none).
    case syncBlocks([CertifiedBlock])
    /// State sync (`StateSyncMachine`): asks for the sender's latest snapshot manifest.
    case snapshotRequest
    /// The answer to `snapshotRequest`: the latest snapshot's manifest, or nil when the sender has none.
    case snapshotManifest(SnapshotManifest?)
    /// Asks for chunk `index` of the snapshot whose manifest hashes to `manifest`.
    case chunkRequest(manifest: Hash256, index: UInt32)
    /// The answer: the chunk's bytes (at most `SnapshotManifest.maxChunkBytes`, checked before they are read).
    case chunk(manifest: Hash256, index: UInt32, bytes: [UInt8])

    /// At most this many blocks per sync answer, and transactions per gossip message.
    public static let maxSyncBlocks = 64
    public static let maxGossipTransactions = 4_096
    /// The largest encoded message: the peer transport's frame bound (`PeerConfig.defaultMaxFrameBytes`), room for
    /// an 8 MiB block with its certificate. Decoding with the default limit (one transaction's, 16 KiB) would drop
    /// every proposal, gossip batch or sync answer above it as malformed.
    public static let maxBytes = 16 * 1024 * 1024
    /// The largest proposal message with its block: the block limit (`Limits.maxBlockBytes` of transactions) plus
    /// room for the header, the proposal and the encoding's framing. A proposal over it is refused before its block
    /// is executed. Half the frame bound, so a decided block always fits a sync answer with its certificate
    /// (`maxSyncAnswerBytes`).
    public static let maxProposalBytes = Limits.maxBlockBytes + 64 * 1024
    /// The largest sync answer of one block: the proposal bound (over the block alone) with a certificate of every
    /// validator's signature and the answer's framing. Below `maxBytes`, so any decided block can be served.
    public static let maxSyncAnswerBytes = maxProposalBytes + Limits.maxValidators * 128 + 1024

    /// The height a proposal or vote is for; nil for the other messages.
    public var consensusHeight: UInt64? {
        switch self {
        case .proposal(let proposal, _): proposal.height
        case .vote(let vote): vote.height
        case .transactions, .status, .syncRequest, .syncBlocks, .snapshotRequest, .snapshotManifest, .chunkRequest,
            .chunk:
            nil
        }
    }

    public var label: String {
        switch self {
        case .proposal: "proposal"
        case .vote: "vote"
        case .transactions: "transactions"
        case .status: "status"
        case .syncRequest: "sync_request"
        case .syncBlocks: "sync_blocks"
        case .snapshotRequest: "snapshot_request"
        case .snapshotManifest: "snapshot_manifest"
        case .chunkRequest: "chunk_request"
        case .chunk: "chunk"
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .proposal(let proposal, let block):
            encoder.u8(1)
            encoder.encode(proposal)
            encoder.optional(block)
        case .vote(let vote):
            encoder.u8(2)
            encoder.encode(vote)
        case .transactions(let transactions):
            encoder.u8(3)
            encoder.list(transactions)
        case .status(let height, let blockID):
            encoder.u8(4)
            encoder.u64(height)
            encoder.encode(blockID)
        case .syncRequest(let from, let limit):
            encoder.u8(5)
            encoder.u64(from)
            encoder.u32(limit)
        case .syncBlocks(let blocks):
            encoder.u8(6)
            encoder.list(blocks)
        case .snapshotRequest:
            encoder.u8(7)
        case .snapshotManifest(let manifest):
            encoder.u8(8)
            encoder.optional(manifest)
        case .chunkRequest(let manifest, let index):
            encoder.u8(9)
            encoder.encode(manifest)
            encoder.u32(index)
        case .chunk(let manifest, let index, let bytes):
            encoder.u8(10)
            encoder.encode(manifest)
            encoder.u32(index)
            encoder.byteString(bytes)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.u8() {
        case 1: self = .proposal(try decoder.decode(), try decoder.optional())
        case 2: self = .vote(try decoder.decode())
        case 3: self = .transactions(try decoder.list(max: Self.maxGossipTransactions))
        case 4: self = .status(height: try decoder.u64(), blockID: try decoder.decode())
        case 5: self = .syncRequest(from: try decoder.u64(), limit: try decoder.u32())
        case 6: self = .syncBlocks(try decoder.list(max: Self.maxSyncBlocks))
        case 7: self = .snapshotRequest
        case 8: self = .snapshotManifest(try decoder.optional())
        case 9: self = .chunkRequest(manifest: try decoder.decode(), index: try decoder.u32())
        case 10:
            self = .chunk(
                manifest: try decoder.decode(), index: try decoder.u32(),
                bytes: try decoder.byteString(max: SnapshotManifest.maxChunkBytes))
        case let tag: throw CoreError(.unknownTag, "unknown peer message tag \(tag)")
        }
    }
}
