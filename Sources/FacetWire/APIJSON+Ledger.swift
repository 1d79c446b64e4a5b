import FacetCore
import FacetLedger

/// Chain-level bodies: status, transactions, blocks and history entries.
extension APIJSON {
    public struct MempoolBody: Codable, Hashable, Sendable {
        public var count: Int
        public var bytes: Int

        public init(count: Int, bytes: Int) {
            self.count = count
            self.bytes = bytes
        }
    }

    /// `GET /v1/status`.
    public struct StatusBody: Codable, Hashable, Sendable {
        public var chainID: String
        /// This node's id (its validator's member id): what a signed read names to be answered here.
        public var node: String
        public var height: UInt64
        public var blockID: String?
        public var stateRoot: String
        public var time: Int64?
        public var logSize: Int?
        public var mempool: MempoolBody
        /// The validators this one is connected to (member ids); empty for a lone validator.
        public var peers: [String]
        public var consensus: ConsensusBody?

        public init(
            chainID: String, node: String, height: UInt64, blockID: String? = nil, stateRoot: String,
            time: Int64? = nil, logSize: Int? = nil, mempool: MempoolBody, peers: [String],
            consensus: ConsensusBody? = nil
        ) {
            self.chainID = chainID
            self.node = node
            self.height = height
            self.blockID = blockID
            self.stateRoot = stateRoot
            self.time = time
            self.logSize = logSize
            self.mempool = mempool
            self.peers = peers
            self.consensus = consensus
        }

        /// Where consensus stands: `voting`, `syncing` (behind its peers, fetching blocks), `store_unavailable` or
        /// `stalled`.
        public struct ConsensusBody: Codable, Hashable, Sendable {
            public var mode: String
            public var height: UInt64
            public var round: UInt32
            public var step: String
            public var bestPeerHeight: UInt64

            public init(mode: String, height: UInt64, round: UInt32, step: String, bestPeerHeight: UInt64) {
                self.mode = mode
                self.height = height
                self.round = round
                self.step = step
                self.bestPeerHeight = bestPeerHeight
            }
        }
    }

    /// A transaction's status: `pending`, `committed` (accepted) or `rejected` (committed with a refusal code).
    public struct TransactionStatusBody: Codable, Hashable, Sendable {
        public enum State: String, Codable, Hashable, Sendable {
            case pending, committed, rejected
        }

        public var id: String
        public var status: State
        public var height: UInt64?
        public var index: Int?
        public var kind: String?
        public var code: String?
        public var message: String?
        /// Whether the transaction's signer is suspended now: what it attested weighs as self-issued. Nil where
        /// the answer names no committed transaction's signer (a submission's acknowledgement, a block's list).
        public var signerSuspended: Bool?

        public init(
            id: String, status: State, height: UInt64? = nil, index: Int? = nil, kind: String? = nil,
            code: String? = nil, message: String? = nil, signerSuspended: Bool? = nil
        ) {
            self.id = id
            self.status = status
            self.height = height
            self.index = index
            self.kind = kind
            self.code = code
            self.message = message
            self.signerSuspended = signerSuspended
        }
    }

    /// A block header: its fields, and its canonical encoding for a client that checks the certificate itself.
    public struct HeaderBody: Codable, Hashable, Sendable {
        public var chainID: String
        public var height: UInt64
        public var time: Int64
        public var previousBlockID: String
        public var transactionRoot: String
        public var transactionCount: UInt32
        public var resultsRoot: String
        public var logSize: UInt64
        public var logRoot: String
        public var stateRoot: String
        public var validatorsHash: String
        public var nextValidatorsHash: String
        public var proposer: String
        public var encoded: String

        public init(
            chainID: String, height: UInt64, time: Int64, previousBlockID: String, transactionRoot: String,
            transactionCount: UInt32, resultsRoot: String, logSize: UInt64, logRoot: String, stateRoot: String,
            validatorsHash: String, nextValidatorsHash: String, proposer: String, encoded: String
        ) {
            self.chainID = chainID
            self.height = height
            self.time = time
            self.previousBlockID = previousBlockID
            self.transactionRoot = transactionRoot
            self.transactionCount = transactionCount
            self.resultsRoot = resultsRoot
            self.logSize = logSize
            self.logRoot = logRoot
            self.stateRoot = stateRoot
            self.validatorsHash = validatorsHash
            self.nextValidatorsHash = nextValidatorsHash
            self.proposer = proposer
            self.encoded = encoded
        }

        public init(_ header: BlockHeader) {
            chainID = header.chainID.value
            height = header.height
            time = header.time.millis
            previousBlockID = header.previousBlockID.hex
            transactionRoot = header.transactionRoot.hex
            transactionCount = header.transactionCount
            resultsRoot = header.resultsRoot.hex
            logSize = header.logSize
            logRoot = header.logRoot.hex
            stateRoot = header.stateRoot.hex
            validatorsHash = header.validatorsHash.hex
            nextValidatorsHash = header.nextValidatorsHash.hex
            proposer = header.proposer.hex
            encoded = Hex.encode(header.canonicalBytes)
        }
    }

    public struct CommitSignatureBody: Codable, Hashable, Sendable {
        public var validator: String
        public var signature: String

        public init(validator: String, signature: String) {
            self.validator = validator
            self.signature = signature
        }
    }

    public struct CertificateBody: Codable, Hashable, Sendable {
        public var height: UInt64
        public var round: UInt32
        public var blockID: String
        public var signatures: [CommitSignatureBody]
        public var encoded: String

        public init(
            height: UInt64, round: UInt32, blockID: String, signatures: [CommitSignatureBody], encoded: String
        ) {
            self.height = height
            self.round = round
            self.blockID = blockID
            self.signatures = signatures
            self.encoded = encoded
        }

        public init(_ certificate: CommitCertificate) {
            height = certificate.height
            round = certificate.round
            blockID = certificate.blockID.hex
            signatures = certificate.signatures.map {
                CommitSignatureBody(validator: $0.validator.hex, signature: $0.signature.hex)
            }
            encoded = Hex.encode(certificate.canonicalBytes)
        }
    }

    /// `GET /v1/blocks/{height}` and `/v1/blocks/latest`: the header and certificate, and the transactions the
    /// reader may see (`visible`, one flag per transaction; none to an anonymous reader).
    public struct BlockBody: Codable, Hashable, Sendable {
        public var id: String
        public var header: HeaderBody
        public var certificate: CertificateBody
        public var transactions: [TransactionStatusBody]

        public init(
            id: String, header: HeaderBody, certificate: CertificateBody, transactions: [TransactionStatusBody]
        ) {
            self.id = id
            self.header = header
            self.certificate = certificate
            self.transactions = transactions
        }
    }

    /// One step of a piece's or a firm's history.
    public struct HistoryEntryBody: Codable, Hashable, Sendable {
        public var height: UInt64
        public var index: Int?
        public var time: Int64
        public var transaction: String
        public var kind: String
        public var signer: String
        public var accepted: Bool
        /// Whether the signer is suspended now: the step it attested weighs as self-issued.
        public var signerSuspended: Bool?

        public init(
            height: UInt64, index: Int? = nil, time: Int64, transaction: String, kind: String, signer: String,
            accepted: Bool, signerSuspended: Bool? = nil
        ) {
            self.height = height
            self.index = index
            self.time = time
            self.transaction = transaction
            self.kind = kind
            self.signer = signer
            self.accepted = accepted
            self.signerSuspended = signerSuspended
        }
    }
}
