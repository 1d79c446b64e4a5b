import Synchronization
import Testing

@testable import FacetStore

@Suite struct SerialGateTests {
    /// Critical sections never overlap, whatever the callers' interleaving.
    @Test func oneAtATime() async throws {
        let gate = SerialGate()
        let counts = Counts()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await gate.withGate { () async throws(StoreError) in
                        counts.enter()
                        await Task.yield()
                        counts.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counts.most == 1)
    }

    /// Past its capacity of waiters, a caller is refused with `store.busy` instead of queueing.
    @Test func boundedWaiting() async throws {
        let gate = SerialGate(capacity: 1)
        let release = AsyncStream<Void>.makeStream()
        let entered = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await gate.withGate { () async throws(StoreError) in
                    entered.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in entered.stream { break }
            group.addTask { try await gate.withGate { () async throws(StoreError) in } }
            // Give the second caller time to queue; the third then finds the one waiting place taken.
            try await Task.sleep(for: .milliseconds(100))
            let error = await #expect(throws: StoreError.self) {
                try await gate.withGate { () async throws(StoreError) in }
            }
            #expect(error?.code == .busy)
            release.continuation.yield()
            try await group.waitForAll()
        }
    }
}

/// How many callers are inside a critical section now, and the most ever at once.
private final class Counts: Sendable {
    private let state = Mutex((inside: 0, most: 0))

    func enter() {
        state.withLock { state in
            state.inside += 1
            state.most = max(state.most, state.inside)
        }
    }

    func leave() { state.withLock { $0.inside -= 1 } }

    var most: Int { state.withLock { $0.most } }
}
