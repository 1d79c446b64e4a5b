import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

/// What consensus and block sync ask of a store: block ranges, the validator-set history, the safety state.
extension StoreConformanceTests {
    @Test(arguments: Backend.selected)
    func blockRangesReadBackInOrder(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await chain.commitAll(to: store)
                let all = try await store.blocks(from: 1, limit: StoreLimits.maxBlockRange)
                #expect(all.map(\.header) == chain.blocks.prefix(StoreLimits.maxBlockRange).map(\.header))
                for (stored, block) in zip(all, chain.blocks) {
                    #expect(stored.transactions == block.transactions)
                    #expect(stored.results == block.outcome.results)
                    #expect(stored.certificate == block.certificate)
                }
                let middle = try await store.blocks(from: 5, limit: 3)
                #expect(middle.map(\.header.height) == [5, 6, 7])
                #expect(try await store.block(at: 6) == middle[1])
                let tail = try await store.blocks(from: UInt64(chain.blocks.count) - 1, limit: 10)
                #expect(tail.map(\.header.height) == [UInt64(chain.blocks.count) - 1, UInt64(chain.blocks.count)])
                #expect(try await store.blocks(from: UInt64(chain.blocks.count) + 1, limit: 10).isEmpty)
                #expect(try await store.blocks(from: UInt64.max, limit: 10).isEmpty)
                for limit in [0, -1, StoreLimits.maxBlockRange + 1] {
                    let error = await #expect(throws: StoreError.self) { try await store.blocks(from: 1, limit: limit) }
                    #expect(error?.code == .invalidRequest)
                }
            }
        }
    }

    @Test(arguments: Backend.selected)
    func emptyBlocksReadBackInARange(backend: Backend) async throws {
        let changing = ValidatorChangeChain.shared
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                for commit in changing.commits { try await store.commit(commit) }
                let blocks = try await store.blocks(from: 1, limit: 10)
                #expect(blocks.map(\.header) == changing.commits.map(\.header))
                #expect(blocks.map(\.transactions.count) == [0, 1, 0, 0, 0])
            }
        }
    }

    @Test(arguments: Backend.selected)
    func validatorSetChangesAreRecordedAtCommit(backend: Backend) async throws {
        let changing = ValidatorChangeChain.shared
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                #expect(try await store.validatorSetChanges().isEmpty)
                for commit in changing.commits.prefix(2) { try await store.commit(commit) }
                #expect(try await store.validatorSetChanges().isEmpty, "scheduled, not yet announced")
                for commit in changing.commits.dropFirst(2) { try await store.commit(commit) }
                let changes = try await store.validatorSetChanges()
                #expect(changes == [ValidatorSetChange(height: changing.announcedAt, validators: changing.newSet)])
                #expect(changes.first?.validators.hash == changing.commits[2].header.nextValidatorsHash)
            }
        }
    }

    /// A store written before schema version 2 gets its validator-set history from its blocks when it upgrades.
    @Test(arguments: Backend.selected)
    func upgradingAnOlderStoreFillsTheValidatorSetHistory(backend: Backend) async throws {
        let changing = ValidatorChangeChain.shared
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                for commit in changing.commits { try await store.commit(commit) }
                // Back to what version 1 left: no new tables, no record of migration 2 or later.
                for sql in [
                    "DROP TABLE validator_sets", "DROP TABLE safety_state", "DROP TABLE access_receipts",
                    "DROP TABLE sync_base",
                    "DELETE FROM schema_migrations WHERE version >= 2",
                ] {
                    try await rawSQL(scratch, store, sql)
                }
                #expect(try await store.schemaVersion() == 1)
                try await store.migrate()
                #expect(try await store.schemaVersion() == StoreMigration.latest)
                #expect(
                    try await store.validatorSetChanges()
                        == [ValidatorSetChange(height: changing.announcedAt, validators: changing.newSet)])
                #expect(try await store.loadSafetyState() == nil)
                let loaded = try await store.loadState(genesis: changing.genesis)
                #expect(loaded.state.validators.current == changing.newSet)
            }
        }
    }

    @Test(arguments: Backend.selected)
    func safetyStateOnlyMovesForwardAndSurvivesReopening(backend: Backend) async throws {
        let first = SafetyRecord(slot: ConsensusSlot(height: 3, round: 0, step: .prevote), message: [1, 2, 3])
        let later = SafetyRecord(slot: ConsensusSlot(height: 3, round: 1, step: .propose), message: [4, 5])
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                #expect(try await store.loadSafetyState() == nil)
                try await store.saveSafetyState(first)
                #expect(try await store.loadSafetyState() == first)
                try await store.saveSafetyState(later)
                #expect(try await store.loadSafetyState() == later)
                let refused = [
                    later,  // the same slot again, even with the same bytes
                    SafetyRecord(slot: later.slot, message: [9]),  // a different message at the same slot
                    first,  // an earlier slot
                    SafetyRecord(slot: ConsensusSlot(height: 2, round: 9, step: .precommit), message: [7]),
                ]
                for record in refused {
                    let error = await #expect(throws: StoreError.self) { try await store.saveSafetyState(record) }
                    #expect(error?.code == .safetyRegression, "\(record.slot)")
                }
                #expect(try await store.loadSafetyState() == later)
            }
            try await scratch.open { store in
                try await store.migrate()
                #expect(try await store.loadSafetyState() == later, "saved before the store closed")
                let next = SafetyRecord(slot: ConsensusSlot(height: 4, round: 0, step: .propose), message: [0xAB])
                try await store.saveSafetyState(next)
                #expect(try await store.loadSafetyState() == next)
            }
        }
    }

    /// Statements a test runs behind the store's back, to recreate an older schema.
    private func rawSQL(_ scratch: ScratchStore, _ store: any LedgerStore, _ sql: String) async throws {
        switch scratch.location {
        case .sqlite:
            let sqlite = try #require(store as? SQLiteLedgerStore)
            _ = try await sqlite.writing { () async throws(StoreError) in
                try await SQLiteLedgerStore.run(sqlite.writer, sql)
            }
        case .postgres(let target):
            try await PostgresAdmin.run(target, sql)
        }
    }
}

/// A five-block chain whose validator set changes: block 2 schedules a set without v4 for height 4, so block 3's
/// header announces it.
struct ValidatorChangeChain: Sendable {
    let genesis: Genesis
    let commits: [BlockCommit]
    let newSet: ValidatorSet
    let announcedAt: UInt64

    static let shared = ValidatorChangeChain()

    init() {
        var f = LedgerFixture(params: LedgerParams(chainID: LedgerFixture.chainID, validatorChangeDelay: 2))
        var commits = [BlockCommit]()
        var previous = f.genesis.hash
        func run(_ transactions: [Transaction]) {
            let before = f.state
            let outcome = f.run(transactions)
            let header = BlockHeader(
                outcome: outcome, executedOn: before, previousBlockID: previous, proposer: f.id("v1"))
            let certificate = CommitCertificate(height: header.height, round: 0, blockID: header.id, signatures: [])
            commits.append(
                BlockCommit(
                    outcome: outcome, executedOn: before, header: header, certificate: certificate,
                    transactions: transactions))
            previous = header.id
        }
        run([])
        let newSet = ValidatorSet(
            ["v1", "v2", "v3"].map { Validator(member: f.id($0), publicKey: f.actor($0).key.publicKey) })
        let effective = f.state.height + 1 + 2
        let payload = ValidatorChangePayload.bytes(validators: newSet, effectiveHeight: effective)
        let approvals = ["v1", "v2", "v3"].map {
            ValidatorApproval(
                validator: f.id($0),
                signature: f.actor($0).key.sign(
                    purpose: .validatorSetChange, chainID: LedgerFixture.chainID, payload: payload))
        }
        let change = f.sign(
            "v1", .changeValidators(.init(validators: newSet, effectiveHeight: effective, approvals: approvals)))
        run([change])
        precondition(f.state.validators.next == newSet, "the change was refused")
        run([])
        run([])
        run([])
        genesis = f.genesis
        self.commits = commits
        self.newSet = newSet
        announcedAt = effective - 1
    }
}
