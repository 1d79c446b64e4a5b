import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport

/// One `ValidatorMachine` driven by a test as a driver would drive it, with the time passed in: it answers every
/// action that expects an answer (store, execution, commit, sync) as the test configures, and records every action.
struct MachineRun {
    static let settings = ValidatorSettings(
        timeouts: ConsensusCast.timeouts, commitInterval: .milliseconds(50), statusInterval: .seconds(1),
        syncTimeout: .seconds(2), rebroadcastInterval: .seconds(1), emptyBlockInterval: nil, stallAfter: .seconds(10))

    let cast: ConsensusCast
    let index: Int
    var machine: ValidatorMachine
    var now: Duration = .zero
    /// Every action so far, in order.
    var actions: [ValidatorAction] = []
    var storeWorks = true
    var verdict: (ProposedBlock) -> BlockRejection? = { _ in nil }
    var commitResult: CommitResult?
    var syncResult: (([CertifiedBlock]) -> SyncResult)?

    /// A machine for `cast.members[index]`, started on a head at height 0.
    init(cast: ConsensusCast = ConsensusCast(), index: Int = 0, settings: ValidatorSettings = MachineRun.settings) {
        self.cast = cast
        self.index = index
        let member = cast.members[index]
        machine = ValidatorMachine(key: cast.keys[member]!, chainID: cast.chainID, settings: settings)
        feed(.start(head(0), lastSigned: nil, signed: []))
    }

    var member: MemberID { cast.members[index] }

    func head(_ height: UInt64) -> LedgerHead {
        LedgerHead(
            height: height, blockID: ConsensusCast.block("head \(height)"), validators: cast.validators,
            nextValidators: cast.validators)
    }

    /// Hands an event in at `now` and answers what the machine asks until it asks nothing.
    mutating func feed(_ event: ValidatorEvent) {
        var batch = machine.handle(event, at: now)
        while true {
            actions += batch
            guard let question = batch.last, question.expectsAnswer else { return }
            batch = machine.handle(answer(question), at: now)
        }
    }

    mutating func answer(_ question: ValidatorAction) -> ValidatorEvent {
        switch question {
        case .buildProposal(let height, let round):
            return .built(block("own \(height) \(round)", height: height, proposer: member))
        case .execute(let block):
            return .executed(block.id, verdict(block))
        case .storeSigned:
            return .stored(storeWorks)
        case .commit(let decision):
            return .committed(commitResult ?? .committed(head(decision.height)))
        case .applySynced(let blocks, _):
            return .synced(syncResult?(blocks) ?? SyncResult(applied: 0, head: head(machine.head?.height ?? 0)))
        default:
            preconditionFailure("\(question) expects no answer")
        }
    }

    mutating func deliver(_ message: ValidatorMessage, from index: Int, bytes: Int = 200) {
        feed(.peer(cast.members[index], message, bytes: bytes))
    }

    mutating func tick(at time: Duration, mempool: Int = 0, gossip: [Transaction] = []) {
        now = time
        feed(.tick(TickInput(mempoolCount: mempool, gossip: gossip)))
    }

    /// A block for `height` that only its id and height matter for (the test answers its execution).
    func block(_ label: String, height: UInt64 = 1, proposer: MemberID) -> ProposedBlock {
        cast.block(label, height: height, proposer: proposer)
    }

    func vote(_ kind: VoteKind, by index: Int, height: UInt64 = 1, round: UInt32 = 0, _ id: Hash256?)
        -> ValidatorMessage
    {
        let member = cast.members[index]
        return .vote(
            Vote.sign(
                kind, height: height, round: round, blockID: id, chainID: cast.chainID, validator: member,
                key: cast.keys[member]!))
    }

    // MARK: What the machine did

    var executed: [ProposedBlock] {
        actions.compactMap { action -> ProposedBlock? in
            guard case .execute(let block) = action else { return nil }
            return block
        }
    }

    var sentVotes: [Vote] {
        actions.compactMap { action -> Vote? in
            guard case .broadcast(.vote(let vote)) = action else { return nil }
            return vote
        }
    }

    var stores: Int {
        actions.count { action in
            guard case .storeSigned = action else { return false }
            return true
        }
    }

    func observed(_ observation: ValidatorObservation) -> Int {
        actions.count { action in
            guard case .observe(let seen) = action else { return false }
            return seen == observation
        }
    }

    func dropped(_ reason: String) -> Int { observed(.dropped(reason)) }

    /// The peers asked for blocks, in order.
    var syncRequests: [MemberID] {
        actions.compactMap { action -> MemberID? in
            guard case .send(.syncRequest, let member) = action else { return nil }
            return member
        }
    }

    var sent: [(message: ValidatorMessage, to: MemberID?)] {
        actions.compactMap { action -> (ValidatorMessage, MemberID?)? in
            switch action {
            case .send(let message, let member): (message, member)
            case .broadcast(let message): (message, nil)
            default: nil
            }
        }
    }
}
