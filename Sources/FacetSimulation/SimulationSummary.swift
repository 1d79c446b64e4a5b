/// Totals over many simulation runs, as `facet sim` prints them.
public struct SimulationSummary: Sendable, CustomStringConvertible {
    public private(set) var seeds = 0
    public private(set) var heights: UInt64 = 0
    public private(set) var sent = 0
    public private(set) var dropped = 0
    public private(set) var duplicated = 0
    public private(set) var crashes = 0
    public private(set) var partitions = 0
    public private(set) var synced = 0
    public private(set) var equivocations = 0
    public private(set) var evidence = 0
    /// Runs in which a planned validator-set change took effect.
    public private(set) var setChanges = 0
    public private(set) var maxCommitAfterHealMillis: Int64 = 0
    private var totalCommitAfterHealMillis: Int64 = 0
    private var healedRuns = 0
    /// The first failing run, if any.
    public private(set) var failure: SimulationReport?

    public init() {}

    public mutating func add(_ report: SimulationReport) {
        seeds += 1
        heights += report.heightsCommitted
        sent += report.messagesSent
        dropped += report.messagesDropped
        duplicated += report.messagesDuplicated
        crashes += report.crashes
        partitions += report.partitions
        synced += report.blocksSynced
        equivocations += report.equivocations
        evidence += report.evidence
        if report.setChangeHeight != nil { setChanges += 1 }
        if let heal = report.commitAfterHealMillis {
            healedRuns += 1
            totalCommitAfterHealMillis += heal
            maxCommitAfterHealMillis = max(maxCommitAfterHealMillis, heal)
        }
        if failure == nil, !report.passed { failure = report }
    }

    public var meanCommitAfterHealMillis: Int64 {
        healedRuns == 0 ? 0 : totalCommitAfterHealMillis / Int64(healedRuns)
    }

    public var description: String {
        "seeds=\(seeds) heights=\(heights) messages=\(sent) dropped=\(dropped) duplicated=\(duplicated)"
            + " crashes=\(crashes) partitions=\(partitions) synced=\(synced) equivocations=\(equivocations)"
            + " evidence=\(evidence) setChanges=\(setChanges)"
            + " commitAfterHeal(mean/max)=\(meanCommitAfterHealMillis)/\(maxCommitAfterHealMillis)ms"
    }
}
