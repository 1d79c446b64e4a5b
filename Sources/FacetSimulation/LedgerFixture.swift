import FacetCore
import FacetLedger

/// Takes every signature as valid: for in-memory runs whose transactions carry blank signatures
/// (`LedgerFixture.signs`).
public struct TrustedSignatures: SignatureChecker {
    public init() {}
    public func isValid(_ transaction: Transaction, id: TransactionID, key: PublicKey) -> Bool { true }
}

/// A member of the fixture's consortium with its key.
public struct Actor: Sendable {
    public let name: String
    public let key: SigningKey
    public let roles: Roles

    public var id: MemberID { MemberID(initialKey: key.publicKey) }
}

/// A small consortium at genesis, one actor per role, and helpers to sign, execute and commit blocks.
/// Keys and ids derive from the seed, so a failing case reproduces from its seed alone.
public struct LedgerFixture: Sendable {
    public static let chainID: Label = {
        guard let label = try? Label("facet-test") else { fatalError() }; return label
    }()

    /// The standard cast: name → roles.
    public static let cast: [(String, Roles)] = [
        ("admin", [.admin]), ("admin2", [.admin]),
        ("v1", [.validator]), ("v2", [.validator]), ("v3", [.validator]), ("v4", [.validator]),
        ("firmA", [.firm]), ("firmB", [.firm]), ("firmC", [.firm]),
        ("lab", [.lab]), ("lab2", [.lab]), ("inspector", [.inspector]),
        ("warehouse", [.warehouse]), ("warehouse2", [.warehouse]),
        ("bank", [.bank]), ("platform", [.platform]), ("exchange", [.exchange]), ("conciliator", [.conciliator]),
        ("lender", [.lender]), ("lender2", [.lender]), ("guarantor", [.guarantor]),
    ]

    /// The most validators a fixture can have (v1…v7).
    public static let maxValidators = 7

    public let seed: UInt64
    public let executor: BlockExecutor
    /// The genesis the chain starts from: what a proof bundle's verifier trusts and a store checks a chain against.
    public let genesis: Genesis
    public private(set) var state: WorldState
    public private(set) var actors: [String: Actor] = [:]
    public var time: Timestamp
    private var nonces: [String: UInt64] = [:]
    /// False: `sign` leaves signatures blank (all zero), for long in-memory runs whose executor trusts every signature
    /// (`TrustedSignatures`): Ed25519 is most of what a transaction costs, and signatures are not what they test.
    public var signs = true

    /// `validators` keeps the first validators of the cast (v1…v4): 1 for a one-validator network. Beyond four,
    /// validators v5…v7 join the cast (7 tolerates two faults). `members` adds genesis members after the cast (an
    /// auditor, say), leaving the standard cast's genesis, and so the golden vectors, as they are.
    public init(
        seed: UInt64 = 1, params: LedgerParams? = nil, executor: BlockExecutor = BlockExecutor(), validators: Int = 4,
        members added: [(String, Roles)] = []
    ) {
        precondition((1...LedgerFixture.maxValidators).contains(validators), "the fixture has one to seven validators")
        self.seed = seed
        self.executor = executor
        var members = [GenesisMember]()
        var actors = [String: Actor]()
        let dropped = Set(stride(from: validators + 1, through: 4, by: 1).map { "v\($0)" })
        let extra = validators > 4 ? (5...validators).map { ("v\($0)", Roles.validator) } : []
        for (name, roles) in LedgerFixture.cast + extra + added where !dropped.contains(name) {
            let actor = Actor(name: name, key: LedgerFixture.key(seed: seed, name: name), roles: roles)
            actors[name] = actor
            members.append(GenesisMember(name: name, roles: roles, publicKey: actor.key.publicKey))
        }
        let start = Timestamp(uncheckedMillis: 1_767_225_600_000)  // 2026-01-01T00:00:00Z
        let genesis = Genesis(
            params: params ?? LedgerParams(chainID: LedgerFixture.chainID), time: start,
            members: members)
        guard let state = try? WorldState(genesis: genesis) else { preconditionFailure("fixture genesis is invalid") }
        self.genesis = genesis
        self.state = state
        self.actors = actors
        self.time = start
    }

    /// The deterministic key of a named actor under a seed.
    public static func key(seed: UInt64, name: String) -> SigningKey {
        var seedBytes = [UInt8]()
        for shift in stride(from: 56, through: 0, by: -8) {
            seedBytes.append(UInt8(truncatingIfNeeded: seed >> UInt64(shift)))
        }
        let digest = SHA256Hash.digest(parts: Array("facet-fixture".utf8), seedBytes, Array(name.utf8))
        guard let key = try? SigningKey(seed: digest.bytes) else { preconditionFailure("a digest is 32 bytes") }
        return key
    }

    public func actor(_ name: String) -> Actor {
        guard let actor = actors[name] else { preconditionFailure("no actor \(name) in the fixture") }
        return actor
    }

    public func id(_ name: String) -> MemberID { actor(name).id }

    /// Adds an actor that is not (yet) a member: for registering new members in tests.
    public mutating func addOutsider(_ name: String, roles: Roles) -> Actor {
        let actor = Actor(name: name, key: LedgerFixture.key(seed: seed, name: name), roles: roles)
        actors[name] = actor
        return actor
    }

    /// Signs a body as `signer` with its next nonce. Nonces only need to increase, so a refused
    /// transaction leaves a harmless gap.
    public mutating func sign(_ signer: String, _ body: TransactionBody, key: SigningKey? = nil) -> Transaction {
        let nonce = (nonces[signer] ?? 0) + 1
        nonces[signer] = nonce
        let actor = actor(signer)
        if !signs {
            return Transaction(
                chainID: LedgerFixture.chainID, signer: actor.id, nonce: nonce, body: body,
                signature: Signature(r: .zero, s: .zero))
        }
        return Transaction.signed(
            chainID: LedgerFixture.chainID, signer: actor.id, nonce: nonce, body: body,
            key: key ?? actor.key)
    }

    /// Executes and commits a block of transactions one second after the previous block.
    @discardableResult
    public mutating func run(_ transactions: [Transaction]) -> BlockOutcome {
        time = Timestamp(uncheckedMillis: time.millis + 1_000)
        let outcome = executor.execute(transactions, on: state, time: time)
        state.commit(outcome)
        return outcome
    }

    /// Executes and commits a block as a proposer builds it: each signer's refusals beyond `RefusalCap` are left out.
    /// Returns the transactions the block holds and its outcome.
    public mutating func runCapped(_ transactions: [Transaction])
        -> (transactions: [Transaction], outcome: BlockOutcome)
    {
        time = Timestamp(uncheckedMillis: time.millis + 1_000)
        let built = RefusalCap.execute(transactions, executor: executor, on: state, time: time)
        state.commit(built.outcome)
        return built
    }

    /// Commits an outcome computed elsewhere from this state (replaying recorded blocks).
    public mutating func commitForReplay(_ outcome: BlockOutcome) {
        state.commit(outcome)
    }

    /// Signs, executes and commits one transaction; returns its result.
    @discardableResult
    public mutating func submit(_ signer: String, _ body: TransactionBody) -> TransactionResult {
        let transaction = sign(signer, body)
        return run([transaction]).results[0]
    }

    /// Submits a transaction expected to be refused. Returns the refusal's code (nil if it was accepted) and
    /// whether the state root stayed the same, which every refusal must guarantee.
    public mutating func refusal(_ signer: String, _ body: TransactionBody) -> (
        code: LedgerError.Code?, unchanged: Bool
    ) {
        let before = state.stateRoot
        let result = submit(signer, body)
        return (result.error?.code, state.stateRoot == before)
    }

    /// Places records straight into the committed state, bypassing contracts: test setup for one family's
    /// contracts that need another family's objects (a pledged piece, an invoice). Rebuilds the tree.
    public mutating func inject(_ records: [StateKey: StateValue]) {
        var all = state.records
        for (key, value) in records { all[key] = value }
        state = WorldState(height: state.height, time: state.time, records: all, log: state.log)
    }

    public mutating func inject<R: StateRecord>(_ record: R, id: Hash256) {
        inject([StateKey(R.table, id): record.stateValue])
    }

    /// Moves the clock forward (block times come from here).
    public mutating func advance(days: Int64) {
        time = Timestamp(uncheckedMillis: time.millis + days * Timestamp.millisPerDay)
    }

    /// The id of the object a transaction created (pieces, invoices, disputes, offers, loans, guarantees).
    public static func created<K>(_ transaction: Transaction, as kind: Identifier<K>.Type = Identifier<K>.self)
        -> Identifier<K>
    {
        Identifier<K>(transaction.id.hash)
    }
}
