import FacetCore
import FacetLedger

/// Durable storage of a node's chain: blocks with their certificates, transactions and results, the world
/// state at the head, the transparency log's nodes, and a history index. Two backends (SQLite and PostgreSQL)
/// pass the same conformance tests.
///
/// Every method throws `StoreError`. A commit is atomic: after a crash at any moment the store holds either the
/// whole block or none of it, so a restarting node loads a consistent head and catches up from its peers.
public protocol LedgerStore: Sendable {
    /// Applies the schema migrations this binary knows and the database lacks, each at most once; running it
    /// again is a no-op. Call it at start-up, before anything else.
    func migrate() async throws(StoreError)

    /// The number of the last migration applied (0 before `migrate`).
    func schemaVersion() async throws(StoreError) -> Int

    /// The last committed block, or nil when the store holds no block.
    func head() async throws(StoreError) -> StoreHead?

    /// Writes a block and everything it changed in one database transaction. Refuses with
    /// `store.height_mismatch`, writing nothing, unless the block's height is the head's plus one and its
    /// previous block id is the head's id (for height 1, any: `loadState` checks the genesis).
    func commit(_ commit: BlockCommit) async throws(StoreError)

    /// The world state at the head, rebuilt from the stored records and log nodes and checked against the head
    /// header's state and log roots; the genesis state when the store is empty. Refuses with `store.wrong_chain`
    /// when the stored chain does not start from `genesis`.
    func loadState(genesis: Genesis) async throws(StoreError) -> LoadedState

    func block(at height: UInt64) async throws(StoreError) -> StoredBlock?
    func latestBlock() async throws(StoreError) -> StoredBlock?

    /// A transaction by id. Should the same bytes appear more than once (a replay, refused), the accepted
    /// occurrence wins, then the earliest.
    func transaction(_ id: TransactionID) async throws(StoreError) -> StoredTransaction?

    /// The perfect log node (level, index), for roots and proofs through `MerkleTree+Nodes`.
    func logNode(level: Int, index: Int) async throws(StoreError) -> Hash256?

    /// The transactions a subject appears in, in commit order, with block time in `from..<to` (either bound
    /// may be open), at most `limit` (1 through `StoreLimits.maxHistoryPage`). Served from the index.
    func history(subject: Hash256, from: Timestamp?, to: Timestamp?, limit: Int) async throws(StoreError)
        -> [HistoryEntry]

    /// Up to `limit` consecutive committed blocks from height `from`, ascending: what block sync serves a lagging
    /// peer, in one query rather than one per block. Empty when `from` is above the head; `limit` is 1 through
    /// `StoreLimits.maxBlockRange` (else `store.invalid_request`).
    func blocks(from: UInt64, limit: Int) async throws(StoreError) -> [StoredBlock]

    /// Every validator-set change the committed chain announced, ascending by height: recorded at commit time, so
    /// a node rebuilds its validator history at start-up without reading every block.
    func validatorSetChanges() async throws(StoreError) -> [ValidatorSetChange]

    /// The height a state-synced store starts from (`importSnapshot`), nil for a store that holds its chain from
    /// block 1. Blocks at or below it are not served (`block(at:)` and `blocks(from:limit:)` answer none): the store
    /// holds the base block's header and certificate, not its transactions.
    func syncBase() async throws(StoreError) -> UInt64?

    /// Writes a verified snapshot (the state after `header`'s block, which `certificate` certifies) into an empty
    /// store, in one database transaction: the block's header and certificate, every state row, the log's frontier
    /// nodes and the sync base. Refuses with `store.not_empty`, writing nothing, when the store holds a block.
    /// The caller verified the snapshot (`StateSnapshot.assemble`); `loadState` checks both roots again.
    func importSnapshot(header: BlockHeader, certificate: CommitCertificate, state: WorldState)
        async throws(StoreError)

    /// The consensus safety state last saved, or nil for a validator that never signed.
    func loadSafetyState() async throws(StoreError) -> SafetyRecord?

    /// Replaces the safety state, durably when it returns (the validator signs and sends only then). Refuses with
    /// `store.safety_regression`, writing nothing, a slot at or below the saved one: that is how a store keeps a
    /// validator from signing twice at a slot, whatever its caller's bug.
    func saveSafetyState(_ record: SafetyRecord) async throws(StoreError)

    /// Records access receipts in one database transaction, durably before it returns, and applies the retention
    /// bounds of `ReceiptLimits` in the same transaction (reads alike within a minute merge into one receipt with a
    /// count). An empty array is a no-op; more than `ReceiptLimits.maxBatch` is refused with `store.invalid_request`,
    /// writing nothing.
    func recordReceipts(_ receipts: [AccessReceipt]) async throws(StoreError)

    /// A firm's receipts, newest first, those before `before` (exclusive) when given; at most `limit` (1 through
    /// `ReceiptLimits.maxPage`, else `store.invalid_request`). A page never ends inside a millisecond, so asking for
    /// the next one `before` the last receipt's `at` misses nothing (`ReceiptRows.page`).
    func receipts(firm: MemberID, before: Timestamp?, limit: Int) async throws(StoreError) -> [AccessReceipt]

    /// Waits for operations in flight, then releases the database. Later calls fail with `store.closed`.
    func close() async throws(StoreError)
}
