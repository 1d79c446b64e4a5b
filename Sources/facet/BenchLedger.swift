import ArgumentParser
import FacetAPI
import FacetBench
import FacetCore

extension Bench {
    /// `facet bench ledger`: its options, checked, as a `BenchLedgerRun` (FacetBench), which measures.
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Committed tx/s, finality, CPU and memory of N validator processes under HTTP load.")

        @Option(help: "Validators (1 to 16), each a `facet node start` process.") var validators = 4
        @Option(
            help:
                "sqlite, or postgres://USER@HOST:PORT/DATABASE (validator i uses DATABASE_v<i>, recreated and dropped)."
        )
        var store = "sqlite"
        @Option(help: "Offered load of the paced run in transactions per second.") var rate: Double?
        @Flag(help: "Find the saturation point first, then run paced at 80% of it.") var saturate = false
        @Option(help: "Seconds of the paced run.") var duration = 20
        @Option(help: "Seconds of the saturation run.") var saturateSeconds = 15
        @Option(help: "Transactions pre-signed for the saturation run (it ends early when they run out).")
        var saturateTransactions = 150_000
        @Option(help: "Concurrent client connections, spread over the validators.") var clients = 8
        @Option(help: "Transactions per request: 1 uses POST /v1/transactions, more POST /v1/transactions/batch.")
        var batch = 100
        @Option(help: "Signers per client (each client signs with its own, so nonces stay in order).")
        var signersPerClient = 8
        @Option(help: "First HTTP API port; validator i listens on 127.0.0.1:PORT+i.") var apiPort = 7300
        @Option(help: "First peer port; validator i listens on 127.0.0.1:PORT+i.") var peerPort = 7400
        @Option(help: "Wait after each commit before the next block, in milliseconds.") var blockMillis = 100
        @Option(help: "Most transactions per block.") var maxBlock = 5_000
        @Option(help: "Each validator's mempool bound (transactions).") var mempool = 50_000
        @Option(help: "The validators' log level (their node.log).") var logLevel = "warning"
        @Option(help: "Keep the validators' folder here instead of a removed temporary one.") var keep: String?
        @Flag(help: "Print one JSON object instead of tables (progress goes to stderr).") var json = false

        func validate() throws {
            guard (1...16).contains(validators) else { throw ValidationError("--validators is 1 to 16") }
            guard saturate || rate != nil else { throw ValidationError("give --rate R or --saturate") }
            guard !(saturate && rate != nil) else { throw ValidationError("--rate and --saturate exclude each other") }
            if let rate, rate <= 0 { throw ValidationError("--rate is positive") }
            guard duration > 0, saturateSeconds > 0, saturateTransactions > 0 else {
                throw ValidationError("--duration, --saturate-seconds and --saturate-transactions are positive")
            }
            guard clients >= validators, clients <= 256 else {
                throw ValidationError("--clients is at least --validators (each validator gets a client), at most 256")
            }
            guard (1...NodeAPI.maxBatchTransactions).contains(batch) else {
                throw ValidationError("--batch is 1 to \(NodeAPI.maxBatchTransactions)")
            }
            guard signersPerClient >= 2 else { throw ValidationError("--signers-per-client is at least 2") }
            guard (1...Limits.maxBlockTransactions).contains(maxBlock) else {
                throw ValidationError("--max-block is 1 to \(Limits.maxBlockTransactions)")
            }
            guard (1...3_600_000).contains(blockMillis), mempool > 0 else {
                throw ValidationError("--block-millis is 1 to 3600000 and --mempool positive")
            }
            guard store == "sqlite" || store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") else {
                throw ValidationError("--store is sqlite or a postgres:// URL")
            }
            guard apiPort > 0, peerPort > 0, apiPort + validators < 65_536, peerPort + validators < 65_536 else {
                throw ValidationError("--api-port and --peer-port leave room for the validators")
            }
        }

        func run() async throws {
            var run = BenchLedgerRun()
            run.validators = validators
            run.store = store
            run.rate = rate
            run.saturate = saturate
            run.duration = duration
            run.saturateSeconds = saturateSeconds
            run.saturateTransactions = saturateTransactions
            run.clients = clients
            run.batch = batch
            run.signersPerClient = signersPerClient
            run.apiPort = apiPort
            run.peerPort = peerPort
            run.blockMillis = blockMillis
            run.maxBlock = maxBlock
            run.mempool = mempool
            run.logLevel = logLevel
            run.keep = keep
            run.json = json
            try await run.run()
        }
    }
}
