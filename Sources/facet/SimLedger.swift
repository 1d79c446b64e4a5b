import ArgumentParser
import FacetCore
import FacetSimulation

/// `facet sim ledger`: the seeded attacker of issue 15 (`LedgerAdversary`) over many transactions, in memory. Every
/// block goes through the oracle; the first violation stops the run with its seed and height (exit status 1).
struct SimLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Attack the ledger's money rules with a seeded adversary and check every block.",
        discussion: """
            Each seed starts a fresh consortium (three admins, admission by two approvals) and offers transactions \
            of every kind, signed by any member, replays refused bytes, junk price bands and extreme amounts, in \
            blocks of --block-size. Prints the counts: transactions, blocks, accepted, refusals by code.
            """)

    @Option(help: "How many seeds to run.") var seeds = 4
    @Option(help: "The first seed; the others follow it.") var firstSeed: UInt64 = 1
    @Option(help: "Transactions offered per seed.") var transactions = 250_000
    @Option(help: "Transactions per block.") var blockSize = 200

    func validate() throws {
        guard seeds >= 1, transactions >= 1, (1...Limits.maxBlockTransactions).contains(blockSize) else {
            throw ValidationError(
                "--seeds and --transactions must be positive, --block-size 1 to \(Limits.maxBlockTransactions)")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var total = AdversaryCounts()
        for offset in 0..<UInt64(seeds) {
            let seed = firstSeed &+ offset
            var adversary = LedgerAdversary(seed: seed)
            while adversary.counts.transactions < transactions {
                let problems = adversary.step(size: blockSize)
                guard problems.isEmpty else {
                    print("FAILED seed \(seed) at height \(adversary.state.height):")
                    for problem in problems { print("  \(problem)") }
                    print("reproduce: facet sim ledger --first-seed \(seed) --seeds 1 --transactions \(transactions)")
                    throw ExitCode.failure
                }
            }
            let full = StateChecker.violations(adversary.state)
            guard full.isEmpty else {
                print("FAILED seed \(seed): \(full.prefix(5))")
                throw ExitCode.failure
            }
            total.add(adversary.counts)
            print(
                "seed \(seed) ok: \(adversary.counts.transactions) transactions, height \(adversary.state.height), "
                    + "\(adversary.counts.accepted) accepted")
        }
        let elapsed = clock.now - started
        print("seeds \(firstSeed)…\(firstSeed &+ UInt64(seeds) &- 1), \(elapsed)")
        print(total)
    }
}
