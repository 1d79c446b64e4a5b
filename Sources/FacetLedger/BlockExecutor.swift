import FacetCore

/// Decides whether a transaction's signature holds for a key. The default verifies; a node's mempool can
/// supply one that remembers signatures it already verified, so each is verified once per node.
public protocol SignatureChecker: Sendable {
    func isValid(_ transaction: Transaction, id: TransactionID, key: PublicKey) -> Bool
}

public struct VerifyingSignatureChecker: SignatureChecker {
    public init() {}

    public func isValid(_ transaction: Transaction, id: TransactionID, key: PublicKey) -> Bool {
        transaction.hasValidSignature(key: key)
    }
}

/// The result of one transaction in a block: accepted, or refused with a stable code.
public struct TransactionResult: Hashable, Sendable, CanonicalCodable {
    public let id: TransactionID
    public let error: LedgerError?

    public init(id: TransactionID, error: LedgerError?) {
        self.id = id
        self.error = error
    }

    public var accepted: Bool { error == nil }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        if let error {
            encoder.u8(1)
            encoder.text(error.code.rawValue)
            encoder.text(error.message)
        } else {
            encoder.u8(0)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        switch try decoder.u8() {
        case 0: error = nil
        case 1:
            let code = try decoder.text()
            error = LedgerError(LedgerError.Code(rawValue: code), try decoder.text(maxBytes: 1024))
        case let other: throw CoreError(.unknownTag, "an optional's tag is 0 or 1, not \(other)")
        }
    }
}

/// Everything executing a block yields. Computing it never mutates the state it was computed from.
public struct BlockOutcome: Sendable {
    public let height: UInt64
    public let time: Timestamp
    public let previousStateRoot: Hash256
    public let results: [TransactionResult]
    /// The block's state diff, in ascending key order.
    public let changes: [StateChange]
    /// RFC 9162 root over the block's transactions, in block order.
    public let transactionRoot: Hash256
    public let tree: SparseMerkleTree
    public let log: MerkleFrontier
    /// Each transaction's canonical encoding, in block order, as hashed for its id and its log leaf: a store
    /// keeps these bytes rather than encoding again.
    public let encodedTransactions: [[UInt8]]
    /// The perfect log nodes the block's accepted transactions completed (leaf first, as
    /// `MerkleFrontier.appendReturningNodes` gives them): what a store persists for later proofs.
    public let logNodes: [MerkleNode]
    /// The validator schedule after the block.
    public let validators: ValidatorSchedule
    /// For each transaction, the state keys it wrote (empty when refused), ascending: what a store indexes
    /// so a piece's or a member's history is found without scanning. Not part of any hash.
    public let touched: [[StateKey]]

    public var stateRoot: Hash256 { tree.root }
    public var logRoot: Hash256 { log.root }
    public var logSize: Int { log.size }
}

/// Executes blocks: a pure function of (state, ordered transactions, height, block time). No clock, no
/// randomness, no I/O, and nothing depends on dictionary order.
public struct BlockExecutor: Sendable {
    public let signatures: any SignatureChecker

    public init(signatures: any SignatureChecker = VerifyingSignatureChecker()) {
        self.signatures = signatures
    }

    public func execute(_ transactions: [Transaction], on state: WorldState, time: Timestamp) -> BlockOutcome {
        precondition(transactions.count <= Limits.maxBlockTransactions, "block over the transaction limit")
        precondition(time >= state.time, "block time goes backwards")
        let height = state.height + 1
        var view = StateView(base: state)
        beginBlock(height: height, view: &view)

        var results = [TransactionResult]()
        results.reserveCapacity(transactions.count)
        var leafHashes = [Hash256]()
        leafHashes.reserveCapacity(transactions.count)
        var log = state.log
        var encoded = [[UInt8]]()
        encoded.reserveCapacity(transactions.count)
        var logNodes = [MerkleNode]()
        var touched = [[StateKey]]()
        touched.reserveCapacity(transactions.count)
        for transaction in transactions {
            let bytes = transaction.canonicalBytes
            encoded.append(bytes)
            let id = TransactionID(SHA256Hash.digest(bytes))
            let leaf = MerkleTree.leafHash(bytes)
            leafHashes.append(leaf)
            do {
                try apply(transaction, id: id, height: height, time: time, view: &view)
                touched.append(view.pendingKeys())
                view.commitPending()
                logNodes += log.appendReturningNodes(leafHash: leaf)
                results.append(TransactionResult(id: id, error: nil))
            } catch {
                view.discardPending()
                touched.append([])
                results.append(TransactionResult(id: id, error: error))
            }
        }

        let changes = view.sortedChanges()
        let tree = state.tree.updating(changes.map { (key: $0.key.treeKey, value: $0.value?.valueHash) })
        return BlockOutcome(
            height: height, time: time, previousStateRoot: state.stateRoot, results: results, changes: changes,
            transactionRoot: MerkleTree.root(leafHashes: leafHashes), tree: tree, log: log,
            encodedTransactions: encoded, logNodes: logNodes,
            validators: view.validators, touched: touched)
    }

    /// A validator-set change takes effect at its height, before the block's transactions.
    private func beginBlock(height: UInt64, view: inout StateView) {
        var schedule = view.validators
        if let next = schedule.next, height >= schedule.nextEffectiveHeight {
            schedule = ValidatorSchedule(current: next)
            view.set(.validators, .validators(schedule))
            view.commitPending()
        }
    }

    private func apply(
        _ transaction: Transaction, id: TransactionID, height: UInt64, time: Timestamp, view: inout StateView
    ) throws(LedgerError) {
        let params = view.params
        try check(
            transaction.chainID == params.chainID, .wrongChain,
            "transaction is for chain \(transaction.chainID), this is \(params.chainID)")
        guard let signer = view.record(Member.self, transaction.signer.hash) else {
            throw LedgerError(.unknownSigner, "no member \(transaction.signer)")
        }
        try check(signer.status != .suspended, .signerSuspended, "member \(signer.id) is suspended")
        try check(signer.status == .active, .signerNotActive, "member \(signer.id) is not yet approved")
        let last = view.nonce(of: signer.id)
        try check(
            transaction.nonce > last, .nonceReplay,
            "nonce \(transaction.nonce) is not above the last used nonce \(last)")
        try check(
            signatures.isValid(transaction, id: id, key: signer.publicKey), .badSignature,
            "signature does not verify under the signer's current key")
        view.set(StateKey(.nonce, signer.id.hash), .nonce(transaction.nonce))
        let context = TransactionContext(id: id, signer: signer, height: height, time: time, params: params)
        try Contracts.execute(transaction.body, context: context, state: &view)
    }
}
