import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport

/// Four validators from the ledger fixture with their real Ed25519 keys, to sign the messages a test feeds one
/// machine. Members are in the set's ascending order, so `members[i]` is proposer of (h, r) when (h+r) mod 4 = i.
struct ConsensusCast {
    let validators: ValidatorSet
    let members: [MemberID]
    let keys: [MemberID: SigningKey]
    let chainID = LedgerFixture.chainID
    static let timeouts = TimeoutParameters(
        propose: .milliseconds(400), prevote: .milliseconds(200), precommit: .milliseconds(300),
        increment: .milliseconds(100))

    init(seed: UInt64 = 7) {
        let fixture = LedgerFixture(seed: seed)
        validators = fixture.state.validators.set(at: 1)
        members = validators.validators.map(\.member)
        var keys = [MemberID: SigningKey]()
        for name in ["v1", "v2", "v3", "v4"] { keys[fixture.id(name)] = fixture.actor(name).key }
        self.keys = keys
    }

    func machine(_ index: Int, lastSigned: ConsensusSlot? = nil) -> Tendermint {
        let member = members[index]
        return Tendermint(
            identity: member, key: keys[member]!, chainID: chainID, timeouts: ConsensusCast.timeouts,
            lastSigned: lastSigned)
    }

    func vote(_ kind: VoteKind, _ index: Int, height: UInt64 = 1, round: UInt32, _ blockID: Hash256?) -> ConsensusEvent
    {
        let member = members[index]
        return .vote(
            Vote.sign(
                kind, height: height, round: round, blockID: blockID, chainID: chainID, validator: member,
                key: keys[member]!))
    }

    func proposal(height: UInt64 = 1, round: UInt32, validRound: UInt32? = nil, _ blockID: Hash256) -> Proposal {
        let member = Tendermint.proposer(height: height, round: round, validators: validators)
        return Proposal.sign(
            height: height, round: round, validRound: validRound, blockID: blockID, chainID: chainID,
            proposer: member, key: keys[member]!)
    }

    static func block(_ label: String) -> Hash256 { SHA256Hash.digest(Array(label.utf8)) }

    /// A block for `height` of which only the id, height and proposer matter (its execution is not checked).
    func block(_ label: String, height: UInt64, proposer: MemberID) -> ProposedBlock {
        let hash = SHA256Hash.digest(Array(label.utf8))
        let header = BlockHeader(
            chainID: chainID, height: height, time: Timestamp(uncheckedMillis: 1_000), previousBlockID: hash,
            transactionRoot: hash, transactionCount: 0, resultsRoot: hash, logSize: 0, logRoot: hash, stateRoot: hash,
            validatorsHash: hash, nextValidatorsHash: hash, proposer: proposer)
        return ProposedBlock(header: header, transactions: [])
    }
}

extension [ConsensusAction] {
    var votes: [Vote] {
        compactMap { action -> Vote? in
            if case .broadcastVote(let vote) = action { return vote }
            return nil
        }
    }

    var proposals: [Proposal] {
        compactMap { action -> Proposal? in
            if case .broadcastProposal(let proposal) = action { return proposal }
            return nil
        }
    }

    var persisted: [ConsensusSlot] {
        compactMap { action -> ConsensusSlot? in
            if case .persist(let slot) = action { return slot }
            return nil
        }
    }

    var timeouts: [(kind: TimeoutKind, round: UInt32, after: Duration)] {
        compactMap { action -> (kind: TimeoutKind, round: UInt32, after: Duration)? in
            if case .scheduleTimeout(let kind, _, let round, let after) = action { return (kind, round, after) }
            return nil
        }
    }

    var decisions: [Decision] {
        compactMap { action -> Decision? in
            if case .commit(let decision) = action { return decision }
            return nil
        }
    }

    var evidence: [Misbehavior] {
        compactMap { action -> Misbehavior? in
            if case .evidence(let misbehavior) = action { return misbehavior }
            return nil
        }
    }
}

extension Tendermint {
    /// Feeds events in order and returns all the actions.
    mutating func feed(_ events: [ConsensusEvent]) -> [ConsensusAction] {
        events.flatMap { handle($0) }
    }
}
