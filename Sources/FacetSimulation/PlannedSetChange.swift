/// A validator-set change planned for a simulation run: joining validators are registered by the first pool
/// transactions, and from `announceHeight` on, a proposer whose state allows it puts a `change_validators`
/// transaction (approved by a quorum of the current set) in its block, effective `delay` heights later.
public struct PlannedSetChange: Hashable, Sendable, CustomStringConvertible {
    /// The new set by validator number (3 for v3), ascending; numbers beyond the genesis validators join.
    public var validators: [Int]
    /// The first height at which a proposer may put the change in its block.
    public var announceHeight: UInt64
    /// The consortium's `validatorChangeDelay`: the change is effective this many heights after its block.
    public var delay: UInt64
    /// Heights every correct validator must commit from the effective height on (liveness under the new set).
    public var heightsAfter: UInt64

    public init(validators: [Int], announceHeight: UInt64 = 2, delay: UInt64 = 2, heightsAfter: UInt64 = 3) {
        precondition(!validators.isEmpty, "a validator set is never empty")
        precondition(validators == Array(Set(validators)).sorted(), "validator numbers ascend without repeats")
        precondition(
            validators.allSatisfy { (1...LedgerFixture.maxValidators).contains($0) }, "the fixture has v1 to v7")
        precondition(announceHeight >= 1 && delay >= 1 && heightsAfter >= 1, "the change is announced and used")
        self.validators = validators
        self.announceHeight = announceHeight
        self.delay = delay
        self.heightsAfter = heightsAfter
    }

    /// From {v1…v4}: v5 joins and v4 leaves.
    public static let replaceFourth = PlannedSetChange(validators: [1, 2, 3, 5])

    /// From {v1…v4} to {v1…v7}: three validators join, and f grows from one to two.
    public static let growToSeven = PlannedSetChange(validators: Array(1...7))

    public var description: String {
        "{" + validators.map { "v\($0)" }.joined(separator: ",") + "} from height \(announceHeight)+\(delay)"
    }
}
