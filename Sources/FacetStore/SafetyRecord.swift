import FacetCore
import FacetLedger

/// A validator's consensus safety state: the last slot it signed at, and the exact bytes of the message it signed
/// there. Saved before the message leaves the node, so a validator restarted after a crash re-broadcasts that same
/// message rather than signing a different one at the same slot (which would be equivocation, provable against it
/// with `report_evidence`).
public struct SafetyRecord: Hashable, Sendable {
    public let slot: ConsensusSlot
    /// The signed message (a vote or a proposal) in its canonical encoding, as broadcast.
    public let message: [UInt8]

    public init(slot: ConsensusSlot, message: [UInt8]) {
        self.slot = slot
        self.message = message
    }
}

/// A validator-set change as the chain announced it: the header at `height` named a next set other than its own,
/// so `validators` signs the blocks from `height + 1` on (until the next change).
public struct ValidatorSetChange: Hashable, Sendable {
    public let height: UInt64
    public let validators: ValidatorSet

    public init(height: UInt64, validators: ValidatorSet) {
        self.height = height
        self.validators = validators
    }
}
