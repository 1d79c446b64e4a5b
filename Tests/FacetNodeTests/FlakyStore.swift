import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Synchronization

/// A store a test switches off and on: while off, every call fails with `store.unavailable`, as a PostgreSQL
/// server that restarts does. It remembers the last safety slot it stored, so a test can check that nothing left
/// the process before it was stored.
final class FlakyStore: ForwardingStore {
    let base: any LedgerStore
    private struct State {
        var failing = false
        var savedSlot: ConsensusSlot?
        var refusedWrites = 0
    }

    private let state = Mutex(State())

    init(_ base: any LedgerStore) { self.base = base }

    var failing: Bool {
        get { state.withLock { $0.failing } }
        set { state.withLock { $0.failing = newValue } }
    }

    var savedSlot: ConsensusSlot? { state.withLock { $0.savedSlot } }
    var refusedWrites: Int { state.withLock { $0.refusedWrites } }

    private func check(write: Bool = false) throws(StoreError) {
        let failing = state.withLock { state in
            if state.failing && write { state.refusedWrites += 1 }
            return state.failing
        }
        if failing { throw StoreError(.unavailable, "the test switched the store off") }
    }

    func saveSafetyState(_ record: SafetyRecord) async throws(StoreError) {
        try check(write: true)
        try await base.saveSafetyState(record)
        state.withLock { $0.savedSlot = max($0.savedSlot ?? record.slot, record.slot) }
    }

    func commit(_ commit: BlockCommit) async throws(StoreError) {
        try check(write: true)
        try await base.commit(commit)
    }

    func head() async throws(StoreError) -> StoreHead? {
        try check()
        return try await base.head()
    }
    func block(at height: UInt64) async throws(StoreError) -> StoredBlock? {
        try check()
        return try await base.block(at: height)
    }
    func blocks(from: UInt64, limit: Int) async throws(StoreError) -> [StoredBlock] {
        try check()
        return try await base.blocks(from: from, limit: limit)
    }
    func loadSafetyState() async throws(StoreError) -> SafetyRecord? {
        try check()
        return try await base.loadSafetyState()
    }
}

