import FacetCore
import FacetLedger
import FacetStore
import Synchronization

/// A store whose commits wait at a gate: a test sees a commit start, does something meanwhile (a shutdown), then
/// lets it finish. Everything else goes straight to the wrapped store.
final class GatedStore: ForwardingStore {
    let base: any LedgerStore
    /// Yields once per commit, when it reaches the gate.
    let commitsStarted: AsyncStream<UInt64>
    private let started: AsyncStream<UInt64>.Continuation
    private struct Gate {
        var open = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let gate = Mutex(Gate())

    init(_ base: any LedgerStore) {
        self.base = base
        (commitsStarted, started) = AsyncStream.makeStream(of: UInt64.self)
    }

    /// Lets every waiting and later commit through.
    func release() {
        let resumed = gate.withLock { gate in
            gate.open = true
            defer { gate.waiting.removeAll() }
            return gate.waiting
        }
        for continuation in resumed { continuation.resume() }
    }

    func commit(_ commit: BlockCommit) async throws(StoreError) {
        started.yield(commit.header.height)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let passNow = gate.withLock { gate in
                if !gate.open { gate.waiting.append(continuation) }
                return gate.open
            }
            if passNow { continuation.resume() }
        }
        try await base.commit(commit)
    }
}
