import FacetCore
import FacetLedger
import FacetStore
import Foundation

/// Admission with the signatures verified off the actor. Ed25519 verification is most of what admitting costs
/// (about 170 µs a signature on this project's 2-core machine, against a few µs for the rest), so doing it inside
/// the actor caps a node at one core's rate and stalls blocks and reads meanwhile. Here a batch is decoded and its
/// signatures verified on every core first; the actor then only checks the envelope and queues, taking each verdict
/// (valid or not) as long as the signer still has the key it was reached under. The outcome is exactly that of
/// verifying inside: the same checks, the same codes, in the same order, and each signature verified once.
extension LedgerNode {
    /// Each signer's key in the committed state (nil for a stranger), in the order given.
    func signerKeys(_ signers: [MemberID]) -> [PublicKey?] {
        signers.map { state.record(Member.self, $0.hash)?.publicKey }
    }

    /// Queues transactions with their signatures' verdicts (nil: not checked, the signer had no key) and whether
    /// the store already holds each.
    func admitVerified(
        _ transactions: [Transaction], bytes: [[UInt8]], verdicts: [SignatureVerdict?], stored: [Bool], forward: Bool
    ) -> [Result<TransactionID, NodeError>] {
        zip(transactions, zip(bytes, zip(verdicts, stored))).map { transaction, item in
            Result { () throws(NodeError) in
                try admit(transaction, bytes: item.0, forward: forward, verdict: item.1.0, stored: item.1.1)
            }
        }
    }

    /// For each encoding, whether the store holds its transaction: the ledger ruled on it (committed or refused it),
    /// so it is not admitted again (`tx.already_decided`). A refusal leaves its nonce free, so without this the same
    /// bytes could be stored again after every block. A store that cannot answer counts as "not held"; the blocks
    /// this node committed lately are checked in memory as well (`admit`).
    nonisolated func heldByStore(_ bytes: [[UInt8]]) async -> [Bool] {
        var held = [Bool]()
        held.reserveCapacity(bytes.count)
        for item in bytes {
            let id = TransactionID(SHA256Hash.digest(item))
            let stored: StoredTransaction?
            do { stored = try await store.transaction(id) } catch { stored = nil }
            held.append(stored != nil)
        }
        return held
    }

    /// Decodes and queues encoded transactions in order, verifying their signatures in parallel first. One result
    /// per item: its id, or why it was refused (the decoder's, the ledger's or the mempool's code).
    public nonisolated func submit(encoded items: [[UInt8]], forward: Bool = true) async
        -> [Result<TransactionID, NodeError>]
    {
        var results = [Result<TransactionID, NodeError>?](repeating: nil, count: items.count)
        var positions = [Int]()
        var decoded = [Transaction]()
        var bytes = [[UInt8]]()
        for (position, item) in items.enumerated() {
            do {
                decoded.append(try Transaction(canonicalBytes: item))
                positions.append(position)
                bytes.append(item)
            } catch {
                metrics.refusedAtSubmit(code: error.code.rawValue)
                results[position] = .failure(NodeError(error, kind: .badRequest))
            }
        }
        let admitted = await submit(decoded, bytes: bytes, forward: forward)
        for (position, result) in zip(positions, admitted) { results[position] = result }
        return results.map { $0! }
    }

    /// Queues decoded transactions (`bytes`: their canonical encodings) in order, verifying signatures in parallel
    /// first.
    public nonisolated func submit(_ transactions: [Transaction], bytes: [[UInt8]], forward: Bool) async
        -> [Result<TransactionID, NodeError>]
    {
        guard !transactions.isEmpty else { return [] }
        let stored = await heldByStore(bytes)
        let keys = await signerKeys(transactions.map(\.signer))
        let verdicts = await ParallelSignatures.verify(transactions, keys: keys)
        return await admitVerified(transactions, bytes: bytes, verdicts: verdicts, stored: stored, forward: forward)
    }
}

/// Verifies transaction signatures on every core without monopolising them: at most one chunk per core is in
/// flight, each a few milliseconds, so actors sharing the cooperative pool (the node, consensus) wait for at most
/// one chunk.
enum ParallelSignatures {
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Signatures per task: about 5 ms of work at this machine's rate.
    static let chunk = 32

    /// For each transaction, its signature's verdict under its key, or nil where there is no key.
    static func verify(_ transactions: [Transaction], keys: [PublicKey?]) async -> [SignatureVerdict?] {
        precondition(transactions.count == keys.count, "one key per transaction")
        guard transactions.count > chunk, cores > 1 else { return verifyInline(transactions[...], keys[...]) }
        var verified = [SignatureVerdict?](repeating: nil, count: transactions.count)
        await withTaskGroup(of: (Int, [SignatureVerdict?]).self) { group in
            var next = 0
            func addChunk() {
                let start = next
                let end = min(transactions.count, start + chunk)
                let slice = transactions[start..<end]
                let sliceKeys = keys[start..<end]
                group.addTask { (start, verifyInline(slice, sliceKeys)) }
                next = end
            }
            for _ in 0..<cores where next < transactions.count { addChunk() }
            for await (start, part) in group {
                verified.replaceSubrange(start..<(start + part.count), with: part)
                if next < transactions.count { addChunk() }
            }
        }
        return verified
    }

    static func verifyInline(_ transactions: ArraySlice<Transaction>, _ keys: ArraySlice<PublicKey?>)
        -> [SignatureVerdict?]
    {
        zip(transactions, keys).map { transaction, key in
            key.map { transaction.hasValidSignature(key: $0) ? .valid($0) : .invalid($0) }
        }
    }
}
