import FacetCore
import FacetLedger
import FacetTestSupport
import FacetTestTraits
import Testing

/// The seeded attacker of issue 15 against the ledger's money rules: 100,000 transactions over four seeds (25,000
/// each), the oracle checking every block. `facet sim ledger` runs millions the same way.
@Suite(.onOwnThread) struct LedgerAdversaryTests {
    static let seeds: [UInt64] = [15, 16, 17, 18]
    static let transactionsPerSeed = 25_000
    static let blockSize = 100

    @Test(arguments: seeds)
    func theMoneyRulesHoldAgainstAnyoneSigningAnything(seed: UInt64) {
        var adversary = LedgerAdversary(seed: seed)
        while adversary.counts.transactions < Self.transactionsPerSeed {
            let problems = adversary.step(size: Self.blockSize)
            let reproduce = "facet sim ledger --first-seed \(seed) --seeds 1 --transactions \(Self.transactionsPerSeed)"
            #expect(
                problems.isEmpty,
                "seed \(seed) height \(adversary.state.height): \(problems.prefix(5)) (reproduce: \(reproduce))")
            if !problems.isEmpty { return }
        }
        let full = StateChecker.violations(adversary.state)
        #expect(full.isEmpty, "seed \(seed): \(full.prefix(5))")
        let counts = adversary.counts
        print("adversary seed \(seed):\n\(counts)")
        // The attacks were tried, not merely possible: each rule refused something.
        let tried: [LedgerError.Code] = [
            .repaymentNotParty, .notLender, .invalidBand, .alreadyApproved, .alreadyDecided, .alreadyPledged,
            .overRepayment, .claimPending,
        ]
        for code in tried {
            #expect(counts.refusals[code.rawValue, default: 0] > 0, "seed \(seed) never met \(code): \(counts)")
        }
        #expect(counts.accepted * 10 > counts.transactions, "seed \(seed): too few accepted to mean much: \(counts)")
        #expect(counts.deferred > 0, "seed \(seed): no flood ever met the refusal cap: \(counts)")
        let loans = adversary.simulation.loanIDs.compactMap { adversary.state.record(Loan.self, $0.hash) }
        #expect(loans.contains { $0.status == .repaid }, "seed \(seed): no loan was ever repaid")
    }

    /// The oracle can fail: the lender's receipt, presented as if the borrower had signed it, is a loan lowered
    /// without its lender; a block offered twice is a transaction stored twice.
    @Test func theOracleCatchesABrokenRule() {
        var adversary = LedgerAdversary(seed: 3)
        var oracle = adversary.oracle
        var loan: Loan?
        while loan == nil && adversary.counts.transactions < 50_000 {
            _ = adversary.step(size: 100)
            oracle = adversary.oracle
            loan = adversary.simulation.loanIDs.compactMap { adversary.state.record(Loan.self, $0.hash) }
                .first { $0.status == .active && $0.outstanding.minorUnits > 1 }
        }
        guard let loan else {
            Issue.record("no active loan in 50,000 transactions")
            return
        }
        var fixture = adversary.simulation.fixture
        let before = fixture.state
        guard let lender = adversary.simulation.actorName(of: loan.lender),
            let borrower = adversary.simulation.actorName(of: loan.borrower),
            let one = try? Money(minorUnits: 1, currency: loan.outstanding.currency)
        else {
            Issue.record("the loan's parties are not in the cast")
            return
        }
        let receipt = fixture.sign(lender, .repay(.init(loan: loan.id, amount: one)))
        let outcome = fixture.run([receipt])
        #expect(outcome.results[0].accepted)
        #expect(oracle.check(before: before, block: [receipt], outcome: outcome, after: fixture.state).isEmpty)
        var forged = adversary.oracle
        let claimed = fixture.sign(borrower, receipt.body)
        let problems = forged.check(before: before, block: [claimed], outcome: outcome, after: fixture.state)
        #expect(problems.contains { $0.contains("without its lender") }, "\(problems)")
        #expect(problems.contains { $0.contains("stored twice") } == false)
        var twice = adversary.oracle
        _ = twice.check(before: before, block: [receipt], outcome: outcome, after: fixture.state)
        let again = twice.check(before: before, block: [receipt], outcome: outcome, after: fixture.state)
        #expect(again.contains { $0.contains("stored twice") }, "\(again)")
        // A block storing one more refusal of a signer than the cap allows.
        let flood = (0...RefusalCap.perSignerPerBlock).map { index in
            fixture.sign(lender, .confirmRepayment(.init(claim: TransactionID(SHA256Hash.digest([UInt8(index)])))))
        }
        let refused = flood.map { TransactionResult(id: $0.id, error: LedgerError(.unknownClaim, "no claim")) }
        #expect(AdversaryOracle.refusalsOverCap(Array(flood.dropLast()), Array(refused.dropLast())).isEmpty)
        #expect(AdversaryOracle.refusalsOverCap(flood, refused).count == 1)
    }
}
