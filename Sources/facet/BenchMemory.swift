import ArgumentParser
import FacetBench
import FacetCore

extension Bench {
    /// `facet bench memory`: its options, checked, as a `BenchMemoryRun` (FacetBench), which measures.
    struct Memory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "memory",
            abstract: "Resident memory of a lone validator process over a store of N committed transactions.")

        @Option(help: "Committed transactions in the store.") var transactions = 1_000_000
        @Option(help: "Build the store here and keep it (default: a temporary folder, removed).") var dir: String?
        @Flag(help: "With --dir: use the store already there when it holds at least --transactions.") var reuse = false
        @Flag(help: "Print one JSON object instead of a table (progress goes to stderr).") var json = false
        @Option(help: "The validator's HTTP API port (127.0.0.1).") var apiPort = 7350
        @Option(help: "The validator's peer port (unused by a lone validator, written to its node.json).")
        var peerPort = 7450
        @Option(help: "Random GET /v1/blocks/{h} and GET /v1/transactions/{id}/proof after start-up.")
        var reads = 200

        func validate() throws {
            guard (1...50_000_000).contains(transactions) else {
                throw ValidationError("--transactions is 1 to 50000000")
            }
            guard !reuse || dir != nil else { throw ValidationError("--reuse needs --dir") }
            guard (1..<65_536).contains(apiPort), (1..<65_536).contains(peerPort), apiPort != peerPort else {
                throw ValidationError("--api-port and --peer-port are distinct ports (1 to 65535)")
            }
            guard (0...100_000).contains(reads) else { throw ValidationError("--reads is 0 to 100000") }
        }

        func run() async throws {
            var run = BenchMemoryRun()
            run.transactions = transactions
            run.dir = dir
            run.reuse = reuse
            run.json = json
            run.apiPort = apiPort
            run.peerPort = peerPort
            run.reads = reads
            try await run.run()
        }
    }
}
