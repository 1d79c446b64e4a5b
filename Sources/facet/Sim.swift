import ArgumentParser
import FacetSimulation
import Foundation
import Synchronization

/// `facet sim`: deterministic simulations. `facet sim consensus` (the default, so `facet sim --seeds 200` still runs
/// it) and `facet sim ledger`.
struct Sim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deterministic simulations: consensus under faults (the default), or the ledger under attack.",
        subcommands: [SimConsensus.self, SimLedger.self], defaultSubcommand: SimConsensus.self)
}

/// `facet sim consensus`: the deterministic consensus simulation over many seeds. Exit status 0 when every seed
/// passes, 1 with the failing seed's parameters (enough to reproduce it exactly) otherwise.
struct SimConsensus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consensus",
        abstract: "Run Tendermint over a simulated faulty network for many seeds and check safety and liveness.")

    @Option(help: "How many seeds to run.") var seeds = 100
    @Option(help: "Validators (1 to 7).") var validators = 4
    @Option(help: "Byzantine validators (fewer than a third).") var byzantine = 0
    @Option(
        help: """
            What the Byzantine validators do: \(SimulatedAttack.allCases.map(\.rawValue).joined(separator: ", ")); \
            all runs each in turn, seed by seed.
            """)
    var attack = SimulatedAttack.equivocation.rawValue
    @Option(help: "The first seed; the others follow it.") var firstSeed: UInt64 = 1
    @Option(help: "Heights every correct validator must commit.") var heights: UInt64 = 4
    @Flag(help: "A well-behaved network: no drops, partitions or crashes.") var noFaults = false
    @Option(help: "Print a progress line every this many seeds.") var every = 25
    @Option(help: "Seeds run at once, on as many threads (the output does not depend on it).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(
        help: """
            Change the validator set during each run to these validator numbers, comma-separated \
            (1,2,3,5 from 4 validators: v5 joins and v4 leaves; 1,2,3,4,5,6,7: three join).
            """)
    var setChange: String?
    @Flag(help: "Print every event and action of each run (meant for one seed: --seeds 1).") var trace = false

    func validate() throws {
        guard (1...LedgerFixture.maxValidators).contains(validators) else {
            throw ValidationError("--validators must be 1 to \(LedgerFixture.maxValidators)")
        }
        guard byzantine >= 0, 3 * byzantine < validators else {
            throw ValidationError("--byzantine must be below a third of the validators")
        }
        guard seeds >= 1, heights >= 1, every >= 1, jobs >= 1 else {
            throw ValidationError("--seeds, --heights, --every and --jobs must be positive")
        }
        if setChange != nil { try validateSetChange() }
        guard attack == "all" || SimulatedAttack(rawValue: attack) != nil else {
            throw ValidationError("--attack must be all or one of \(SimulatedAttack.allCases.map(\.rawValue))")
        }
    }

    /// The attack of the run at `offset`: the one named, or each in turn under `all`.
    private func chosenAttack(_ offset: UInt64) -> SimulatedAttack {
        if let named = SimulatedAttack(rawValue: attack) { return named }
        let all = SimulatedAttack.allCases
        return all[Int(offset % UInt64(all.count))]
    }

    private func validateSetChange() throws {
        guard let numbers = plannedNumbers, !numbers.isEmpty, numbers == Array(Set(numbers)).sorted(),
            numbers.allSatisfy({ (1...LedgerFixture.maxValidators).contains($0) })
        else {
            throw ValidationError("--set-change must list ascending validator numbers from 1 to 7, such as 1,2,3,5")
        }
        guard numbers != Array(1...validators) else {
            throw ValidationError("--set-change must differ from the genesis set v1…v\(validators)")
        }
        let byzantineKept = numbers.filter { $0 > validators - byzantine && $0 <= validators }.count
        guard 3 * byzantineKept < numbers.count else {
            throw ValidationError("the Byzantine validators must stay below a third of the new set")
        }
    }

    /// The numbers of `--set-change`, nil when one does not parse.
    private var plannedNumbers: [Int]? {
        guard let setChange else { return nil }
        let numbers = setChange.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        return numbers.contains(nil) ? nil : numbers.compactMap { $0 }
    }

    func run() throws {
        var summary = SimulationSummary()
        let batch = UInt64(max(jobs, 1) * 16)
        var start: UInt64 = 0
        while start < UInt64(seeds) {
            let end = min(start + batch, UInt64(seeds))
            for report in reports(start..<end) {
                summary.add(report)
                if !report.passed {
                    print("FAILED \(report)")
                    print("summary: \(summary)")
                    throw ExitCode.failure
                }
                if summary.seeds % every == 0 { print("\(summary.seeds)/\(seeds) seeds ok (last: \(report))") }
            }
            start = end
        }
        print("summary: \(summary)")
    }

    /// Runs the seeds at `offsets` on `jobs` threads; the reports come back in seed order (each run is
    /// deterministic and independent, so the output is the same for any number of jobs).
    private func reports(_ offsets: Range<UInt64>) -> [SimulationReport] {
        let results = SimulationReports(count: offsets.count)
        let workers = max(1, min(jobs, offsets.count))
        let runs = offsets.map { parameters($0) }
        let printer: @Sendable (String) -> Void = { line in print(line) }
        let tracer = trace ? printer : nil
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < runs.count {
                let report = ConsensusSimulation.run(runs[index], trace: tracer)
                results.store(report, at: index)
                index += workers
            }
        }
        return results.take()
    }

    private func parameters(_ offset: UInt64) -> SimulationParameters {
        SimulationParameters(
            seed: firstSeed &+ offset, validators: validators, byzantine: byzantine, attack: chosenAttack(offset),
            heights: heights, faults: noFaults ? .none : .mixed,
            setChange: plannedNumbers.map { PlannedSetChange(validators: $0) })
    }
}

/// The reports of a batch of seeds, filled in by the worker threads.
private final class SimulationReports: Sendable {
    private let slots: Mutex<[SimulationReport?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ report: SimulationReport, at index: Int) { slots.withLock { $0[index] = report } }

    /// Every report, in seed order.
    func take() -> [SimulationReport] {
        slots.withLock { slots in
            slots.map { report in
                guard let report else { preconditionFailure("every seed of the batch ran") }
                return report
            }
        }
    }
}
