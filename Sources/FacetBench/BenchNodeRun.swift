import FacetCore
import FacetLedger
import FacetNode
import FacetSimulation
import FacetStore
import Logging
import Synchronization

/// One validator's pipeline under a stream of signed invoices: submit (decode, verify, queue) → block →
/// execution → store commit. Reports committed transactions per second and submit-to-commit latency.
/// In-process (no HTTP), so the figure is the ledger's and the store's, not the API's.
package struct BenchNodeRun: Sendable {
    package var store: String
    package var transactions: Int = 20_000
    package var blockMillis: Int = 100
    package var maxBlock: Int = 5_000

    package init(store: String) { self.store = store }

    package func run() async throws {
        let fixture = LedgerFixture(validators: 1)
        let stream = Self.invoices(count: transactions, fixture: fixture)
        let location = try StoreLocation(parsing: store)
        var logger = Logger(label: "facet.bench")
        logger.logLevel = .warning
        let report = try await location.withStore { store in
            let node = try await LedgerNode(
                genesis: fixture.genesis, store: store, validatorKey: fixture.actor("v1").key,
                mempool: .init(maxCount: 50_000, maxBytes: 256 * 1024 * 1024), logger: logger)
            return try await Self.drive(
                node: node, stream: stream, genesis: fixture.genesis,
                blockMillis: blockMillis, maxBlock: maxBlock)
        }
        print("\(location): \(transactions) invoices, blocks every \(blockMillis) ms (at most \(maxBlock))")
        print(report)
    }

    /// Signed invoices between three firms, every seller's nonces in order.
    package static func invoices(count: Int, fixture: LedgerFixture) -> [[UInt8]] {
        print("signing \(count) invoices…")
        var fixture = fixture
        let firms = ["firmA", "firmB", "firmC"]
        let due = Timestamp(uncheckedMillis: fixture.genesis.time.millis + 90 * Timestamp.millisPerDay)
        return (0..<count).map { index in
            guard let amount = try? Money(minorUnits: Int64(100_000 + index), currency: .cny) else {
                preconditionFailure("a small amount is valid")
            }
            let body = TransactionBody.issueInvoice(
                .init(
                    buyer: fixture.id(firms[(index + 1) % 3]), amount: amount, dueAt: due, pieces: [],
                    channel: .wholesale))
            return fixture.sign(firms[index % 3], body).canonicalBytes
        }
    }

    /// True when queued, false when the pool is full (or the signer has its most pending); any other refusal is
    /// a bug in the stream.
    package static func submit(_ bytes: [UInt8], to node: LedgerNode) async throws -> Bool {
        do {
            _ = try await node.submit(bytes)
            return true
        } catch {
            guard error.code == "mempool.full" || error.code == "mempool.signer_full" else { throw error }
            return false
        }
    }

    /// Submits the stream as fast as the pool takes it while a producer commits a block every interval.
    /// The pool serves signers' transactions in arrival order, so block k commits the next submissions.
    package static func drive(
        node: LedgerNode, stream: [[UInt8]], genesis: Genesis, blockMillis: Int, maxBlock: Int
    ) async throws -> String {
        let clock = ContinuousClock()
        let submitted = SubmitTimes()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            group.addTask {
                for bytes in stream {
                    // Recorded before the first attempt: a block may commit it before `submit` returns, and
                    // time spent waiting for room in a full pool counts as latency.
                    submitted.append(clock.now)
                    while try await !Self.submit(bytes, to: node) {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                }
                return []
            }
            group.addTask {
                var latencies = [Duration]()
                var lastReport = clock.now
                while latencies.count < stream.count {
                    try await Task.sleep(for: .milliseconds(blockMillis))
                    let elapsed = clock.now - start
                    let time = Timestamp(
                        uncheckedMillis: genesis.time.millis + elapsed.components.seconds * 1000
                            + elapsed.components.attoseconds / 1_000_000_000_000_000)
                    guard
                        let header = try await node.produceBlock(
                            time: time, maxTransactions: maxBlock, maxBytes: Limits.maxBlockBytes)
                    else { continue }
                    let committedAt = clock.now
                    let times = submitted.range(latencies.count, count: Int(header.transactionCount))
                    latencies += times.map { committedAt - $0 }
                    if committedAt - lastReport > .seconds(2) {
                        print("  height \(header.height): \(latencies.count)/\(stream.count) committed")
                        lastReport = committedAt
                    }
                }
                return latencies
            }
            var all = [Duration]()
            for try await part in group { all += part }
            return all
        }
        let total = clock.now - start
        let sorted = latencies.sorted()
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        func millis(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            return "\((value * 10).rounded() / 10) ms"
        }
        return """
              \(Int(Double(stream.count) / seconds)) transactions/s committed (\(stream.count) in \((seconds * 100).rounded() / 100) s)
              submit-to-commit latency p50 \(millis(Percentile.of(sorted, 50))), p99 \(millis(Percentile.of(sorted, 99))), max \(millis(Percentile.of(sorted, 100)))
            """
    }
}
