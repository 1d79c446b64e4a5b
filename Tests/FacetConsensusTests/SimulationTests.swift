import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport
import FacetTestTraits
import Testing

/// The deterministic simulation over many seeds: 4 validators (f = 1) and 7 (f = 2), each running the production
/// `ValidatorMachine`, with and without Byzantine validators (every `SimulatedAttack`), under drops, duplicates,
/// reordering delays, a partition, crashes with restarts and a store that fails. A failure prints the parameters
/// that reproduce it (`facet sim --first-seed S --seeds 1 ...`).
@Suite(.onOwnThread) struct SimulationTests {
    static let fourSeeds = Array(UInt64(1)...60)
    static let sevenSeeds = Array(UInt64(1)...45)
    static let replaceSeeds = Array(UInt64(1)...12)
    static let growSeeds = Array(UInt64(1)...6)
    static let attackSeeds = Array(UInt64(1)...6)

    func check(_ parameters: SimulationParameters) -> SimulationReport {
        let report = ConsensusSimulation.run(parameters)
        #expect(report.passed, "\(report)")
        #expect(report.heightsCommitted >= parameters.heights, "\(report)")
        #expect(report.commitAfterHealMillis != nil, "\(report)")
        return report
    }

    @Test(arguments: fourSeeds) func fourValidatorsUnderFaults(seed: UInt64) {
        _ = check(SimulationParameters(seed: seed, validators: 4, heights: 3))
    }

    @Test(arguments: fourSeeds) func fourValidatorsWithOneEquivocator(seed: UInt64) {
        let report = check(SimulationParameters(seed: seed, validators: 4, byzantine: 1, heights: 3))
        #expect(report.equivocations > 0 && report.evidence > 0, "\(report)")
    }

    @Test(arguments: sevenSeeds) func sevenValidatorsUnderFaults(seed: UInt64) {
        _ = check(SimulationParameters(seed: seed, validators: 7, heights: 3))
    }

    @Test(arguments: sevenSeeds) func sevenValidatorsWithTwoEquivocators(seed: UInt64) {
        let report = check(SimulationParameters(seed: seed, validators: 7, byzantine: 2, heights: 3))
        #expect(report.equivocations > 0 && report.evidence > 0, "\(report)")
    }

    @Test(arguments: SimulatedAttack.allCases, attackSeeds)
    func fourValidatorsWithOneAttacker(attack: SimulatedAttack, seed: UInt64) {
        let report = check(SimulationParameters(seed: seed, validators: 4, byzantine: 1, attack: attack, heights: 3))
        #expect(report.storeOutages == 1, "a correct validator's store failed and came back: \(report)")
    }

    @Test(arguments: SimulatedAttack.allCases)
    func sevenValidatorsWithTwoAttackers(attack: SimulatedAttack) {
        _ = check(SimulationParameters(seed: 11, validators: 7, byzantine: 2, attack: attack, heights: 3))
    }

    /// Over six heights the attacker leads a round at least once; on a network that loses nothing its proposal
    /// reaches every correct validator, which refuses it (not executed when oversize), and the others move on.
    @Test(arguments: [SimulatedAttack.invalidBlocks, .oversize])
    func anAttackersProposalsAreRefused(attack: SimulatedAttack) {
        let report = check(
            SimulationParameters(seed: 9, validators: 4, byzantine: 1, attack: attack, heights: 6, faults: .none))
        #expect(report.refusedProposals > 0 && report.evidence == 0, "\(report)")
    }

    @Test func aHealthyNetworkCommitsEveryHeightQuickly() {
        let report = check(SimulationParameters(seed: 3, validators: 4, heights: 6, faults: .none))
        #expect(report.messagesDropped == 0 && report.crashes == 0 && report.blocksSynced == 0)
        #expect(report.virtualMillis < 6 * 1_000, "\(report)")
    }

    @Test func theSameSeedGivesTheSameRunBitForBit() {
        let parameters = SimulationParameters(seed: 42, validators: 7, byzantine: 2, heights: 3)
        let first = ConsensusSimulation.run(parameters)
        let second = ConsensusSimulation.run(parameters)
        #expect(first.digest == second.digest)
        #expect(first.description == second.description)
        let other = ConsensusSimulation.run(SimulationParameters(seed: 43, validators: 7, byzantine: 2, heights: 3))
        #expect(other.digest != first.digest, "another seed is another run")
    }

    /// A set-change run passed (every decided block signed by the set of its height, a proof across the change, the
    /// joining validators signing), and the change took effect no earlier than the plan allows, with
    /// `heightsAfter` heights committed under the new set.
    func checkSetChange(_ parameters: SimulationParameters, earliest: UInt64) {
        let report = check(parameters)
        guard let change = parameters.setChange, let effective = report.setChangeHeight else {
            Issue.record("the validator-set change never took effect: \(report)")
            return
        }
        #expect(effective >= earliest, "\(report)")
        #expect(report.heightsCommitted >= effective + change.heightsAfter - 1, "\(report)")
    }

    /// v5 joins and v4, the equivocator, leaves: from the effective height v1, v2, v3 and v5 sign.
    @Test(arguments: replaceSeeds) func aValidatorReplacedUnderFaults(seed: UInt64) {
        let change = PlannedSetChange.replaceFourth
        checkSetChange(
            SimulationParameters(seed: seed, validators: 4, byzantine: 1, heights: 3, setChange: change),
            earliest: change.announceHeight + change.delay)
    }

    /// v5, v6 and v7 join a set of four with an equivocator: they are registered by blocks 1 to 3 at the earliest,
    /// so the change is announced from block 4 on.
    @Test(arguments: growSeeds) func fourValidatorsGrowToSevenUnderFaults(seed: UInt64) {
        let change = PlannedSetChange.growToSeven
        checkSetChange(
            SimulationParameters(seed: seed, validators: 4, byzantine: 1, heights: 3, setChange: change),
            earliest: 4 + change.delay)
    }

    @Test func aSetChangeOnAHealthyNetworkTakesEffectWhenPlanned() {
        let change = PlannedSetChange.replaceFourth
        let report = check(
            SimulationParameters(seed: 5, validators: 4, heights: 3, faults: .none, setChange: change))
        #expect(report.setChangeHeight == change.announceHeight + change.delay, "\(report)")
    }

    @Test func aSetChangeRunIsReproducible() {
        let parameters = SimulationParameters(
            seed: 42, validators: 4, byzantine: 1, heights: 3, setChange: .growToSeven)
        let first = ConsensusSimulation.run(parameters)
        let second = ConsensusSimulation.run(parameters)
        #expect(first.digest == second.digest)
        #expect(first.description == second.description)
        var unchanged = parameters
        unchanged.setChange = nil
        #expect(ConsensusSimulation.run(unchanged).setChangeHeight == nil)
    }
}
