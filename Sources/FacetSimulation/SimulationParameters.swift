/// The faults a consensus simulation injects before GST (the moment the network heals). After GST no message is
/// dropped, partitions are healed, crashed validators are back, and delays stay within `healedMaxDelayMillis`.
public struct FaultMix: Hashable, Sendable, CustomStringConvertible {
    public var dropPercent: Int
    public var duplicatePercent: Int
    /// Delays are uniform in [minDelayMillis, maxDelayMillis] before GST: unequal delays reorder messages.
    public var minDelayMillis: Int64
    public var maxDelayMillis: Int64
    public var healedMaxDelayMillis: Int64
    public var partitions: Bool
    public var crashes: Bool
    /// Correct validators whose store fails for a while before GST (every write refused) and comes back.
    public var storeFailures: Bool
    /// GST falls uniformly in this range of virtual milliseconds.
    public var gstMillis: ClosedRange<Int64>

    public init(
        dropPercent: Int, duplicatePercent: Int, minDelayMillis: Int64, maxDelayMillis: Int64,
        healedMaxDelayMillis: Int64, partitions: Bool, crashes: Bool, storeFailures: Bool = false,
        gstMillis: ClosedRange<Int64>
    ) {
        precondition((0...100).contains(dropPercent) && (0...100).contains(duplicatePercent), "percentages")
        precondition(minDelayMillis >= 0 && minDelayMillis <= maxDelayMillis, "delay range")
        precondition(healedMaxDelayMillis >= minDelayMillis, "healed delays")
        self.dropPercent = dropPercent
        self.duplicatePercent = duplicatePercent
        self.minDelayMillis = minDelayMillis
        self.maxDelayMillis = maxDelayMillis
        self.healedMaxDelayMillis = healedMaxDelayMillis
        self.partitions = partitions
        self.crashes = crashes
        self.storeFailures = storeFailures
        self.gstMillis = gstMillis
    }

    /// Drops, duplicates, reordering delays, a partition, crashes with restarts, and a store that fails.
    public static let mixed = FaultMix(
        dropPercent: 15, duplicatePercent: 10, minDelayMillis: 2, maxDelayMillis: 250, healedMaxDelayMillis: 60,
        partitions: true, crashes: true, storeFailures: true, gstMillis: 1_500...3_500)

    /// A well-behaved network (only reordering within small delays).
    public static let none = FaultMix(
        dropPercent: 0, duplicatePercent: 0, minDelayMillis: 2, maxDelayMillis: 40, healedMaxDelayMillis: 40,
        partitions: false, crashes: false, gstMillis: 0...0)

    public var description: String {
        "drop=\(dropPercent)% dup=\(duplicatePercent)% delay=\(minDelayMillis)-\(maxDelayMillis)ms"
            + " healed<=\(healedMaxDelayMillis)ms partitions=\(partitions) crashes=\(crashes)"
            + " storeFailures=\(storeFailures)"
            + " gst=\(gstMillis.lowerBound)-\(gstMillis.upperBound)ms"
    }
}

/// Everything that determines a simulation run: the same parameters give the same run, bit for bit.
public struct SimulationParameters: Hashable, Sendable, CustomStringConvertible {
    public var seed: UInt64
    public var validators: Int
    /// Byzantine validators (the last `byzantine` of v1…vn).
    public var byzantine: Int
    /// What the Byzantine validators do.
    public var attack: SimulatedAttack
    /// Every correct validator must reach this height (and commit at least once after GST).
    public var heights: UInt64
    public var faults: FaultMix
    /// Transactions per proposed block.
    public var blockSize: Int
    /// After GST, some correct validator must commit a new height within this much virtual time.
    public var livenessBoundMillis: Int64
    /// The run fails when it has not finished by GST plus this much virtual time.
    public var finishBoundMillis: Int64
    /// A change of the validator set during the run (`validators` is then the genesis set's size).
    public var setChange: PlannedSetChange?

    public init(
        seed: UInt64, validators: Int, byzantine: Int = 0, attack: SimulatedAttack = .equivocation, heights: UInt64 = 4,
        faults: FaultMix = .mixed,
        blockSize: Int = 1, livenessBoundMillis: Int64 = 30_000, finishBoundMillis: Int64 = 120_000,
        setChange: PlannedSetChange? = nil
    ) {
        precondition(validators >= 1 && validators <= LedgerFixture.maxValidators, "1 to 7 validators")
        precondition(byzantine >= 0 && 3 * byzantine < validators, "byzantine validators must stay below n/3")
        precondition(heights >= 1 && blockSize >= 0, "at least one height")
        if let setChange {
            precondition(setChange.validators != Array(1...validators), "the new set differs from the genesis set")
            precondition(blockSize >= 1, "the joining validators are registered by pool transactions")
            let staying = setChange.validators.filter { $0 > validators - byzantine && $0 <= validators }
            precondition(3 * staying.count < setChange.validators.count, "byzantine validators stay below n/3")
        }
        self.seed = seed
        self.validators = validators
        self.byzantine = byzantine
        self.attack = attack
        self.heights = heights
        self.faults = faults
        self.blockSize = blockSize
        self.livenessBoundMillis = livenessBoundMillis
        self.finishBoundMillis = finishBoundMillis
        self.setChange = setChange
    }

    /// How many simulated validators run: the genesis set and every validator that joins.
    public var nodeCount: Int { max(validators, setChange?.validators.last ?? 0) }

    /// How many machines run: one per node, and a second for each Byzantine validator's key under `twins`.
    public var machineCount: Int { nodeCount + (attack == .twins ? byzantine : 0) }

    public var description: String {
        "seed=\(seed) validators=\(validators) byzantine=\(byzantine) attack=\(attack.rawValue) heights=\(heights)"
            + " blockSize=\(blockSize)"
            + " faults=[\(faults)]" + (setChange.map { " setChange=\($0)" } ?? "")
    }
}
