import FacetCore
import FacetLedger

/// A committed chain on top of a `LedgerFixture`, with everything a proof bundle draws on: a header per block
/// (previous ids chained from the genesis hash), a commit certificate signed by a quorum of the set that signs the
/// block, and the transparency log of accepted transactions. It stands in for a node and its store in proof tests,
/// and writes the golden bundle in `contracts/vectors/`.
public struct ChainFixture: Sendable {
    /// Where an accepted transaction sits: its bytes, the key that verified its signature, its log index, and
    /// the block that committed it.
    private struct Entry: Sendable {
        let bytes: [UInt8]
        let signerKey: PublicKey
        let logIndex: UInt64
        let height: UInt64
    }

    public private(set) var ledger: LedgerFixture
    /// `headers[h - 1]` and `certificates[h - 1]` are block `h`'s.
    public private(set) var headers: [BlockHeader] = []
    public private(set) var certificates: [CommitCertificate] = []
    public private(set) var log = MerkleLog()
    /// Accepted transactions in log order.
    public private(set) var accepted: [TransactionID] = []
    /// `nextSets[h - 1]` is the set that signs block `h + 1`: what a transition at `h` hands over.
    private var nextSets: [ValidatorSet] = []
    private var entries: [TransactionID: Entry] = [:]

    public init(seed: UInt64 = 1, params: LedgerParams? = nil) {
        ledger = LedgerFixture(seed: seed, params: params)
    }

    public var genesis: Genesis { ledger.genesis }
    public var height: UInt64 { ledger.state.height }

    public func actor(_ name: String) -> Actor { ledger.actor(name) }
    public func id(_ name: String) -> MemberID { ledger.id(name) }

    public mutating func addOutsider(_ name: String, roles: Roles) -> Actor {
        ledger.addOutsider(name, roles: roles)
    }

    /// Signs a body as `signer` with its next nonce (see `LedgerFixture.sign`).
    public mutating func sign(_ signer: String, _ body: TransactionBody) -> Transaction {
        ledger.sign(signer, body)
    }

    /// Executes a block at `time` (default: one second after the previous block), commits it, and records its
    /// header, certificate and log entries.
    @discardableResult
    public mutating func commit(_ transactions: [Transaction], time: Timestamp? = nil) -> BlockOutcome {
        if let time { ledger.time = Timestamp(uncheckedMillis: time.millis - 1_000) }
        let before = ledger.state
        let outcome = ledger.run(transactions)
        let signers = before.validators.set(at: outcome.height)
        let proposer = signers.validators[Int(outcome.height % UInt64(signers.count))].member
        let header = BlockHeader(
            outcome: outcome, executedOn: before, previousBlockID: headers.last?.id ?? genesis.hash,
            proposer: proposer)
        headers.append(header)
        certificates.append(certificate(for: header, signers: Array(signers.validators.prefix(signers.quorum))))
        nextSets.append(outcome.validators.set(at: outcome.height + 1))
        for (transaction, result) in zip(transactions, outcome.results) where result.accepted {
            let bytes = transaction.canonicalBytes
            entries[result.id] = Entry(
                bytes: bytes, signerKey: signerKey(of: transaction, before: before, after: ledger.state),
                logIndex: UInt64(log.size), height: outcome.height)
            accepted.append(result.id)
            log.append(leafHash: MerkleTree.leafHash(bytes))
        }
        precondition(log.size == header.logSize && log.root == header.logRoot, "the fixture's log left the ledger's")
        return outcome
    }

    /// Signs and commits one transaction in its own block; returns its result.
    @discardableResult
    public mutating func submit(_ signer: String, _ body: TransactionBody) -> TransactionResult {
        commit([sign(signer, body)]).results[0]
    }

    /// Commits empty blocks until the chain reaches `height`.
    public mutating func commitEmptyBlocks(until height: UInt64) {
        while self.height < height { commit([]) }
    }

    /// A `change_validators` transaction, proposed by `proposer`, for the set of the named validators (each an
    /// active validator member), approved by a quorum of the current set and effective as early as the
    /// consortium's delay allows once committed in the next block.
    public mutating func changeValidators(to names: [String], proposer: String = "v1") -> Transaction {
        let newSet = ValidatorSet(names.map { Validator(member: id($0), publicKey: actor($0).key.publicKey) })
        let effective = height + 1 + ledger.state.params.validatorChangeDelay
        let payload = ValidatorChangePayload.bytes(validators: newSet, effectiveHeight: effective)
        let current = ledger.state.validators.set(at: height + 1)
        let approvals = current.validators.prefix(current.quorum).map {
            ValidatorApproval(
                validator: $0.member,
                signature: key(of: $0.member).sign(
                    purpose: .validatorSetChange, chainID: genesis.params.chainID, payload: payload))
        }
        return sign(
            proposer, .changeValidators(.init(validators: newSet, effectiveHeight: effective, approvals: approvals)))
    }

    /// A certificate for `header` with the precommits of `signers` (round 0), whoever they are: tests build
    /// certificates with too few or the wrong signers from here.
    public func certificate(for header: BlockHeader, signers: [Validator]) -> CommitCertificate {
        CommitCertificate(
            height: header.height, round: 0, blockID: header.id,
            signatures: signers.map { precommit(header, by: $0.member) })
    }

    /// `member`'s precommit for `header`, signed with its fixture key.
    public func precommit(_ header: BlockHeader, by member: MemberID) -> CommitSignature {
        CommitCertificate.precommit(
            height: header.height, round: 0, blockID: header.id, chainID: header.chainID, validator: member,
            key: key(of: member))
    }

    /// A bundle proving an accepted transaction against the header of the block that committed it, or of any later
    /// block `height` (the log only grows, so a later header proves it too).
    public func bundle(for transaction: TransactionID, at height: UInt64? = nil) -> ProofBundle {
        guard let entry = entries[transaction] else { preconditionFailure("transaction \(transaction) not accepted") }
        let height = height ?? entry.height
        precondition(height >= entry.height && height <= self.height, "no header at \(height) holds the transaction")
        let header = headers[Int(height) - 1]
        let chain = (0..<Int(height) - 1).compactMap { index -> ValidatorTransition? in
            let announcing = headers[index]
            guard announcing.nextValidatorsHash != announcing.validatorsHash else { return nil }
            return ValidatorTransition(
                header: announcing, certificate: certificates[index], validators: nextSets[index])
        }
        return ProofBundle(
            transaction: entry.bytes, signerPublicKey: entry.signerKey, logIndex: entry.logIndex,
            inclusionProof: log.inclusionProof(index: Int(entry.logIndex), size: Int(header.logSize)),
            header: header, certificate: certificates[Int(height) - 1], validatorChain: chain)
    }

    private func key(of member: MemberID) -> SigningKey {
        guard let actor = ledger.actors.values.first(where: { $0.id == member }) else {
            preconditionFailure("no fixture key for member \(member)")
        }
        return actor.key
    }

    /// The key that verified the signature: the signer's key before the block, or after it when an earlier
    /// transaction of the same block rotated it.
    private func signerKey(of transaction: Transaction, before: WorldState, after: WorldState) -> PublicKey {
        for state in [before, after] {
            if let member = state.record(Member.self, transaction.signer.hash),
                transaction.hasValidSignature(key: member.publicKey)
            {
                return member.publicKey
            }
        }
        preconditionFailure("an accepted transaction's signature verifies under its signer's key")
    }
}
