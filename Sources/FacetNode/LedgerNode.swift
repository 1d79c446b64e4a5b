import FacetConsensus
import FacetCore
import FacetCredit
import FacetLedger
import FacetStore
import Logging

/// The ledger pipeline of one node: mempool → block → execution → persistence → proofs. The actor owns the
/// committed state, the mempool and the chain head; the store holds everything durable. A block is applied
/// in memory only after the store committed it, so a crash at any point restarts from a consistent head.
///
/// A chain with one validator commits through `produceBlock`, which certifies its own blocks. A larger set
/// commits through consensus: `proposal` builds a block, `validate` executes a peer's, `commitDecided` commits one
/// the quorum precommitted, and `applyCertified` commits a block fetched by block sync.
public actor LedgerNode {
    public nonisolated let genesis: Genesis
    public nonisolated let store: any LedgerStore
    public nonisolated let validatorID: MemberID
    private let validatorKey: SigningKey
    /// The consensus keys this validator holds: the one the validator set names signs each height.
    public nonisolated let keyring: ValidatorKeyring
    private let logger: Logger
    public private(set) var state: WorldState
    private var headBlockID: Hash256
    private(set) var mempool: Mempool
    private var producing = false
    private var gossiping = false
    private var consensusInfo: ConsensusInfo?
    private var gossipOutbox: [Transaction] = []
    /// The ids of the transactions of the last `recentBlocks` committed blocks, newest last: what a submission
    /// checked against the store just before the block committed is still refused as already decided.
    var recentlyDecided: [Set<TransactionID>] = []
    private static let recentBlocks = 16
    /// Blocks this node executed at the next height, by id: a proposal is executed once, however many rounds
    /// re-propose it, and the decided one is committed from here. Cleared at every commit.
    private var executed: [Hash256: (block: ProposedBlock, outcome: BlockOutcome)] = [:]
    /// Heights whose header announced a new validator set, and every set ever scheduled by hash: what a
    /// proof bundle's validator chain is built from.
    private var transitionHeights: [UInt64] = []
    private var knownSets: [Hash256: ValidatorSet] = [:]
    /// Every member id, ascending: the registry listing without scanning the whole state. Members are never
    /// removed (suspension changes a status), so commits only add to it.
    private var memberIDs: [MemberID] = []
    private var memberSet: Set<MemberID> = []
    public nonisolated let metrics: NodeMetrics
    /// What is kept in step with the chain outside the actor (credit serving), told of every commit.
    private var commitObservers: [any CommitObserver] = []
    /// The head block's header and certificate, what a snapshot of the head state is certified by; nil until this
    /// node committed a block when it opened on a state-synced store at its base.
    private var headCertificate: (header: BlockHeader, certificate: CommitCertificate)?

    /// Opens the node on a store: applies migrations and loads the head state.
    public init(
        genesis: Genesis, store: any LedgerStore, validatorKey: SigningKey, keyring: ValidatorKeyring? = nil,
        mempool bounds: Mempool.Bounds, metrics: NodeMetrics = NodeMetrics(),
        logger: Logger = Logger(label: "facet.node")
    ) async throws(NodeError) {
        self.genesis = genesis
        self.store = store
        self.validatorKey = validatorKey
        self.keyring = keyring ?? ValidatorKeyring(memberKey: validatorKey)
        self.validatorID = MemberID(initialKey: validatorKey.publicKey)
        self.logger = logger
        self.mempool = Mempool(bounds: bounds)
        self.metrics = metrics
        do {
            try await store.migrate()
            let loaded = try await store.loadState(genesis: genesis)
            self.state = loaded.state
            self.headBlockID = loaded.state.height == 0 ? genesis.hash : loaded.headBlockID
        } catch {
            throw NodeError(store: error)
        }
        knownSets[genesis.validatorSet.hash] = genesis.validatorSet
        indexMembers(state.records.keys.filter { $0.table == .member })
        metrics.chain(height: state.height)
        metrics.mempool(count: 0, bytes: 0)
        do {
            try await scanValidatorHistory()
            if let latest = try await store.latestBlock() { headCertificate = (latest.header, latest.certificate) }
        } catch {
            throw NodeError(store: error)
        }
        guard state.validators.current.validator(validatorID) != nil else {
            throw NodeError(.notValidator, "key \(validatorKey.publicKey) is not a validator of this chain")
        }
        // Loading decoded every state row; glibc keeps those freed buffers in its arenas (hundreds of MiB for a large
        // state) unless asked to hand them back.
        HeapTrim.returnFreedMemory()
        logger.info(
            "node opened", metadata: ["ledger.height": "\(state.height)", "ledger.state_root": "\(state.stateRoot)"])
    }

    /// Loads the validator-set history the store recorded at each commit: one small query, whatever the height.
    private func scanValidatorHistory() async throws(StoreError) {
        for change in try await store.validatorSetChanges() {
            knownSets[change.validators.hash] = change.validators
            transitionHeights.append(change.height)
        }
    }

    /// Called with the block's state applied: a header that announces a new set (a `change_validators` or a
    /// `rotate_validator_key` taking effect at the next height) names the state's set for that height.
    private func remember(header: BlockHeader) {
        guard header.nextValidatorsHash != header.validatorsHash else { return }
        let next = state.validators.set(at: header.height + 1)
        knownSets[next.hash] = next
        transitionHeights.append(header.height)
    }

    // MARK: Submitting

    /// Decodes and queues a signed transaction. Refusals carry the ledger's, the decoder's or the
    /// mempool's stable code.
    public func submit(_ bytes: [UInt8], forward: Bool = true) throws(NodeError) -> TransactionID {
        let transaction: Transaction
        do {
            transaction = try Transaction(canonicalBytes: bytes)
        } catch {
            metrics.refusedAtSubmit(code: error.code.rawValue)
            throw NodeError(error, kind: .badRequest)
        }
        return try admit(transaction, bytes: bytes, forward: forward)
    }

    /// Queues decoded transactions in one call (`facet devnet` loading its history into every validator) and
    /// returns the refused ones by position, with why.
    /// Signatures are verified on every core first (`LedgerNode+Admission`).
    public nonisolated func submit(_ transactions: [Transaction], forward: Bool) async
        -> [(position: Int, error: NodeError)]
    {
        let results = await submit(transactions, bytes: transactions.map(\.canonicalBytes), forward: forward)
        return results.enumerated().compactMap { position, result in
            guard case .failure(let error) = result else { return nil }
            return (position, error)
        }
    }

    /// Admits one decoded transaction. `verdict` is its signature's check already made (off the
    /// actor, `LedgerNode+Admission`); the mempool verifies again only when the signer's key is another by now.
    func admit(
        _ transaction: Transaction, bytes: [UInt8], forward: Bool, verdict: SignatureVerdict? = nil, stored: Bool = false
    ) throws(NodeError) -> TransactionID {
        let id = TransactionID(SHA256Hash.digest(bytes))
        if stored || recentlyDecided.contains(where: { $0.contains(id) }) {
            let code = LedgerError.Code.alreadyDecided.rawValue
            metrics.refusedAtSubmit(code: code)
            throw NodeError(code: code, "the ledger already ruled on transaction \(id)", kind: .badRequest)
        }
        do {
            try mempool.admit(transaction, id: id, size: bytes.count, state: state, verdict: verdict)
        } catch {
            metrics.refusedAtSubmit(code: error.code.rawValue)
            let kind: NodeError.Kind = error.code == .full || error.code == .signerFull ? .busy : .badRequest
            throw NodeError(error, kind: kind)
        }
        metrics.mempool(count: mempool.count, bytes: mempool.totalBytes)
        if forward && gossiping { gossipOutbox.append(transaction) }
        return id
    }

    /// From now on, transactions submitted with `forward` wait in an outbox for `takeGossip` (consensus forwards
    /// them to the other validators). Off for a lone validator, so nothing accumulates.
    public func enableGossip() { gossiping = true }

    /// The transactions admitted since the last call, to forward to the other validators.
    public func takeGossip() -> [Transaction] {
        defer { gossipOutbox = [] }
        return gossipOutbox
    }

    /// The nonce this node's validator signs its next transaction with (an evidence report).
    public func nextNonce(for member: MemberID) -> UInt64 {
        var committed: UInt64 = 0
        if case .nonce(let value)? = state[StateKey(.nonce, member.hash)] { committed = value }
        return max(committed, mempool.highestNonce(for: member) ?? 0) + 1
    }

    public var mempoolCount: Int { mempool.count }
    public var mempoolBytes: Int { mempool.totalBytes }

    // MARK: Producing blocks

    /// Takes a batch from the mempool, executes it at `time` (never before the previous block), has the store
    /// commit it, then applies it. Returns nil when there is nothing to do.
    public func produceBlock(time: Timestamp, maxTransactions: Int, maxBytes: Int) async throws(NodeError)
        -> BlockHeader?
    {
        precondition(!producing, "one block at a time")
        let offered = mempool.batch(maxCount: maxTransactions, maxBytes: maxBytes)
        guard !offered.isEmpty else { return nil }
        producing = true
        defer { producing = false }
        let before = state
        let blockTime = max(time, before.time)
        let (batch, outcome) = RefusalCap.execute(
            offered, executor: BlockExecutor(signatures: mempool.signatureChecker(for: offered)), on: before,
            time: blockTime)
        let header = BlockHeader(
            outcome: outcome, executedOn: before, previousBlockID: headBlockID, proposer: validatorID)
        let precommit = CommitCertificate.precommit(
            height: header.height, round: 0, blockID: header.id, chainID: header.chainID, validator: validatorID,
            key: keyring.key(of: validatorID, in: before.validators.set(at: header.height)) ?? validatorKey)
        let certificate = CommitCertificate(
            height: header.height, round: 0, blockID: header.id, signatures: [precommit])
        try await commit(
            ProposedBlock(header: header, transactions: batch), outcome: outcome, certificate: certificate,
            executedOn: before)
        return header
    }

    /// Has the store commit an executed block with its certificate, then applies it: the state, the head, the
    /// mempool (its transactions, and any other pending transaction their nonces made stale), the indexes.
    private func commit(
        _ block: ProposedBlock, outcome: BlockOutcome, certificate: CommitCertificate, executedOn before: WorldState
    ) async throws(NodeError) {
        let header = block.header
        let commit = BlockCommit(
            outcome: outcome, executedOn: before, header: header, certificate: certificate,
            transactions: block.transactions)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await store.commit(commit)
        } catch {
            // A write whose answer was lost (the connection dropped after COMMIT, a timeout) may have landed: the
            // stored head says, and then the block is committed and only this node's memory has to follow.
            let stored = try? await store.head()
            guard let stored, stored.height == header.height, stored.blockID == header.id else {
                logger.error(
                    "block commit failed", metadata: ["ledger.height": "\(header.height)", "store.error": "\(error)"])
                throw NodeError(store: error)
            }
            logger.warning(
                "block commit answered with an error but the block is stored",
                metadata: ["ledger.height": "\(header.height)", "store.error": "\(error)"])
        }
        // A call abandoned after a timeout may finish later: whichever call reaches here first applies the block,
        // and the other finds it applied.
        guard state.height + 1 == header.height, before.height == state.height else { return }
        let commitDuration = clock.now - started
        let signer = state.validators.set(at: header.height).validator(validatorID) != nil
        state.commit(outcome)
        headBlockID = header.id
        executed = [:]
        mempool.remove(outcome.results.map(\.id))
        recentlyDecided.append(Set(outcome.results.map(\.id)))
        if recentlyDecided.count > Self.recentBlocks { recentlyDecided.removeFirst() }
        mempool.removeStale(state: state, signers: block.transactions.map(\.signer))
        remember(header: header)
        headCertificate = (header, certificate)
        for observer in commitObservers {
            observer.committed(header: header, transactions: block.transactions, results: outcome.results, state: state)
        }
        indexMembers(outcome.changes.map(\.key).filter { $0.table == .member })
        metrics.committed(
            height: header.height, commit: commitDuration,
            outcomes: zip(block.transactions, outcome.results).map { ($0.body.kind.description, $1.accepted) })
        metrics.mempool(count: mempool.count, bytes: mempool.totalBytes)
        if signer { metrics.signature(missed: !certificate.signatures.contains { $0.validator == validatorID }) }
        logger.debug(
            "block committed",
            metadata: [
                "ledger.height": "\(header.height)", "ledger.transactions": "\(block.transactions.count)",
            ])
    }

    /// From now on `observer` is told of every commit, first of the state as it stands. Once per observer.
    public func observeCommits(_ observer: any CommitObserver) {
        guard !commitObservers.contains(where: { $0 === observer }) else { return }
        observer.attached(state: state, operatorID: validatorID)
        commitObservers.append(observer)
    }

    // MARK: Consensus

    /// The head: the height consensus runs next is one above it.
    public var head: (height: UInt64, blockID: Hash256, time: Timestamp) { (state.height, headBlockID, state.time) }

    /// The head state with the header and certificate of its block, read at one moment: what a snapshot is built from.
    public func snapshotSource() -> (state: WorldState, header: BlockHeader, certificate: CommitCertificate)? {
        guard let headCertificate, headCertificate.header.height == state.height else { return nil }
        return (state, headCertificate.header, headCertificate.certificate)
    }

    /// The validator set that signs the block at `height` (the next height or the one after, as scheduled now).
    public func validators(at height: UInt64) -> ValidatorSet { state.validators.set(at: height) }

    /// The block this node proposes at the next height: a batch from the mempool executed at the proposer's
    /// time (its clock, or just after the previous block if the clock is behind). Empty when nothing is queued.
    public func proposal(now: Timestamp, maxTransactions: Int, maxBytes: Int, builder: BlockBuilder) -> ProposedBlock {
        let batch = mempool.batch(maxCount: maxTransactions, maxBytes: maxBytes)
        var builder = builder
        builder.executor = BlockExecutor(signatures: mempool.signatureChecker(for: batch))
        let (block, outcome) = builder.propose(
            batch, on: state, previousBlockID: headBlockID, proposer: validatorID, now: now)
        executed[block.id] = (block, outcome)
        return block
    }

    /// Executes a peer's proposed block on the committed state; nil when it is valid (this node would compute
    /// the same header), else why not. Signatures the mempool already verified are not verified again. A block
    /// holding a transaction the ledger already ruled on is refused (`block.already_decided`, `LedgerNode+Replays`).
    public func validate(_ block: ProposedBlock, now: Timestamp, builder: BlockBuilder) async -> BlockRejection? {
        if executed[block.id] != nil { return nil }
        if await holdsDecided(block.transactions) { return .alreadyDecided }
        var builder = builder
        builder.executor = BlockExecutor(signatures: mempool.signatureChecker(for: block.transactions))
        switch builder.validate(block, on: state, previousBlockID: headBlockID, now: now) {
        case .success(let outcome):
            executed[block.id] = (block, outcome)
            return nil
        case .failure(let rejection):
            return rejection
        }
    }

    /// Commits the block the quorum decided, which this node executed (`proposal` or `validate`).
    public func commitDecided(_ certificate: CommitCertificate) async throws(NodeError) -> BlockHeader {
        guard let (block, outcome) = executed[certificate.blockID], block.height == state.height + 1 else {
            throw NodeError(.unknownBlock, "block \(certificate.blockID) was not executed at the next height")
        }
        let validators = state.validators.set(at: block.height)
        guard case .valid = certificate.verify(header: block.header, validators: validators) else {
            throw NodeError(.badCertificate, "the certificate for block \(block.height) does not verify")
        }
        try await commit(block, outcome: outcome, certificate: certificate, executedOn: state)
        return block.header
    }

    /// Commits a block fetched from a peer (block sync) after checking its certificate against the validator set
    /// that signs it, as this node's state schedules it, and re-executing it.
    public func applyCertified(_ block: ProposedBlock, certificate: CommitCertificate) async throws(NodeError)
        -> BlockHeader
    {
        guard block.height == state.height + 1 else {
            throw NodeError(.unknownBlock, "block \(block.height) is not the next height (\(state.height + 1))")
        }
        let check = certificate.verify(header: block.header, validators: state.validators.set(at: block.height))
        guard check == .valid else {
            throw NodeError(.badCertificate, "the certificate for block \(block.height) does not verify: \(check)")
        }
        let builder = BlockBuilder(
            executor: BlockExecutor(signatures: mempool.signatureChecker(for: block.transactions)),
            time: BlockTimeBounds(maxDriftMillis: 0))
        switch builder.checkExecution(block, on: state, previousBlockID: headBlockID) {
        case .success(let outcome):
            try await commit(block, outcome: outcome, certificate: certificate, executedOn: state)
            return block.header
        case .failure(let rejection):
            throw NodeError(
                code: rejection.code, "block \(block.height) does not execute to its header", kind: .badRequest)
        }
    }

    /// Committed blocks with their certificates from `height` on, at most `limit`: what block sync serves.
    public func certifiedBlocks(from height: UInt64, limit: Int) async throws(NodeError) -> [CertifiedBlock] {
        guard height <= state.height else { return [] }
        do {
            return try await store.blocks(from: max(height, 1), limit: min(max(limit, 1), StoreLimits.maxBlockRange))
                .map {
                    CertifiedBlock(
                        block: ProposedBlock(header: $0.header, transactions: $0.transactions),
                        certificate: $0.certificate)
                }
        } catch {
            throw NodeError(store: error)
        }
    }

    /// Whether the mempool holds a transaction: gossip forwards only what is new to this node.
    public func hasPending(_ id: TransactionID) -> Bool { mempool.contains(id) }

    private func indexMembers(_ keys: [StateKey]) {
        let added = keys.map { MemberID($0.id) }.filter { !memberSet.contains($0) }
        guard !added.isEmpty else { return }
        memberSet.formUnion(added)
        memberIDs = memberSet.sorted()
    }

    // MARK: Reading

    /// One record of the committed state. Readers ask for records rather than the whole `state`: a reader holding
    /// a copy of the state while a block commits would make the commit copy every record.
    public func record<R: StateRecord>(_ type: R.Type, _ id: Hash256) -> R? {
        state.record(type, id)
    }

    /// The records that exist among `ids`, in the order of `ids`.
    public func records<R: StateRecord>(_ type: R.Type, _ ids: [Hash256]) -> [R] {
        ids.compactMap { state.record(type, $0) }
    }

    /// Every member, ascending by id.
    public func members() -> [Member] {
        memberIDs.compactMap { state.record(Member.self, $0.hash) }
    }

    public func status() -> NodeStatus {
        NodeStatus(
            chainID: state.chainID.value, height: state.height, blockID: headBlockID, stateRoot: state.stateRoot,
            time: state.time, logSize: state.log.size, mempoolCount: mempool.count, mempoolBytes: mempool.totalBytes,
            consensus: consensusInfo)
    }

    /// Consensus reports where it stands here, for the status endpoint.
    public func report(consensus info: ConsensusInfo) { consensusInfo = info }

    /// Pending, committed (accepted or refused with its code), or unknown.
    public func transactionStatus(_ id: TransactionID) async throws(NodeError) -> TransactionStatus? {
        if let pending = mempool.transaction(id) { return .pending(kind: pending.body.kind) }
        do {
            guard let stored = try await store.transaction(id) else { return nil }
            return .committed(height: stored.height, index: stored.index, result: stored.result)
        } catch {
            throw NodeError(store: error)
        }
    }

    /// A pending or committed transaction with its status: what the access policy needs to decide who sees it.
    public func transactionWithStatus(_ id: TransactionID) async throws(NodeError) -> (
        transaction: Transaction, status: TransactionStatus
    )? {
        if let pending = mempool.transaction(id) { return (pending, .pending(kind: pending.body.kind)) }
        do {
            guard let stored = try await store.transaction(id) else { return nil }
            return (try stored.decoded(), .committed(height: stored.height, index: stored.index, result: stored.result))
        } catch {
            throw NodeError(store: error)
        }
    }

    /// The proof bundle of an accepted transaction, against the latest header.
    public func proofBundle(_ id: TransactionID) async throws(NodeError) -> ProofBundle? {
        do {
            guard let stored = try await store.transaction(id), let logIndex = stored.logIndex,
                let head = try await store.latestBlock()
            else { return nil }
            let transaction = try stored.decoded()
            let proof = try await store.inclusionProof(index: Int(logIndex), size: Int(head.header.logSize))
            var chain = [ValidatorTransition]()
            for height in transitionHeights where height < head.header.height {
                guard let block = try await store.block(at: height),
                    let next = knownSets[block.header.nextValidatorsHash]
                else { continue }
                chain.append(
                    ValidatorTransition(header: block.header, certificate: block.certificate, validators: next))
            }
            let key = try await signingKey(of: transaction, at: stored.height)
            return ProofBundle(
                transaction: stored.bytes, signerPublicKey: key, logIndex: logIndex,
                inclusionProof: proof, header: head.header, certificate: head.certificate,
                validatorChain: chain)
        } catch {
            throw NodeError(store: error)
        }
    }

    /// The key a transaction's signature verifies under: the signer's current key, or one it rotated away.
    private func signingKey(of transaction: Transaction, at height: UInt64) async throws(StoreError) -> PublicKey {
        guard let member = state.record(Member.self, transaction.signer.hash) else {
            return PublicKey(raw: .zero)
        }
        if transaction.hasValidSignature(key: member.publicKey) { return member.publicKey }
        var candidates = genesis.members.filter { $0.id == member.id }.map(\.publicKey)
        for entry in try await store.history(
            subject: member.id.hash, from: nil, to: nil, limit: StoreLimits.maxHistoryPage)
        where entry.accepted {
            guard let stored = try await store.transaction(entry.transactionID), let tx = try? stored.decoded() else {
                continue
            }
            switch tx.body {
            case .registerMember(let profile) where profile.id == member.id: candidates.append(profile.publicKey)
            case .rotateKey(let rotation) where tx.signer == member.id: candidates.append(rotation.newKey)
            default: break
            }
        }
        return candidates.first { transaction.hasValidSignature(key: $0) } ?? member.publicKey
    }
}
