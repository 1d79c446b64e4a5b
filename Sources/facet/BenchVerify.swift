import ArgumentParser
import FacetBench
import FacetCore

extension Bench {
    /// `facet bench verify`: its options, checked, as a `BenchVerifyRun` (FacetBench), which measures.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Time proof-bundle verification against Ed25519's rate on this machine.")

        @Option(parsing: .upToNextOption, help: "Log sizes (accepted transactions) to prove against.")
        var logSizes: [Int] = [1_000, 10_000, 100_000]
        @Option(help: "Verifications timed per bundle; p50 and p99 are reported.") var repetitions = 2_000
        @Option(help: "Seconds spent measuring Ed25519 verification.") var signatureSeconds = 2.0
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            var run = BenchVerifyRun()
            run.logSizes = logSizes
            run.repetitions = repetitions
            run.signatureSeconds = signatureSeconds
            run.json = json
            try run.run()
        }
    }
}
