import Synchronization
import UnixSignals

/// Ctrl-C or SIGTERM, caught (through swift-service-lifecycle's `UnixSignalsSequence`) instead of killing the
/// process, so the devnet or a benchmark stops its validators first. `received` turns true at the first signal.
package final class StopRequest: Sendable {
    private let flag = Mutex(false)

    package var received: Bool { flag.withLock { $0 } }

    /// Runs `body` with SIGINT and SIGTERM trapped; a child task watches them until `body` returns.
    package static func trapping<Result>(_ body: (StopRequest) async throws -> Result) async throws -> Result {
        let stop = StopRequest()
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in signals { stop.flag.withLock { $0 = true } }
            }
            defer { group.cancelAll() }
            return try await body(stop)
        }
    }
}
