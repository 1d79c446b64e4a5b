import Synchronization

/// Lets one async operation at a time use a resource (a SQLite connection, whose transactions must not
/// interleave), in arrival order. An actor would not do: it lets other calls in at every `await`.
///
/// At most `capacity` callers wait; one more is refused with `store.busy` rather than queued without bound.
/// A waiting caller is not cancellable: it gets its turn, and its operation then sees the cancellation.
final class SerialGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Bool, Never>] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = StoreLimits.maxWaiting) {
        precondition(capacity >= 0)
        self.capacity = capacity
    }

    func withGate<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        try await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async throws(StoreError) {
        enum Admission { case now, later, full }
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let admission = state.withLock { state -> Admission in
                if !state.held {
                    state.held = true
                    return .now
                }
                guard state.waiters.count < capacity else { return .full }
                state.waiters.append(continuation)
                return .later
            }
            switch admission {
            case .now: continuation.resume(returning: true)
            case .full: continuation.resume(returning: false)
            case .later: break
            }
        }
        guard admitted else {
            throw StoreError(.busy, "\(capacity) operations are already waiting for the database")
        }
    }

    /// Hands the gate straight to the first waiter, so a newcomer cannot overtake it.
    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume(returning: true)
    }
}
