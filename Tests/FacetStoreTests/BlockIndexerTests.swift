import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

/// The history index names the right subjects for each transaction, once each, in a fixed order.
@Suite struct BlockIndexerTests {
    @Test func anInvoiceIsIndexedUnderItsIdAndBothParties() {
        var fixture = LedgerFixture(seed: 3)
        let before = fixture.state
        let invoice = fixture.sign(
            "firmA",
            .issueInvoice(
                .init(
                    buyer: fixture.id("firmB"), amount: (try? Money(minorUnits: 50_000, currency: .cny))!,
                    dueAt: fixture.time.adding(days: 30), pieces: [], channel: .wholesale)))
        let outcome = fixture.run([invoice])
        #expect(outcome.results[0].accepted)
        let commit = Self.commit(outcome, before: before, transactions: [invoice])
        let subjects = Set(commit.index.map(\.subject))
        #expect(subjects.contains(fixture.id("firmA").hash))
        #expect(subjects.contains(fixture.id("firmB").hash))
        #expect(subjects.contains(invoice.id.hash), "the invoice's own id")
        #expect(commit.index.count == subjects.count, "no subject twice for one transaction")
        #expect(commit.index == commit.index.sorted())
    }

    @Test func evidenceIsIndexedUnderTheOffender() {
        var fixture = LedgerFixture(seed: 3)
        let before = fixture.state
        func vote(_ block: UInt8) -> Vote {
            Vote.sign(
                .prevote, height: 1, round: 0, blockID: SHA256Hash.digest([block]), chainID: LedgerFixture.chainID,
                validator: fixture.id("v3"), key: fixture.actor("v3").key)
        }
        let misbehavior = Misbehavior.votes(vote(1), vote(2))!
        let report = fixture.sign("v1", .reportEvidence(.init(misbehavior: misbehavior)))
        let outcome = fixture.run([report])
        #expect(outcome.results[0].accepted)
        let commit = Self.commit(outcome, before: before, transactions: [report])
        let subjects = Set(commit.index.map(\.subject))
        #expect(subjects.contains(fixture.id("v3").hash), "the offender")
        #expect(subjects.contains(fixture.id("v1").hash), "the reporter")
        #expect(subjects.contains(EvidenceRecord.id(offender: fixture.id("v3"), slot: misbehavior.slot)))
        #expect(commit.validatorChange == nil)
    }

    @Test func aRefusedTransactionIsIndexedUnderItsSignerOnly() {
        var fixture = LedgerFixture(seed: 4)
        let before = fixture.state
        let bad = fixture.sign("firmA", .confirmInvoice(.init(invoice: InvoiceID(.zero))))
        let outcome = fixture.run([bad])
        #expect(!outcome.results[0].accepted)
        let commit = Self.commit(outcome, before: before, transactions: [bad])
        #expect(commit.index == [IndexEntry(position: 0, subject: fixture.id("firmA").hash)])
    }

    /// Over a random chain: each entry's subject is the signer or belongs to a record the transaction wrote,
    /// every accepted transaction that wrote a piece is indexed under that piece, and indexing twice gives the
    /// same entries.
    @Test(arguments: [UInt64(5), 6])
    func indexingARandomChainIsCompleteAndDeterministic(seed: UInt64) {
        var chain = SimulatedChain(seed: seed, blockSize: 20)
        for _ in 0..<15 {
            let block = chain.next()
            let first = Self.commit(block.outcome, before: block.stateBefore, transactions: block.transactions)
            let second = Self.commit(block.outcome, before: block.stateBefore, transactions: block.transactions)
            #expect(first.index == second.index)
            #expect(first.index == first.index.sorted())
            #expect(Set(first.index).count == first.index.count)
            for (position, transaction) in block.transactions.enumerated() {
                let subjects = Set(first.index.filter { $0.position == position }.map(\.subject))
                #expect(subjects.contains(transaction.signer.hash))
                for key in block.outcome.touched[position] where key.table == .piece {
                    #expect(subjects.contains(key.id), "seed \(seed): a written piece is indexed")
                }
                if !block.outcome.results[position].accepted { #expect(subjects == [transaction.signer.hash]) }
            }
        }
    }

    static func commit(_ outcome: BlockOutcome, before: WorldState, transactions: [Transaction]) -> BlockCommit {
        let header = BlockHeader(
            outcome: outcome, executedOn: before, previousBlockID: .zero, proposer: MemberID(.zero))
        let certificate = CommitCertificate(height: header.height, round: 0, blockID: header.id, signatures: [])
        return BlockCommit(
            outcome: outcome, executedOn: before, header: header, certificate: certificate, transactions: transactions)
    }
}
