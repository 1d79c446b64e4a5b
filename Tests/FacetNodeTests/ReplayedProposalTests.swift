import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// A faulty proposer replays a transaction the ledger already ruled on: a validator refuses the proposal
/// (`block.already_decided`), so no id is stored with two verdicts. The same block without the replay is valid.
@Suite struct ReplayedProposalTests {
    @Test func aProposalHoldingADecidedTransactionIsRefused() async throws {
        var signer = LedgerFixture(validators: 1)
        // Refused once (no such invoice), so its nonce stays free and its bytes could execute again.
        let refused = signer.sign(
            "firmC", .confirmInvoice(.init(invoice: InvoiceID(Hash256(bytes: Array(repeating: 9, count: 32))))))
        let accepted = signer.sign("firmA", .grantConsent(.init(lender: signer.id("lender"), expiresAt: nil)))
        try await APITestNode.with(signer) { [signer] node in
            var f = signer
            _ = try await node.submit([refused, accepted])
            try #require(try await node.commitBlock()?.height == 1)
            let fresh = f.sign("firmB", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))

            let builder = BlockBuilder(time: BlockTimeBounds(maxDriftMillis: 5_000))
            func verdict(_ transactions: [Transaction]) async -> BlockRejection? {
                let state = await node.node.state
                let head = await node.node.head
                let now = node.clock.now()
                let block = builder.propose(
                    transactions, on: state, previousBlockID: head.blockID, proposer: node.node.validatorID, now: now
                ).block
                return await node.node.validate(block, now: now, builder: builder)
            }
            #expect(await verdict([fresh, refused]) == .alreadyDecided, "a refused transaction replayed")
            #expect(await verdict([accepted, fresh]) == .alreadyDecided, "an accepted transaction replayed")
            #expect(await verdict([fresh, fresh]) == .alreadyDecided, "one transaction twice in a block")
            #expect(await verdict([fresh]) == nil, "the block without a replay is valid")
            // Long after: the node no longer remembers the block, its store does.
            for height in 2...20 {
                _ = try await node.submit([
                    f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
                ])
                try #require(try await node.commitBlock()?.height == UInt64(height))
            }
            let later = f.sign("firmB", .grantConsent(.init(lender: f.id("lender2"), expiresAt: nil)))
            #expect(await verdict([later, refused]) == .alreadyDecided, "replayed from the store's memory")
            #expect(await verdict([later]) == nil)
        }
    }
}
