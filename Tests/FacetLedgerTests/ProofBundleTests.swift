import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// Bundles built from committed chains verify, say what they proved, and survive their JSON form.
@Suite struct ProofBundleTests {
    /// Replays a random simulated history (every kind of transaction, refusals included) through a chain of
    /// headers and certificates, then proves every accepted transaction.
    @Test(arguments: [UInt64(1), 2, 3])
    func everyAcceptedTransactionOfASimulatedHistoryIsProven(seed: UInt64) throws {
        var simulation = LedgerSimulation(seed: seed)
        for _ in 0..<8 { simulation.step(size: 25) }
        var chain = ChainFixture(seed: seed)
        var kinds = Set<String>()
        for block in simulation.blocks {
            chain.commit(block.transactions, time: block.time)
        }
        #expect(chain.ledger.state.stateRoot == simulation.state.stateRoot)
        #expect(chain.accepted.count > 40)
        for (index, id) in chain.accepted.enumerated() {
            let bundle = chain.bundle(for: id)
            let record = try bundle.verify(genesis: chain.genesis).get()
            #expect(record.transactionID == id)
            #expect(record.logIndex == UInt64(index))
            #expect(record.chainID == LedgerFixture.chainID)
            #expect(record.blockID == chain.headers[Int(record.height) - 1].id)
            #expect(record.kind == record.transaction.body.kind.description)
            #expect(record.signer == record.transaction.signer)
            kinds.insert(record.kind)
        }
        #expect(kinds.count >= 10, "the simulation exercised only \(kinds.sorted())")
    }

    @Test func aRecordIsProvenAgainstItsOwnBlockAndEveryLaterOne() throws {
        let trail = ChainFixture.auditTrail()
        let chain = trail.chain
        let own = try chain.bundle(for: trail.piece).verify(genesis: chain.genesis).get()
        #expect(own.height == 2)
        #expect(own.kind == "register_piece")
        #expect(own.signer == chain.id("firmA"))
        #expect(own.time == chain.headers[1].time)
        for height in 2...chain.height {
            let bundle = chain.bundle(for: trail.piece, at: height)
            #expect(bundle.validatorChain.count == (height >= 13 ? 1 : 0))
            let record = try bundle.verify(genesis: chain.genesis).get()
            #expect(record.height == height && record.logIndex == own.logIndex && record.transactionID == trail.piece)
        }
    }

    @Test func proofsCrossAValidatorSetChange() throws {
        let trail = ChainFixture.auditTrail()
        let chain = trail.chain
        let announcing = chain.headers[11]
        #expect(announcing.height == 12 && announcing.nextValidatorsHash != announcing.validatorsHash)
        #expect(chain.headers.filter { $0.nextValidatorsHash != $0.validatorsHash }.count == 1)
        let bundle = chain.bundle(for: trail.invoice)
        #expect(bundle.header.height == 13)
        #expect(bundle.header.validatorsHash != chain.genesis.validatorSet.hash)
        #expect(bundle.validatorChain.map(\.header) == [announcing])
        let newSet = bundle.validatorChain[0].validators
        #expect(newSet.validator(chain.id("v5")) != nil && newSet.validator(chain.id("v1")) == nil)
        #expect(Set(bundle.certificate.signatures.map(\.validator)).isSubset(of: Set(newSet.validators.map(\.member))))
        let record = try bundle.verify(genesis: chain.genesis).get()
        #expect(record.kind == "issue_invoice" && record.height == 13)
        let change = try chain.bundle(for: trail.validatorChange).verify(genesis: chain.genesis).get()
        #expect(change.kind == "change_validators" && change.height == 3)
    }

    @Test func refusedTransactionsAreNotInTheLog() {
        let chain = ChainFixture.auditTrail().chain
        let refusedTotal = chain.headers.reduce(0) { $0 + Int($1.transactionCount) } - chain.accepted.count
        #expect(refusedTotal == 4)
        #expect(UInt64(chain.accepted.count) == chain.headers.last?.logSize)
    }

    @Test func theJSONFormRoundTripsByteForByte() throws {
        let trail = ChainFixture.auditTrail()
        for id in [trail.piece, trail.invoice] {
            let bundle = trail.chain.bundle(for: id)
            let json = bundle.jsonData()
            let parsed = try ProofBundle(json: json)
            #expect(parsed == bundle)
            #expect(parsed.jsonData() == json)
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect(object["version"] as? Int == 1)
            #expect(object["header"] as? String == Hex.encode(bundle.header.canonicalBytes))
            #expect(object["transaction"] as? String == Hex.encode(bundle.transaction))
        }
    }

    @Test func theSummaryLineNamesTheTransactionKindSignerHeightAndIndex() throws {
        let trail = ChainFixture.auditTrail()
        let record = try trail.chain.bundle(for: trail.invoice).verify(genesis: trail.chain.genesis).get()
        #expect(
            record.description
                == "transaction \(trail.invoice.hex) (issue_invoice) by member \(trail.chain.id("firmA").hex) "
                + "committed at height 13, log index \(record.logIndex)")
    }
}
