import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging
import Synchronization

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

    /// Writes the safety state (the last slot signed and everything signed at this height). A write that failed
    /// may still have landed (its answer was lost): the store is read back before it counts as failed.
    func storeSigned(slot: ConsensusSlot, _ messages: [ConsensusMessage]) async -> Bool {
        let record = SafetyRecord(slot: slot, message: SignedMessages(messages: messages).canonicalBytes)
        let store = node.store
        do {
            try await withStoreTimeout { try await store.saveSafetyState(record) }
            return true
        } catch {
            let saved = try? await withStoreTimeout { try await store.loadSafetyState() }
            if let saved, saved == record { return true }
            logger.error(
                "cannot store the safety state; signing waits for the store",
                metadata: ["consensus.slot": "\(slot)", "store.error": "\(error)"])
            return false
        }
    }

    /// Commits the decided block.
    func tryCommit(_ decision: Decision) async -> CommitResult {
        let certificate = decision.certificate
        let node = self.node
        do {
            let header = try await withStoreTimeout { try await node.commitDecided(certificate) }
            logger.info(
                "block committed",
                metadata: [
                    "ledger.height": "\(header.height)", "consensus.round": "\(decision.round)",
                    "block.transactions": "\(header.transactionCount)",
                    "block.proposer": "\(header.proposer.hex.prefix(8))",
                ])
            return .committed(await ledgerHead())
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
}
