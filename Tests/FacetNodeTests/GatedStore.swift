import FacetCore
import FacetLedger
import FacetStore
import Synchronization

/// A store whose commits wait at a gate: a test sees a commit start, does something meanwhile (a shutdown), then
/// lets it finish. Everything else goes straight to the wrapped store.
final class GatedStore: LedgerStore {
    let base: any LedgerStore
    /// Yields once per commit, when it reaches the gate.
    let commitsStarted: AsyncStream<UInt64>
    private let started: AsyncStream<UInt64>.Continuation
    private struct Gate {
        var open = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let gate = Mutex(Gate())

    init(_ base: any LedgerStore) {
        self.base = base
        (commitsStarted, started) = AsyncStream.makeStream(of: UInt64.self)
    }

    /// Lets every waiting and later commit through.
    func release() {
        let resumed = gate.withLock { gate in
            gate.open = true
            defer { gate.waiting.removeAll() }
            return gate.waiting
        }
        for continuation in resumed { continuation.resume() }
    }

    func commit(_ commit: BlockCommit) async throws(StoreError) {
        started.yield(commit.header.height)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let passNow = gate.withLock { gate in
                if !gate.open { gate.waiting.append(continuation) }
                return gate.open
            }
            if passNow { continuation.resume() }
        }
        try await base.commit(commit)
    }

    func migrate() async throws(StoreError) { try await base.migrate() }
    func schemaVersion() async throws(StoreError) -> Int { try await base.schemaVersion() }
    func head() async throws(StoreError) -> StoreHead? { try await base.head() }
    func loadState(genesis: Genesis) async throws(StoreError) -> LoadedState {
        try await base.loadState(genesis: genesis)
    }
    func block(at height: UInt64) async throws(StoreError) -> StoredBlock? { try await base.block(at: height) }
    func latestBlock() async throws(StoreError) -> StoredBlock? { try await base.latestBlock() }
    func transaction(_ id: TransactionID) async throws(StoreError) -> StoredTransaction? {
        try await base.transaction(id)
    }
    func logNode(level: Int, index: Int) async throws(StoreError) -> Hash256? {
        try await base.logNode(level: level, index: index)
    }
    func history(subject: Hash256, from: Timestamp?, to: Timestamp?, limit: Int) async throws(StoreError)
        -> [HistoryEntry]
    {
        try await base.history(subject: subject, from: from, to: to, limit: limit)
    }
    func blocks(from: UInt64, limit: Int) async throws(StoreError) -> [StoredBlock] {
        try await base.blocks(from: from, limit: limit)
    }
    func validatorSetChanges() async throws(StoreError) -> [ValidatorSetChange] {
        try await base.validatorSetChanges()
    }
    func loadSafetyState() async throws(StoreError) -> SafetyRecord? { try await base.loadSafetyState() }
    func saveSafetyState(_ record: SafetyRecord) async throws(StoreError) { try await base.saveSafetyState(record) }
    func close() async throws(StoreError) { try await base.close() }
}
