import FacetCore
import FacetLedger
import FacetStore

/// An error from the node: a stable code (its own, or the ledger's, mempool's or store's it passes on), a message,
/// and the class of the refusal. The API layer alone maps the class to an HTTP status (`APIError.init(_: NodeError)`).
public struct NodeError: CodedError {
    public enum Kind: Hashable, Sendable {
        /// Malformed or refused input.
        case badRequest
        /// Nothing by that id.
        case notFound
        /// The mempool is full: try again after a block.
        case busy
        /// The store is unreachable or the node not ready.
        case unavailable
    }

    public struct Code: ErrorCode {
        public let rawValue: String
        public static let notValidator = Code(rawValue: "node.not_validator")
        public static let needsConsensus = Code(rawValue: "node.needs_consensus")
        public static let unknownBlock = Code(rawValue: "node.unknown_block")
        public static let badCertificate = Code(rawValue: "node.bad_certificate")
        /// The credit index needs every block from 1; this node state-synced and holds none before its base.
        public static let creditNeedsHistory = Code(rawValue: "node.credit_needs_history")
        /// `/healthz`: consensus cannot store what it signs or commit.
        public static let storeUnavailable = Code(rawValue: "consensus.store_unavailable")
        /// `/healthz`: the validator's height stands still while a peer backs a higher one.
        public static let stalled = Code(rawValue: "consensus.stalled")
    }

    public let code: String
    public let message: String
    public let kind: Kind

    public init(code: String, _ message: String, kind: Kind) {
        self.code = code
        self.message = message
        self.kind = kind
    }

    public init(_ code: Code, _ message: String, kind: Kind = .unavailable) {
        self.init(code: code.rawValue, message, kind: kind)
    }

    /// Another module's refusal (the ledger's, the mempool's, the encoding's), its code kept, in the class given.
    public init(_ error: some CodedError, kind: Kind) {
        self.init(code: error.errorCode, error.message, kind: kind)
    }

    /// A store failure: the node says which without echoing internals.
    public init(store error: StoreError) {
        self.init(error, kind: .unavailable)
    }

    public var errorCode: String { code }
}

/// What a node reports about itself.
public struct NodeStatus: Hashable, Sendable {
    public let chainID: String
    public let height: UInt64
    public let blockID: Hash256
    public let stateRoot: Hash256
    public let time: Timestamp
    public let logSize: Int
    public let mempoolCount: Int
    public let mempoolBytes: Int
    /// Where consensus stands; nil for a lone validator.
    public var consensus: ConsensusInfo? = nil
}

/// What a validator's consensus reports for its status: voting, syncing, store_unavailable or stalled; the round
/// and step at the current height; the best height a peer backs; the validators it is connected to.
public struct ConsensusInfo: Hashable, Sendable {
    public var mode: String
    public var height: UInt64
    public var round: UInt32
    public var step: String
    public var bestPeerHeight: UInt64
    public var peers: [MemberID]
    /// Why the validator is unhealthy (its store fails, its height stalled), for `/healthz`; nil when healthy.
    public var unhealthy: NodeError?

    public init(
        mode: String, height: UInt64, round: UInt32, step: String, bestPeerHeight: UInt64, peers: [MemberID],
        unhealthy: NodeError? = nil
    ) {
        self.unhealthy = unhealthy
        self.mode = mode
        self.height = height
        self.round = round
        self.step = step
        self.bestPeerHeight = bestPeerHeight
        self.peers = peers
    }
}

/// Where a transaction stands.
public enum TransactionStatus: Hashable, Sendable {
    case pending(kind: TransactionKindName)
    case committed(height: UInt64, index: Int, result: TransactionResult)
}
