import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging

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

extension ConsensusDriver {
    /// Runs a store call with the store timeout: the call is cancelled and `StoreTimedOut` thrown when it takes
    /// longer, so a database that hangs never holds the loop (or shutdown) longer than the timeout.
    func withStoreTimeout<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = settings.storeTimeout
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw StoreTimedOut()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw StoreTimedOut() }
            return first
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
