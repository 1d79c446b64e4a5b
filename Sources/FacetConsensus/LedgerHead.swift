import FacetCore
import FacetLedger

/// The validator's committed head as its ledger reports it: the height, the block id, and the validator sets that
/// sign the next block and the one after it. The machine starts each height at `height + 1` with `validators`.
public struct LedgerHead: Hashable, Sendable {
    public var height: UInt64
    public var blockID: Hash256
    /// The set that signs the block at `height + 1`.
    public var validators: ValidatorSet
    /// The set that signs the block at `height + 2` (as scheduled now).
    public var nextValidators: ValidatorSet

    public init(height: UInt64, blockID: Hash256, validators: ValidatorSet, nextValidators: ValidatorSet) {
        self.height = height
        self.blockID = blockID
        self.validators = validators
        self.nextValidators = nextValidators
    }
}
