import ArgumentParser
import FacetBench
import FacetCore
import Logging

extension Bench {
    /// `facet bench consensus`: its options, checked, as a `BenchConsensusRun` (FacetBench), which measures.
    struct Consensus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consensus",
            abstract: "Committed tx/s and finality latency of N validators running consensus over loopback TCP.")

        @Option(help: "Validators (2 to 16), all in this process.") var validators = 4
        @Option(help: "Invoices to submit.") var transactions = 20_000
        @Option(help: "Wait after each commit before the next height, in milliseconds.") var blockMillis = 100
        @Option(help: "Most transactions per block.") var maxBlock = 5_000
        @Option(help: "Offered load in transactions per second (default: as fast as the pools take them).")
        var rate: Int?
        @Option(help: "First peer port; validator i listens on 127.0.0.1:PORT+i.") var peerPort = 7900
        @Option(help: "Firms per validator, each submitting to that validator only.") var signers = 4
        @Option(help: "Each validator's mempool bound (transactions).") var mempool = 50_000
        @Option(help: "The validators' log level (trace, debug, info, notice, warning, error, critical).")
        var logLevel: Logger.Level = .warning
        @Option(help: "Give up when no validator commits a block for this many seconds.") var stallSeconds = 60

        func validate() throws {
            guard (2...16).contains(validators) else { throw ValidationError("--validators is 2 to 16") }
            guard transactions > 0, maxBlock > 0, signers > 0, mempool > 0 else {
                throw ValidationError("--transactions, --max-block, --signers and --mempool are positive")
            }
            guard (1...3_600_000).contains(blockMillis) else { throw ValidationError("--block-millis is 1 to 3600000") }
            if let rate, rate <= 0 { throw ValidationError("--rate is positive") }
        }

        func run() async throws {
            var run = BenchConsensusRun()
            run.validators = validators
            run.transactions = transactions
            run.blockMillis = blockMillis
            run.maxBlock = maxBlock
            run.rate = rate
            run.peerPort = peerPort
            run.signers = signers
            run.mempool = mempool
            run.logLevel = logLevel
            run.stallSeconds = stallSeconds
            try await run.run()
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
