import FacetCore
import FacetLedger
import FacetStore

/// A test store that wraps another and changes a few calls: every call it does not implement goes straight to
/// `base`.
protocol ForwardingStore: LedgerStore {
    var base: any LedgerStore { get }
}

extension ForwardingStore {
    func migrate() async throws(StoreError) { try await base.migrate() }
    func schemaVersion() async throws(StoreError) -> Int { try await base.schemaVersion() }
    func head() async throws(StoreError) -> StoreHead? { try await base.head() }
    func commit(_ commit: BlockCommit) async throws(StoreError) { try await base.commit(commit) }
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
    func syncBase() async throws(StoreError) -> UInt64? { try await base.syncBase() }
    func importSnapshot(header: BlockHeader, certificate: CommitCertificate, state: WorldState)
        async throws(StoreError)
    {
        try await base.importSnapshot(header: header, certificate: certificate, state: state)
    }
    func loadSafetyState() async throws(StoreError) -> SafetyRecord? { try await base.loadSafetyState() }
    func saveSafetyState(_ record: SafetyRecord) async throws(StoreError) { try await base.saveSafetyState(record) }
    func close() async throws(StoreError) { try await base.close() }

    func recordReceipts(_ receipts: [AccessReceipt]) async throws(StoreError) {
        try await base.recordReceipts(receipts)
    }

    func receipts(firm: MemberID, before: Timestamp?, limit: Int) async throws(StoreError) -> [AccessReceipt] {
        try await base.receipts(firm: firm, before: before, limit: limit)
    }
}
