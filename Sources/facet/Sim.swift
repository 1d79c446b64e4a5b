import ArgumentParser
import FacetTestSupport

/// `facet sim`: the deterministic consensus simulation over many seeds. Exit status 0 when every seed passes,
/// 1 with the failing seed's parameters (enough to reproduce it exactly) otherwise.
struct Sim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Tendermint over a simulated faulty network for many seeds and check safety and liveness.")

    @Option(help: "How many seeds to run.") var seeds = 100
    @Option(help: "Validators (1 to 7).") var validators = 4
    @Option(help: "Byzantine validators that equivocate (fewer than a third).") var byzantine = 0
    @Option(help: "The first seed; the others follow it.") var firstSeed: UInt64 = 1
    @Option(help: "Heights every correct validator must commit.") var heights: UInt64 = 4
    @Flag(help: "A well-behaved network: no drops, partitions or crashes.") var noFaults = false
    @Option(help: "Print a progress line every this many seeds.") var every = 25

    func validate() throws {
        guard (1...LedgerFixture.maxValidators).contains(validators) else {
            throw ValidationError("--validators must be 1 to \(LedgerFixture.maxValidators)")
        }
        guard byzantine >= 0, 3 * byzantine < validators else {
            throw ValidationError("--byzantine must be below a third of the validators")
        }
        guard seeds >= 1, heights >= 1, every >= 1 else {
            throw ValidationError("--seeds, --heights and --every must be positive")
        }
    }

    func run() throws {
        var summary = SimulationSummary()
        for offset in 0..<UInt64(seeds) {
            let parameters = SimulationParameters(
                seed: firstSeed &+ offset, validators: validators, byzantine: byzantine, heights: heights,
                faults: noFaults ? .none : .mixed)
            let report = ConsensusSimulation.run(parameters)
            summary.add(report)
            if !report.passed {
                print("FAILED \(report)")
                print("summary: \(summary)")
                throw ExitCode.failure
            }
            if summary.seeds % every == 0 { print("\(summary.seeds)/\(seeds) seeds ok (last: \(report))") }
        }
        print("summary: \(summary)")
    }
}
