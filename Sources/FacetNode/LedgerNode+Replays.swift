import FacetCore
import FacetLedger
import FacetStore

/// Proposals that replay a decided transaction. A refused transaction leaves its nonce free, so a faulty proposer
/// could put the bytes of one the ledger already ruled on into a new block: refused again, or refused as a replayed
/// nonce where it had been accepted, it would be stored a second time under the same id, with another verdict. A
/// validator therefore refuses a proposal that holds a transaction twice or holds one a committed block holds.
extension LedgerNode {
    /// Whether `transactions` repeat an id, or hold one this node's store (or its recent blocks) already holds. A
    /// transaction in this node's pool was checked at admission and is removed when a block decides it, so only the
    /// others are looked up. A store that cannot answer counts as "not held", as at admission.
    func holdsDecided(_ transactions: [Transaction]) async -> Bool {
        var seen = Set<TransactionID>()
        var unknown = [TransactionID]()
        for transaction in transactions {
            let id = transaction.id
            guard seen.insert(id).inserted else { return true }
            if recentlyDecided.contains(where: { $0.contains(id) }) { return true }
            if !mempool.contains(id) { unknown.append(id) }
        }
        for id in unknown {
            let stored: StoredTransaction?
            do { stored = try await store.transaction(id) } catch { stored = nil }
            if stored != nil { return true }
        }
        return false
    }
}
