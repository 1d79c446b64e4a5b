import FacetClient
import FacetCore
import FacetDevnet
import FacetWire
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What one load client did in a phase: when each transaction was (meant to be) submitted, and what the node said.
package struct BenchLedgerSent: Sendable {
    package var ids = [String]()
    package var instants = [ContinuousClock.Instant]()
    package var refused = [String: Int]()
    package var exhausted = false
}

/// A block as a validator's API reported it, with when the watcher first saw it.
package struct BenchLedgerBlock: Sendable {
    package let height: UInt64
    package let time: Int64
    package let transactions: Int
    package let rejected: Int
    package let seen: ContinuousClock.Instant
}

/// Follows one validator: polls `/v1/status` every 5 ms and fetches each new block, recording the instant it
/// first saw each transaction committed. A block's commit is thus seen within a poll interval plus one block
/// fetch; one thread per validator, a few requests per block, so the watch costs the node little.
package final class BenchLedgerWatch: Sendable {
    private struct State {
        var blocks = [BenchLedgerBlock]()
        var committed = [String: ContinuousClock.Instant]()
        var height: UInt64 = 0
        var stop = false
        var failure: String?
    }

    package let port: Int
    /// The validator's key: the watcher reads its blocks as the node's operator, who sees every transaction.
    package let operatorKey: SigningKey
    private let state = Mutex(State())

    package init(port: Int, operatorKey: SigningKey) {
        self.port = port
        self.operatorKey = operatorKey
    }

    package var height: UInt64 { state.withLock { $0.height } }
    package var failure: String? { state.withLock { $0.failure } }
    package func stop() { state.withLock { $0.stop = true } }

    package func blocks(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> [BenchLedgerBlock] {
        state.withLock { $0.blocks.filter { $0.seen >= start && $0.seen <= end } }
    }

    /// The commit instants of `ids` (nil: not seen committed yet).
    package func commits(_ ids: [String]) -> [ContinuousClock.Instant?] {
        state.withLock { current in ids.map { current.committed[$0] } }
    }

    package func committedCount(_ ids: ArraySlice<String>) -> Int {
        state.withLock { current in ids.reduce(0) { $0 + (current.committed[$1] == nil ? 0 : 1) } }
    }

    /// Starts the watching thread (it runs until `stop()`), from the node's current height.
    package func start(from height: UInt64) {
        state.withLock { $0.height = height }
        let thread = Thread { [self] in run() }
        thread.name = "bench-watch-\(port)"
        thread.start()
    }

    private func run() {
        let connection = BenchHTTPConnection(port: port)
        let decoder = JSONDecoder()
        var seen = state.withLock { $0.height }
        while !state.withLock({ $0.stop }) {
            usleep(5_000)
            do {
                let (status, body) = try connection.get("/v1/status")
                guard status == 200 else { continue }
                let now = ContinuousClock.now
                let head = try decoder.decode(NodeAPI.Status.self, from: Data(body)).height
                while seen < head {
                    let (code, blockBytes) = try connection.get("/v1/blocks/\(seen + 1)", asOperator: operatorKey)
                    guard code == 200 else { break }
                    let block = try decoder.decode(APIJSON.BlockBody.self, from: Data(blockBytes))
                    record(block, seen: now)
                    seen += 1
                }
            } catch {
                state.withLock { $0.failure = "\(error)" }
                connection.close()
            }
        }
    }

    private func record(_ block: APIJSON.BlockBody, seen: ContinuousClock.Instant) {
        let rejected = block.transactions.reduce(0) { $0 + ($1.status == .rejected ? 1 : 0) }
        state.withLock { current in
            for entry in block.transactions { current.committed[entry.id] = seen }
            current.blocks.append(
                BenchLedgerBlock(
                    height: block.header.height, time: block.header.time, transactions: block.transactions.count,
                    rejected: rejected, seen: seen))
            current.height = block.header.height
        }
    }
}

/// One load phase: each client on its own thread submits its pre-signed transactions over one keep-alive
/// connection to its validator, `batch` to a request (`POST /v1/transactions`, or `/v1/transactions/batch` when more
/// than one), one request at a time, either paced (`rate`, spread evenly over the clients; a transaction's submit
/// instant is its request's scheduled one, so a client falling behind shows as latency) or back to back. What the
/// node refuses as `mempool.full` is resubmitted after 1 ms, in order; any other refusal is counted and skipped.
package enum BenchLedgerLoad {
    package static func run(
        requests: [[BenchLedgerRequest]], ports: [Int], rate: Double?, batch: Int, duration: Duration,
        stop: StopRequest
    ) async -> [BenchLedgerSent] {
        let results = Mutex([BenchLedgerSent?](repeating: nil, count: requests.count))
        let start = ContinuousClock.now + .milliseconds(50)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let remaining = Mutex(requests.count)
            for (client, pool) in requests.enumerated() {
                let thread = Thread {
                    let sent = submit(
                        pool, port: ports[client], client: client, clients: requests.count, rate: rate,
                        batch: max(1, batch), start: start, end: start + duration, stop: stop)
                    results.withLock { $0[client] = sent }
                    if remaining.withLock({ value -> Bool in
                        value -= 1
                        return value == 0
                    }) {
                        done.resume()
                    }
                }
                thread.name = "bench-client-\(client)"
                thread.start()
            }
        }
        return results.withLock { $0.map { $0 ?? BenchLedgerSent() } }
    }

    private static func submit(
        _ pool: [BenchLedgerRequest], port: Int, client: Int, clients: Int, rate: Double?, batch: Int,
        start: ContinuousClock.Instant, end: ContinuousClock.Instant, stop: StopRequest
    ) -> BenchLedgerSent {
        let connection = BenchHTTPConnection(port: port)
        var sent = BenchLedgerSent()
        sent.ids.reserveCapacity(pool.count)
        sent.instants.reserveCapacity(pool.count)
        let clock = ContinuousClock()
        // Paced: client c sends its k-th request at start + (k * clients + c) * batch / rate.
        let period = rate.map { Duration.seconds(Double(clients * batch) / $0) }
        let offset = rate.map { Duration.seconds(Double(client * batch) / $0) } ?? .zero
        var index = 0
        var request = 0
        while true {
            let due = period.map { start + offset + $0 * request } ?? clock.now
            guard due < end, !stop.received else { break }
            guard index < pool.count else {
                sent.exhausted = true
                break
            }
            if period != nil {
                let wait = due - clock.now
                if wait > .zero { Thread.sleep(forTimeInterval: BenchFormat.seconds(wait)) }
            } else if clock.now < start {
                Thread.sleep(forTimeInterval: BenchFormat.seconds(start - clock.now))
            }
            var waiting = pool[index..<min(pool.count, index + batch)]
            index += waiting.count
            request += 1
            let submitted = period == nil ? clock.now : due
            while !waiting.isEmpty && !stop.received {
                let outcomes = exchange(waiting, on: connection)
                var full = waiting.endIndex
                for (position, outcome) in zip(waiting.indices, outcomes) {
                    if outcome == "mempool.full" || outcome == "mempool.signer_full" {
                        full = min(full, position)
                    } else if let outcome {
                        sent.refused[outcome, default: 0] += 1
                    } else {
                        sent.ids.append(pool[position].id)
                        sent.instants.append(submitted)
                    }
                }
                // The pool refuses from the first full one on; those go again, in order, after a pause.
                waiting = pool[full..<waiting.endIndex]
                guard !waiting.isEmpty else { break }
                if clock.now >= end + .seconds(5) {
                    sent.refused["mempool.full", default: 0] += waiting.count
                    break
                }
                usleep(1_000)
            }
        }
        connection.close()
        return sent
    }

    /// Sends `requests` in one request; per transaction, nil when queued, else the refusal's code.
    private static func exchange(_ requests: ArraySlice<BenchLedgerRequest>, on connection: BenchHTTPConnection)
        -> [String?]
    {
        guard let (status, body) = try? connection.exchange(BenchLedgerRequest.http(requests)) else {
            return Array(repeating: "client.unreachable", count: requests.count)
        }
        if requests.count > 1, status == 200,
            let answer = try? JSONDecoder().decode(NodeAPI.BatchResult.self, from: Data(body)),
            answer.results.count == requests.count
        {
            return answer.results.map { $0.isPending ? nil : ($0.code ?? "refused") }
        }
        if status == 202 || status == 200 { return [nil] }
        let code = (try? JSONDecoder().decode(NodeAPI.ErrorBody.self, from: Data(body)).code) ?? "http.\(status)"
        return Array(repeating: status == 429 ? "mempool.full" : code, count: requests.count)
    }
}

/// A validator process's CPU time and peak resident memory, from `/proc` (Linux only; zero elsewhere).
package struct BenchProcessUsage: Sendable {
    package let cpuSeconds: Double
    package let peakRSSBytes: Int64

    package static func read(pid: Int32) -> BenchProcessUsage {
        var cpu = 0.0
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            // After "pid (comm)": state is field 3, utime field 14, stime field 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) {
                cpu = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
            }
        }
        var peak: Int64 = 0
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        {
            let kilobytes = line.split(separator: " ").compactMap { Int64($0) }.first ?? 0
            peak = kilobytes * 1024
        }
        return BenchProcessUsage(cpuSeconds: cpu, peakRSSBytes: peak)
    }

    /// Resets the peak so the next reading is the phase's (best effort: writing 5 to `clear_refs`).
    package static func resetPeak(pid: Int32) {
        try? "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)
    }
}
