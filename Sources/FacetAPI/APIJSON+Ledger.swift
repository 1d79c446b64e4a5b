import FacetCore
import FacetLedger
import FacetNode
import FacetStore

/// Chain-level bodies: status, transactions, blocks and history entries.
extension APIJSON {
    public struct MempoolBody: Codable, Hashable, Sendable {
        public var count: Int
        public var bytes: Int
    }

    /// `GET /v1/status`.
    public struct StatusBody: Codable, Hashable, Sendable {
        public var chainID: String
        /// This node's id (its validator's member id): what a signed read names to be answered here.
        public var node: String
        public var height: UInt64
        public var blockID: String
        public var stateRoot: String
        public var time: Int64
        public var logSize: Int
        public var mempool: MempoolBody
        /// The validators this one is connected to (member ids); empty for a lone validator.
        public var peers: [String]
        public var consensus: ConsensusBody?

        /// Where consensus stands: `voting`, `syncing` (behind its peers, fetching blocks), `store_unavailable` or
        /// `stalled`.
        public struct ConsensusBody: Codable, Hashable, Sendable {
            public var mode: String
            public var height: UInt64
            public var round: UInt32
            public var step: String
            public var bestPeerHeight: UInt64
        }

        init(_ status: NodeStatus, node: MemberID) {
            chainID = status.chainID
            self.node = node.hex
            height = status.height
            blockID = status.blockID.hex
            stateRoot = status.stateRoot.hex
            time = status.time.millis
            logSize = status.logSize
            mempool = MempoolBody(count: status.mempoolCount, bytes: status.mempoolBytes)
            peers = status.consensus?.peers.map(\.hex) ?? []
            consensus = status.consensus.map {
                ConsensusBody(
                    mode: $0.mode, height: $0.height, round: $0.round, step: $0.step, bestPeerHeight: $0.bestPeerHeight)
            }
        }
    }

    /// A transaction's status: `pending`, `committed` (accepted) or `rejected` (committed with a refusal code).
    public struct TransactionStatusBody: Codable, Hashable, Sendable {
        public var id: String
        public var status: String
        public var height: UInt64?
        public var index: Int?
        public var kind: String?
        public var code: String?
        public var message: String?
        /// Whether the transaction's signer is suspended now: what it attested weighs as self-issued. Nil where
        /// the answer names no committed transaction's signer (a submission's acknowledgement, a block's list).
        public var signerSuspended: Bool?

        init(id: TransactionID, status: TransactionStatus, kind: String?, signerSuspended: Bool? = nil) {
            self.id = id.hex
            self.kind = kind
            self.signerSuspended = signerSuspended
            switch status {
            case .pending(let pendingKind):
                self.status = "pending"
                self.kind = pendingKind.description
            case .committed(let height, let index, let result):
                self.status = result.accepted ? "committed" : "rejected"
                self.height = height
                self.index = index
                // The code only: a refusal's message may carry amounts or counterparties (`contracts/privacy.md`).
                code = result.error?.code.rawValue
            }
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

        init(_ header: BlockHeader) {
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
    }

    public struct CertificateBody: Codable, Hashable, Sendable {
        public var height: UInt64
        public var round: UInt32
        public var blockID: String
        public var signatures: [CommitSignatureBody]
        public var encoded: String

        init(_ certificate: CommitCertificate) {
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

        init(_ block: StoredBlock, visible: [Bool]) {
            precondition(visible.count == block.transactions.count, "one flag per transaction")
            id = block.header.id.hex
            header = HeaderBody(block.header)
            certificate = CertificateBody(block.certificate)
            transactions = zip(block.transactions, block.results).enumerated().compactMap { index, pair in
                guard visible[index] else { return nil }
                return TransactionStatusBody(
                    id: pair.1.id,
                    status: .committed(height: block.header.height, index: index, result: pair.1),
                    kind: pair.0.body.kind.description)
            }
        }
    }

    /// One step of a piece's or a firm's history.
    public struct HistoryEntryBody: Codable, Hashable, Sendable {
        public var height: UInt64
        public var index: Int
        public var time: Int64
        public var transaction: String
        public var kind: String
        public var signer: String
        public var accepted: Bool
        /// Whether the signer is suspended now: the step it attested weighs as self-issued.
        public var signerSuspended: Bool

        init(_ entry: HistoryEntry, signer: MemberID, suspended: Set<MemberID>) {
            height = entry.height
            index = entry.index
            time = entry.time.millis
            transaction = entry.transactionID.hex
            kind = entry.kindName
            self.signer = signer.hex
            accepted = entry.accepted
            signerSuspended = suspended.contains(signer)
        }
    }
}
