import FacetConsensus
import FacetCore
import FacetLedger

/// What travels between simulated validators: consensus messages (a proposal with its block), and the block
/// sync of lagging validators (status, request, a committed block with its certificate).
enum SimulatedMessage: Sendable {
    case consensus(ConsensusMessage, block: ProposedBlock?)
    case status(height: UInt64)
    case syncRequest(height: UInt64)
    case syncResponse(ProposedBlock, CommitCertificate)
}

/// A committed block as a simulated validator stores it.
struct CommittedBlock: Sendable {
    var block: ProposedBlock
    var certificate: CommitCertificate
}

/// A message a validator signed at its current height, stored before it was sent (with its block for a proposal):
/// re-broadcast while the height is stuck, and handed back to the machine after a restart. A Byzantine validator
/// also keeps the conflicting twin it sent to the other half of the network.
struct SignedRecord: Sendable {
    var message: ConsensusMessage
    var block: ProposedBlock?
    var twin: ConsensusMessage?
    var twinBlock: ProposedBlock?
}

/// One validator of a `ConsensusSimulation`. The persistent part (state, chain, safety state, signed messages)
/// survives a crash; the machine and everything received in memory do not.
struct SimulatedValidator: Sendable {
    let identity: MemberID
    let key: SigningKey
    let byzantine: Bool

    // Persistent.
    var state: WorldState
    var chain: [CommittedBlock] = []
    var committedTransactions = 0
    var lastSigned: ConsensusSlot?
    var signed: [SignedRecord] = []

    // Volatile.
    var machine: Tendermint
    var alive = true
    var incarnation = 0
    var blocks: [Hash256: ProposedBlock] = [:]
    var seen: Set<ConsensusMessage> = []
    /// The messages of `seen` in the order they arrived (what gossip re-sends; a set's order is not stable).
    var received: [(ConsensusMessage, ProposedBlock?)] = []
    var nextHeightBuffer: [(ConsensusMessage, ProposedBlock?)] = []
    var lastSyncRequestMillis: Int64 = -1_000_000
    var heightAtLastGossip: UInt64 = 0

    /// Messages for the next height kept until this one commits; beyond it they are dropped (gossip re-sends).
    static let nextHeightBufferLimit = 64

    init(identity: MemberID, key: SigningKey, byzantine: Bool, state: WorldState, machine: Tendermint) {
        self.identity = identity
        self.key = key
        self.byzantine = byzantine
        self.state = state
        self.machine = machine
    }

    func lastBlockID(genesis: Hash256) -> Hash256 { chain.last?.block.id ?? genesis }

    var nextHeight: UInt64 { state.height + 1 }
}
