import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging
import Synchronization

/// What waits while the store fails, and when to try again: a decided block to commit, and whether messages this
/// validator signed are not stored yet (they stay unsent until they are).
struct StoreFailure: Sendable {
    var decision: Decision?
    var unstoredSignatures = false
    var attempts = 0
    var due: ContinuousClock.Instant

    /// 100 ms, doubling, at most 5 s between attempts.
    static func backoff(attempts: Int) -> Duration {
        min(.milliseconds(100) * (1 << min(attempts, 6)), .seconds(5))
    }
}

/// A store call that did not answer within `ConsensusSettings.storeTimeout`.
struct StoreTimedOut: Error {}

/// The race between a store call and its timeout: the first to finish resumes the caller, once.
final class StoreRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var onFinish: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Runs `action` when the race ends (now, if it has).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.finished { return true }
            state.onFinish = action
            return false
        }
        if now { action() }
    }

    /// Resumes the caller with `result` if nothing did yet; true when this call did.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        typealias Taken = (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?)
        let (continuation, action) = state.withLock { state -> Taken in
            guard !state.finished else { return (nil, nil) }
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

extension ConsensusDriver {
    /// Runs a store call with the store timeout: past it, `StoreTimedOut` is thrown and the call is cancelled.
    /// The caller never waits for the call itself to end: a call stuck where cancellation does not reach (a pool
    /// lease lost while the database was away, measured live) would otherwise hold the loop, and shutdown, for good.
    /// So the call runs in its own task, which finishes on its own (or never) once abandoned; this is the one place
    /// the driver starts a task it does not wait for, and it is bounded by the retry pace (one call at a time).
    func withStoreTimeout<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = settings.storeTimeout
        let race = StoreRace<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let call = Task {
                do {
                    race.finish(.success(try await body()))
                } catch {
                    race.finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if race.finish(.failure(StoreTimedOut())) { call.cancel() }
            }
            race.onFinish { timer.cancel() }
        }
    }

    /// Stores what this validator signed at this height, durably, before it leaves the process. While the store
    /// fails, nothing is tried here: the retry stores everything signed meanwhile, then sends it.
    func persist(_ message: ConsensusMessage) async -> Bool {
        signed.append(message)
        if storeFailure != nil {
            storeFailure?.unstoredSignatures = true
            return false
        }
        guard await storeSigned() else {
            storeFailed(signatures: true, decision: nil)
            return false
        }
        return true
    }

    /// Writes the safety state (the last slot signed and everything signed at this height). A write that failed
    /// may still have landed (its answer was lost): the store is read back before it counts as failed.
    func storeSigned() async -> Bool {
        guard let last = signed.last else { return true }
        let record = SafetyRecord(slot: last.slot, message: SignedMessages(messages: signed).canonicalBytes)
        let store = node.store
        do {
            try await withStoreTimeout { try await store.saveSafetyState(record) }
            return true
        } catch {
            let saved = try? await withStoreTimeout { try await store.loadSafetyState() }
            if let saved, saved == record { return true }
            logger.error(
                "cannot store the safety state; signing waits for the store",
                metadata: ["consensus.slot": "\(last.slot)", "store.error": "\(error)"])
            return false
        }
    }

    func storeFailed(signatures: Bool, decision: Decision?) {
        var failure = storeFailure ?? StoreFailure(due: .now)
        failure.unstoredSignatures = failure.unstoredSignatures || signatures
        if let decision { failure.decision = decision }
        failure.due = .now + StoreFailure.backoff(attempts: failure.attempts)
        failure.attempts += 1
        storeFailure = failure
        node.metrics.storeRetry()
    }

    /// When an attempt is due: commits the waiting block (unless sync brought it meanwhile), stores the waiting
    /// signatures and sends them; the validator is back to normal when both are done.
    func retryStore() async {
        guard let failure = storeFailure, ContinuousClock.now >= failure.due else { return }
        if let decision = failure.decision {
            if await node.head.height >= decision.height {
                storeFailure?.decision = nil
            } else {
                switch await tryCommit(decision) {
                case .committed:
                    storeFailure?.decision = nil
                    await committed(height: decision.height)
                case .notExecuted, .storeFailed:
                    storeFailed(signatures: false, decision: nil)
                    return
                }
            }
        }
        if storeFailure?.unstoredSignatures == true {
            guard await storeSigned() else {
                storeFailed(signatures: false, decision: nil)
                return
            }
        }
        storeFailure = nil
        logger.info("the store answers again; consensus resumes", metadata: ["consensus.height": "\(machine.height)"])
        await rebroadcast()
    }

    func commit(_ decision: Decision) async {
        guard storeFailure == nil else {
            storeFailed(signatures: false, decision: decision)
            return
        }
        switch await tryCommit(decision) {
        case .committed:
            await committed(height: decision.height)
        case .notExecuted:
            // The quorum decided a block this node did not execute: it gets it from a peer by block sync.
            await requestSync(force: true)
        case .storeFailed:
            storeFailed(signatures: false, decision: decision)
        }
    }

    enum CommitOutcome {
        case committed
        /// The decided block was never executed here (block sync brings it).
        case notExecuted
        /// The store refused or did not answer: retried with backoff.
        case storeFailed
    }

    /// Commits the decided block.
    func tryCommit(_ decision: Decision) async -> CommitOutcome {
        let certificate = decision.certificate
        let node = self.node
        do {
            let header = try await withStoreTimeout { try await node.commitDecided(certificate) }
            lastProgress = .now
            logger.info(
                "block committed",
                metadata: [
                    "ledger.height": "\(header.height)", "consensus.round": "\(decision.round)",
                    "block.transactions": "\(header.transactionCount)",
                    "block.proposer": "\(header.proposer.hex.prefix(8))",
                ])
            return .committed
        } catch let error as NodeError where error.code == NodeError.Code.unknownBlock.rawValue {
            logger.error(
                "the decided block was not executed here; it will be fetched by block sync",
                metadata: ["ledger.height": "\(decision.height)", "node.error": "\(error)"])
            return .notExecuted
        } catch {
            logger.error(
                "committing the decided block failed; retrying with backoff",
                metadata: ["ledger.height": "\(decision.height)", "node.error": "\(error)"])
            return .storeFailed
        }
    }

    /// After a commit: announces the new head and starts the next height after the commit interval.
    func committed(height: UInt64) async {
        await announce()
        schedule(.startHeight(height + 1), after: settings.commitInterval)
    }
}
