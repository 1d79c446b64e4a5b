import FacetCore
import FacetLedger

/// What a node starts from: the world state at the stored head (the genesis state for an empty store) and the
/// id of the head block, which the next block's header must name as its previous block.
public struct LoadedState: Sendable {
    public let state: WorldState
    /// The head block's id; the genesis hash when no block is stored.
    public let headBlockID: Hash256

    public init(state: WorldState, headBlockID: Hash256) {
        self.state = state
        self.headBlockID = headBlockID
    }
}
