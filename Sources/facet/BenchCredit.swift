import ArgumentParser
import FacetBench
import FacetCore

extension Bench {
    /// `facet bench credit`: its options, checked, as a `BenchCreditRun` (FacetBench), which measures.
    struct Credit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credit",
            abstract: "Latency of a lender's signed credit report and offers over HTTP, for firms of growing history.")

        @Option(parsing: .upToNextOption, help: "History sizes: transactions making the firm's history.")
        var attestations: [Int] = [100, 1_000, 10_000, 100_000]
        @Option(help: "Timed request pairs (report + offers) per size, after a short warm-up.") var requests = 200
        @Option(help: "The contracts folder holding models/, products/ and policies/ (default: found from here).")
        var contracts: String?
        @Option(help: "Measure a running node at this address (http://HOST:PORT) instead of built histories.")
        var node: String?
        @Option(name: .customLong("as"), help: "With --node: the key file of the lender signing the reads.")
        var key: String?
        @Option(help: "With --node: the firm (member id hex); default the consenting applicant earning most.")
        var firm: String?
        @Option(help: "Share (%) of invoices to named buyers that are never confirmed, so stay open receivables.")
        var unconfirmed = 5
        @Flag(help: "Print the figures as JSON (progress goes to standard error).") var json = false

        func validate() throws {
            guard requests >= 1 else { throw ValidationError("--requests is at least 1") }
            guard attestations.allSatisfy({ (50...1_000_000).contains($0) }) else {
                throw ValidationError("each size of --attestations is 50 to 1,000,000")
            }
            guard (node == nil) == (key == nil) else { throw ValidationError("--node and --as go together") }
            guard firm == nil || node != nil else { throw ValidationError("--firm needs --node") }
            if let firm, MemberID(hex: firm) == nil { throw ValidationError("--firm is a member id (64 hex)") }
            guard (0...100).contains(unconfirmed) else { throw ValidationError("--unconfirmed is 0 to 100") }
        }

        func run() async throws {
            var run = BenchCreditRun()
            run.attestations = attestations
            run.requests = requests
            run.contracts = contracts
            run.node = node
            run.key = key
            run.firm = firm
            run.unconfirmed = unconfirmed
            run.json = json
            try await run.run()
        }
    }
}
