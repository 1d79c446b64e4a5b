import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// A signer's refusals per block are capped: a proposer leaves the excess out, a validator refuses a block over
/// the cap, and everyone else's transactions go in as before.
@Suite struct RefusalCapTests {
    let builder = BlockBuilder(time: BlockTimeBounds(maxDriftMillis: 2_000))

    /// `count` confirmations of invoices that do not exist, by firmA: each refused `invoice.unknown`.
    func doomed(_ fixture: inout LedgerFixture, _ count: Int) -> [Transaction] {
        (0..<count).map { index in
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes[0] = UInt8(index + 1)
            return fixture.sign("firmA", .confirmInvoice(.init(invoice: InvoiceID(Hash256(bytes: bytes)))))
        }
    }

    @Test func aProposerLeavesOutASignersRefusalsBeyondTheCap() throws {
        var fixture = LedgerFixture(validators: 4)
        let cap = RefusalCap.perSignerPerBlock
        let refused = doomed(&fixture, cap + 4)
        let others = ["firmB", "firmC"].map {
            fixture.sign($0, .grantConsent(.init(lender: fixture.id("lender"), expiresAt: nil)))
        }
        let batch = Array(refused.prefix(cap)) + [others[0]] + Array(refused.suffix(4)) + [others[1]]
        let now = Timestamp(uncheckedMillis: fixture.state.time.millis + 5_000)
        let (block, outcome) = builder.propose(
            batch, on: fixture.state, previousBlockID: fixture.genesis.hash, proposer: fixture.id("v1"), now: now)
        #expect(block.transactions == Array(refused.prefix(cap)) + others)
        #expect(outcome.results.count { !$0.accepted } == cap)
        #expect(outcome.results.suffix(2).allSatisfy { $0.accepted }, "the other signers' transactions went in")
        let checked = builder.validate(block, on: fixture.state, previousBlockID: fixture.genesis.hash, now: now)
        #expect(checked.isSuccess, "\(checked)")
    }

    @Test func aValidatorRefusesABlockOverTheCap() {
        var fixture = LedgerFixture(validators: 4)
        let transactions = doomed(&fixture, RefusalCap.perSignerPerBlock + 1)
        let now = Timestamp(uncheckedMillis: fixture.state.time.millis + 5_000)
        // A faulty proposer executes the whole batch, as if there were no cap, and signs its true header.
        let outcome = fixture.executor.execute(transactions, on: fixture.state, time: now)
        let header = BlockHeader(
            outcome: outcome, executedOn: fixture.state, previousBlockID: fixture.genesis.hash,
            proposer: fixture.id("v1"))
        let block = ProposedBlock(header: header, transactions: transactions)
        #expect(
            builder.validate(block, on: fixture.state, previousBlockID: fixture.genesis.hash, now: now).rejection
                == .tooManyRefusals)
        #expect(RefusalCap.excess(transactions, results: outcome.results) == [RefusalCap.perSignerPerBlock])
    }
}
