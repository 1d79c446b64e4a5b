import Synchronization

/// The race between a store call, its timeout and the caller's cancellation: the first to finish resumes the caller,
/// once. The call runs in a task of its own, which is cancelled (and no longer awaited) when the caller stops waiting
/// for it: a call stuck where cancellation does not reach (a pool lease while the database is away) cannot hold its
/// caller. A call may mark itself leased (it holds a connection): from then on only its own end finishes the race.
public final class StoreCallRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var leased = false
        var cancelled = false
        var call: Task<Void, Never>?
        var onFinish: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers the caller; false (and the caller resumed with `CancellationError`) when it was cancelled already.
    public func start(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if state.cancelled {
                state.finished = true
                return true
            }
            state.continuation = continuation
            return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
        return !cancelled
    }

    public func setCall(_ call: Task<Void, Never>) {
        let cancel = state.withLock { state -> Bool in
            state.call = call
            return state.cancelled
        }
        if cancel { call.cancel() }
    }

    public func markLeased() {
        state.withLock { $0.leased = true }
    }

    /// Runs `action` when the race ends (now, if it has).
    public func onFinish(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.finished { return true }
            state.onFinish = action
            return false
        }
        if now { action() }
    }

    /// Resumes the caller with `result` if nothing did yet.
    public func finish(_ result: Result<T, any Error>) {
        take(result, unlessLeased: false)
    }

    /// Resumes the caller with `result` unless something did or the call holds a connection; then stops the call.
    public func finishUnlessLeased(_ result: Result<T, any Error>) {
        if take(result, unlessLeased: true) { state.withLock { $0.call }?.cancel() }
    }

    /// The caller was cancelled: it is resumed with `CancellationError` and the call is cancelled.
    public func cancel() {
        let call = state.withLock { state -> Task<Void, Never>? in
            state.cancelled = true
            return state.call
        }
        take(.failure(CancellationError()), unlessLeased: false)
        call?.cancel()
    }

    @discardableResult
    private func take(_ result: Result<T, any Error>, unlessLeased: Bool) -> Bool {
        typealias Taken = (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?)
        let (continuation, action) = state.withLock { state -> Taken in
            guard !state.finished, !(unlessLeased && state.leased) else { return (nil, nil) }
            state.finished = true
            defer {
                state.continuation = nil
                state.onFinish = nil
            }
            return (state.continuation, state.onFinish)
        }
        guard let continuation else { return false }
        continuation.resume(with: result)
        action?()
        return true
    }
}
