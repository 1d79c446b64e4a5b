/// What the Byzantine validators of a `ConsensusSimulation` do. Each runs the production `ValidatorMachine`, and the
/// simulation rewrites what it sends (or, for `twins`, runs a second machine with its key).
public enum SimulatedAttack: String, CaseIterable, Hashable, Sendable {
    /// Conflicting proposals and votes for the two halves of the network (and both to one witness): evidence.
    case equivocation
    /// Sends nothing at all.
    case silence
    /// Proposes blocks that do not execute (a wrong state root), and re-proposes them every round it leads.
    case invalidBlocks = "invalid-blocks"
    /// Announces a head far above everyone's and answers every sync request with nothing (maxPeerHeight poisoning).
    case headPoisoning = "head-poisoning"
    /// Floods every peer with sync requests at each tick.
    case syncFlood = "sync-flood"
    /// Its proposals arrive over the block limit (the frame's size, as the transport counts it).
    case oversize
    /// Two machines run one validator's key, each honestly (Diem's Twins): they sign conflicting messages unaware.
    case twins
}
