import FacetConsensus
import FacetCore
import FacetLedger

/// One validator of a `ConsensusSimulation`: the production `ValidatorMachine`, and in the place of a node's ledger
/// and store a `WorldState` with its chain and safety state. The persistent part survives a crash; the machine and
/// the blocks executed in memory do not.
struct SimulatedNode: Sendable {
    let identity: MemberID
    let key: SigningKey
    /// Runs the machine, but its proposals and votes are rewritten by its attack (`SimulationParameters.attack`).
    let byzantine: Bool

    // Persistent: the ledger, and the safety state.
    var state: WorldState
    var chain: [CertifiedBlock] = []
    var committedTransactions = 0
    var lastSigned: ConsensusSlot?
    var signed: [ConsensusMessage] = []

    // Volatile.
    var machine: ValidatorMachine
    var alive = true
    var incarnation = 0
    /// Blocks executed (or built) for the next height, valid ones with their outcome: what `LedgerNode` keeps to
    /// commit a decided block.
    var executed: [Hash256: (block: ProposedBlock, outcome: BlockOutcome)] = [:]
    /// While set, every store call fails (the store fault).
    var storeDown = false
    /// A Byzantine node's conflicting twin of each message it signed, sent again unchanged when it re-broadcasts.
    var twins: [ConsensusMessage: ValidatorMessage] = [:]

    init(identity: MemberID, key: SigningKey, byzantine: Bool, state: WorldState, machine: ValidatorMachine) {
        self.identity = identity
        self.key = key
        self.byzantine = byzantine
        self.state = state
        self.machine = machine
    }

    func lastBlockID(genesis: Hash256) -> Hash256 { chain.last?.block.id ?? genesis }

    var nextHeight: UInt64 { state.height + 1 }

    /// The head as a `LedgerNode` reports it to the machine.
    func head(genesis: Hash256) -> LedgerHead {
        LedgerHead(
            height: state.height, blockID: lastBlockID(genesis: genesis),
            validators: state.validators.set(at: state.height + 1),
            nextValidators: state.validators.set(at: state.height + 2))
    }
}
