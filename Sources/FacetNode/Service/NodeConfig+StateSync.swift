import FacetConsensus
import FacetCore

extension NodeConfig {
    /// State sync (`contracts/node-config.md`): whether this node joins from a peer's snapshot rather than replaying
    /// the chain from block 1, what it trusts, and how it serves snapshots to nodes that join.
    public struct StateSync: Codable, Hashable, Sendable {
        /// Join by state sync when the store holds no block (`facet node start --state-sync`); ignored otherwise.
        public var join: Bool
        /// A block the operator trusts (height and id in 64 hex digits, read from a node it trusts): only a snapshot
        /// of exactly that block is adopted. Both or neither; without them the genesis validators vouch.
        public var trustHeight: UInt64?
        public var trustHash: String?
        /// Serving: build a snapshot on request when the latest is this many heights behind; keep this many.
        public var snapshotInterval: UInt64
        public var snapshotsKept: Int
        public var chunkBytes: Int
        /// The joining side's patience: a request unanswered this long sets its peer aside.
        public var requestTimeoutMillis: Int

        public init(
            join: Bool = false, trustHeight: UInt64? = nil, trustHash: String? = nil, snapshotInterval: UInt64 = 1_000,
            snapshotsKept: Int = 2, chunkBytes: Int = SnapshotManifest.maxChunkBytes, requestTimeoutMillis: Int = 10_000
        ) {
            self.join = join
            self.trustHeight = trustHeight
            self.trustHash = trustHash
            self.snapshotInterval = snapshotInterval
            self.snapshotsKept = snapshotsKept
            self.chunkBytes = chunkBytes
            self.requestTimeoutMillis = requestTimeoutMillis
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case join, trustHeight, trustHash, snapshotInterval, snapshotsKept, chunkBytes, requestTimeoutMillis
        }

        public init(from decoder: any Decoder) throws {
            try NodeConfig.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = StateSync()
            self.init(
                join: try container.decodeIfPresent(Bool.self, forKey: .join) ?? defaults.join,
                trustHeight: try container.decodeIfPresent(UInt64.self, forKey: .trustHeight),
                trustHash: try container.decodeIfPresent(String.self, forKey: .trustHash),
                snapshotInterval: try container.decodeIfPresent(UInt64.self, forKey: .snapshotInterval)
                    ?? defaults.snapshotInterval,
                snapshotsKept: try container.decodeIfPresent(Int.self, forKey: .snapshotsKept)
                    ?? defaults.snapshotsKept,
                chunkBytes: try container.decodeIfPresent(Int.self, forKey: .chunkBytes) ?? defaults.chunkBytes,
                requestTimeoutMillis: try container.decodeIfPresent(Int.self, forKey: .requestTimeoutMillis)
                    ?? defaults.requestTimeoutMillis)
        }

        /// The trusted block, when both halves are given and the hash parses.
        public func trustedBlock() throws(NodeConfigError) -> SnapshotTrust.TrustedBlock? {
            switch (trustHeight, trustHash) {
            case (nil, nil):
                return nil
            case (let height?, let hash?):
                guard height > 0, let id = Hash256(hex: hash) else {
                    throw NodeConfigError(
                        .invalid, "stateSync.trustHeight is above 0 and stateSync.trustHash is 64 hex digits")
                }
                return SnapshotTrust.TrustedBlock(height: height, id: id)
            default:
                throw NodeConfigError(.invalid, "stateSync.trustHeight and stateSync.trustHash go together")
            }
        }

        func validate() throws(NodeConfigError) {
            _ = try trustedBlock()
            guard snapshotInterval >= 1, (1...16).contains(snapshotsKept),
                (1024...SnapshotManifest.maxChunkBytes).contains(chunkBytes),
                (100...600_000).contains(requestTimeoutMillis)
            else {
                throw NodeConfigError(
                    .invalid,
                    "stateSync: snapshotInterval ≥ 1, snapshotsKept 1 to 16, chunkBytes 1024 to "
                        + "\(SnapshotManifest.maxChunkBytes), requestTimeoutMillis 100 to 600000")
            }
        }
    }
}
