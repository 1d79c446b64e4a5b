import FacetCore
import FacetLedger

/// Transactions waiting for a block. Bounded in count and bytes: a full pool refuses with `mempool.full`
/// and never evicts what it accepted, so every admitted transaction reaches a block, where it is committed
/// or refused with a code. Bounded per signer too (`mempool.signer_full`): one member cannot take the whole pool
/// from the others, and since a refusal is stored only for a transaction some pool admitted, the pool's per-signer
/// bound is what bounds a signer's stored refusals per block (`contracts/transactions.md`). Each signature is verified once, at admission, against the signer's key in the
/// committed state; `signatureChecker(for:)` hands those verdicts to the executor.
///
/// A value type with no clock or I/O: the node's block producer owns it.
public struct Mempool: Sendable {
    public struct Bounds: Sendable, Hashable {
        /// Pending transactions per signer, unless a node's configuration says otherwise.
        public static let defaultMaxPerSigner = 1_000

        public var maxCount: Int
        public var maxBytes: Int
        /// The most transactions one signer may have pending at once.
        public var maxPerSigner: Int

        public init(
            maxCount: Int = 50_000, maxBytes: Int = 64 * 1024 * 1024, maxPerSigner: Int = Bounds.defaultMaxPerSigner
        ) {
            precondition(
                maxCount > 0 && maxBytes >= Limits.maxTransactionBytes && maxPerSigner > 0, "mempool bounds too small")
            self.maxCount = maxCount
            self.maxBytes = maxBytes
            self.maxPerSigner = maxPerSigner
        }
    }

    struct Entry: Sendable {
        let transaction: Transaction
        let id: TransactionID
        let size: Int
        let key: PublicKey
        let arrival: UInt64
    }

    public let bounds: Bounds
    private var entries: [TransactionID: Entry] = [:]
    /// Per signer, pending nonces in ascending order.
    private var queues: [MemberID: [UInt64: TransactionID]] = [:]
    private var nextArrival: UInt64 = 0
    public private(set) var totalBytes = 0

    public init(bounds: Bounds = Bounds()) {
        self.bounds = bounds
    }

    public var count: Int { entries.count }
    public func contains(_ id: TransactionID) -> Bool { entries[id] != nil }
    public func transaction(_ id: TransactionID) -> Transaction? { entries[id]?.transaction }

    /// Admits a transaction whose encoding is `size` bytes, checking it against the committed `state`:
    /// chain, signer, nonce (above the committed one and not already pending), signature, and the bounds.
    /// `verdict`: what the caller already found checking the signature, and under which key; while that is still the
    /// signer's key the signature is not verified a second time, valid or not.
    public mutating func admit(
        _ transaction: Transaction, id: TransactionID, size: Int, state: WorldState, verdict: SignatureVerdict? = nil
    ) throws(MempoolError) {
        guard entries[id] == nil else { throw MempoolError(.duplicate, "transaction \(id) is already pending") }
        guard size <= Limits.maxTransactionBytes else {
            throw MempoolError(.tooLarge, "transaction of \(size) bytes exceeds \(Limits.maxTransactionBytes)")
        }
        guard transaction.chainID == state.chainID else {
            throw MempoolError(.ledger(.wrongChain), "transaction is for chain \(transaction.chainID)")
        }
        guard let signer = state.record(Member.self, transaction.signer.hash) else {
            throw MempoolError(.ledger(.unknownSigner), "no member \(transaction.signer)")
        }
        guard signer.status == .active else {
            let code: LedgerError.Code = signer.status == .suspended ? .signerSuspended : .signerNotActive
            throw MempoolError(.ledger(code), "member \(signer.id) cannot sign now")
        }
        var committedNonce: UInt64 = 0
        if case .nonce(let value)? = state[StateKey(.nonce, signer.id.hash)] { committedNonce = value }
        guard transaction.nonce > committedNonce else {
            throw MempoolError(.ledger(.nonceReplay), "nonce \(transaction.nonce) is not above \(committedNonce)")
        }
        guard queues[signer.id]?[transaction.nonce] == nil else {
            throw MempoolError(.nonceTaken, "a transaction with nonce \(transaction.nonce) is already pending")
        }
        let pending = queues[signer.id]?.count ?? 0
        guard pending < bounds.maxPerSigner else {
            throw MempoolError(
                .signerFull, "member \(signer.id) has \(pending) transactions pending, the most one signer may have")
        }
        guard entries.count < bounds.maxCount, totalBytes + size <= bounds.maxBytes else {
            throw MempoolError(.full, "the mempool is full (\(entries.count) transactions, \(totalBytes) bytes)")
        }
        let validSignature =
            switch verdict {
            case .valid(let key)? where key == signer.publicKey: true
            case .invalid(let key)? where key == signer.publicKey: false
            default: transaction.hasValidSignature(key: signer.publicKey)
            }
        guard validSignature else {
            throw MempoolError(.ledger(.badSignature), "signature does not verify under the signer's key")
        }
        entries[id] = Entry(transaction: transaction, id: id, size: size, key: signer.publicKey, arrival: nextArrival)
        queues[signer.id, default: [:]][transaction.nonce] = id
        nextArrival += 1
        totalBytes += size
    }

    /// The next block's transactions, within the limits, in arrival order except that a signer's
    /// transactions always go in nonce order: each takes the later of its own arrival and that of the
    /// signer's previous pending nonce. O(n log n); the order is deterministic.
    public func batch(maxCount: Int, maxBytes: Int) -> [Transaction] {
        var ordered = [(arrival: UInt64, entry: Entry)]()
        ordered.reserveCapacity(entries.count)
        for (_, nonces) in queues {
            var previous: UInt64 = 0
            for nonce in nonces.keys.sorted() {
                guard let id = nonces[nonce], let entry = entries[id] else { continue }
                previous = max(previous, entry.arrival)
                ordered.append((previous, entry))
            }
        }
        ordered.sort {
            if $0.arrival != $1.arrival { return $0.arrival < $1.arrival }
            let (left, right) = ($0.entry.transaction, $1.entry.transaction)
            return left.signer != right.signer ? left.signer < right.signer : left.nonce < right.nonce
        }
        var chosen = [Transaction]()
        var bytes = 0
        for item in ordered {
            guard chosen.count < maxCount, bytes + item.entry.size <= maxBytes else { break }
            chosen.append(item.entry.transaction)
            bytes += item.entry.size
        }
        return chosen
    }

    /// Removes the transactions a committed block included, accepted or refused.
    public mutating func remove(_ ids: [TransactionID]) {
        for id in ids {
            guard let entry = entries.removeValue(forKey: id) else { continue }
            totalBytes -= entry.size
            let signer = entry.transaction.signer
            queues[signer]?[entry.transaction.nonce] = nil
            if queues[signer]?.isEmpty == true { queues[signer] = nil }
        }
    }

    /// How many transactions `signer` has pending.
    public func pendingCount(for signer: MemberID) -> Int { queues[signer]?.count ?? 0 }

    /// The highest pending nonce of `signer`, if any.
    public func highestNonce(for signer: MemberID) -> UInt64? { queues[signer]?.keys.max() }

    /// Drops what a committed block made unusable: for each signer in `signers`, pending transactions whose nonce
    /// is no longer above the committed one (another node's block took that nonce).
    public mutating func removeStale(state: WorldState, signers: [MemberID]) {
        for signer in Set(signers) {
            guard let nonces = queues[signer] else { continue }
            var committed: UInt64 = 0
            if case .nonce(let value)? = state[StateKey(.nonce, signer.hash)] { committed = value }
            remove(nonces.filter { $0.key <= committed }.map(\.value))
        }
    }

    /// The signatures verified at admission for a batch taken from this pool, for the executor: it skips verifying a transaction again when
    /// the signer's key is still the one it was verified under.
    public func signatureChecker(for batch: [Transaction]) -> VerifiedSignatures {
        var verified = [TransactionID: PublicKey]()
        verified.reserveCapacity(batch.count)
        for transaction in batch {
            guard let id = queues[transaction.signer]?[transaction.nonce], let entry = entries[id] else { continue }
            verified[id] = entry.key
        }
        return VerifiedSignatures(verified: verified)
    }
}

/// The outcome of checking a transaction's signature, with the key it was checked under: a verdict about another
/// key than the signer's current one says nothing.
public enum SignatureVerdict: Hashable, Sendable {
    case valid(PublicKey)
    case invalid(PublicKey)
}

/// Signatures already verified by this node: transaction id → the key it verified under.
public struct VerifiedSignatures: SignatureChecker {
    let verified: [TransactionID: PublicKey]

    public func isValid(_ transaction: Transaction, id: TransactionID, key: PublicKey) -> Bool {
        if verified[id] == key { return true }
        return transaction.hasValidSignature(key: key)
    }
}

/// Why the mempool refused a transaction: its own codes, or the ledger's for envelope checks.
public typealias MempoolError = FacetError<MempoolErrorCode>

/// The mempool's own codes, and the ledger's it passes on (`ledger(_:)`).
public struct MempoolErrorCode: ErrorCode, RawRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let full = Self(rawValue: "mempool.full")
    /// The signer has `Bounds.maxPerSigner` transactions pending: it waits for a block to take some.
    public static let signerFull = Self(rawValue: "mempool.signer_full")
    public static let duplicate = Self(rawValue: "mempool.duplicate")
    public static let nonceTaken = Self(rawValue: "mempool.nonce_taken")
    public static let tooLarge = Self(rawValue: "encoding.over_limit")
    public static func ledger(_ code: LedgerError.Code) -> Self { Self(rawValue: code.rawValue) }
}
