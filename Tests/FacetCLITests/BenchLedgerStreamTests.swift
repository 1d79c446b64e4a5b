import FacetBench
import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@testable import facet

/// `facet bench ledger` measures valid work only: every transaction its clients sign is accepted by the ledger,
/// in the order a client submits them, whatever the block boundaries, and the mix covers the kinds it promises.
@Suite struct BenchLedgerStreamTests {
    @Test(arguments: [(clients: 1, signers: 2, blockSize: 1), (clients: 3, signers: 4, blockSize: 7), (2, 8, 500)])
    func everyTransactionIsAccepted(clients: Int, signers: Int, blockSize: Int) throws {
        let time = Timestamp(uncheckedMillis: 1_767_225_600_000)
        let signerKeys = (0..<clients).map { BenchLedgerStream.keys(client: $0, signers: signers) }
        let validators = [LedgerFixture.key(seed: 7, name: "bench-ledger-validator-0")]
        let genesis = BenchLedgerStream.genesis(validatorKeys: validators, signerKeys: signerKeys, time: time)
        var state = try WorldState(genesis: genesis)
        var streams = signerKeys.enumerated().map {
            BenchLedgerStream(
                chainID: genesis.params.chainID, client: $0.offset, keys: $0.element,
                due: Timestamp(uncheckedMillis: time.millis + 365 * Timestamp.millisPerDay))
        }
        // Three full 16-round patterns per client, interleaved across clients as the load threads would send them.
        let perClient = 3 * 16 * signers
        var transactions = [Transaction]()
        for _ in 0..<perClient {
            for client in streams.indices { transactions.append(streams[client].nextTransaction()) }
        }
        var kinds = Set<String>()
        var blockTime = time
        for start in stride(from: 0, to: transactions.count, by: blockSize) {
            blockTime = Timestamp(uncheckedMillis: blockTime.millis + 100)
            let block = Array(transactions[start..<min(start + blockSize, transactions.count)])
            let outcome = BlockExecutor().execute(block, on: state, time: blockTime)
            for (transaction, result) in zip(block, outcome.results) {
                #expect(result.accepted, "\(transaction.body.kind): \(String(describing: result.error))")
                kinds.insert(transaction.body.kind.description)
            }
            state.commit(outcome)
        }
        #expect(kinds.count == 4, "invoices, confirmations, pieces and prices: \(kinds.sorted())")
    }

    @Test func streamsAreDeterministic() {
        let keys = BenchLedgerStream.keys(client: 0, signers: 3)
        let due = Timestamp(uncheckedMillis: 1_800_000_000_000)
        var first = BenchLedgerStream(chainID: LedgerFixture.chainID, client: 0, keys: keys, due: due)
        var second = BenchLedgerStream(chainID: LedgerFixture.chainID, client: 0, keys: keys, due: due)
        for _ in 0..<100 {
            let (one, other) = (first.next(), second.next())
            #expect(one.hex == other.hex && one.id == other.id)
        }
    }

    /// One transaction goes to `POST /v1/transactions`, several to the batch route, with a Content-Length that
    /// counts the body's bytes.
    @Test func requestsCarryTheirTransactionsAsTheAPITakesThem() throws {
        let keys = BenchLedgerStream.keys(client: 1, signers: 2)
        var stream = BenchLedgerStream(
            chainID: LedgerFixture.chainID, client: 1, keys: keys, due: Timestamp(uncheckedMillis: 1_800_000_000_000))
        let requests = (0..<5).map { _ in stream.next() }
        for (slice, path) in [(requests[0..<1], "/v1/transactions "), (requests[0..<5], "/v1/transactions/batch ")] {
            let text = String(decoding: BenchLedgerRequest.http(slice), as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            #expect(parts.count == 2 && text.hasPrefix("POST " + path))
            #expect(text.contains("Content-Length: \(parts[1].utf8.count)\r\n"))
            let body = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Any]
            if slice.count == 1 {
                #expect(body?["transaction"] as? String == requests[0].hex)
            } else {
                #expect(body?["transactions"] as? [String] == requests.map(\.hex))
            }
        }
    }
}
