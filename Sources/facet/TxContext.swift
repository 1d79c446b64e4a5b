import FacetClient
import FacetCore

/// What a subcommand may use to build its body: the signer, the chain and head the node reported, and the node
/// itself for the few bodies that look something up (a validator's key, the ledger height an offer names).
struct TxContext: Sendable {
    let signer: MemberKey
    let chainID: Label
    /// The node's committed height when the command started.
    let height: UInt64
    /// Nil in tests that build bodies without a node; a body that needs a lookup then asks for the value.
    let client: NodeClient?
}
