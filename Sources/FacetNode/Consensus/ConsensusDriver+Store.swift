import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging

/// A store call that did not answer within `ConsensusSettings.storeTimeout`.
struct StoreTimedOut: Error {}

extension ConsensusDriver {
    /// Runs a store call with the store timeout: past it, `StoreTimedOut` is thrown and the call is cancelled.
    /// The caller never waits for the call itself to end: a call stuck where cancellation does not reach (a pool
    /// lease lost while the database was away, measured live) would otherwise hold the loop, and shutdown, for good.
    /// So the call runs in its own task, which finishes on its own (or never) once abandoned; this is the one place
    /// the driver starts a task it does not wait for, and it is bounded by the retry pace (one call at a time).
    func withStoreTimeout<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = settings.storeTimeout
        let race = StoreCallRace<T>()
        return try await withCheckedThrowingContinuation { continuation in
            guard race.start(continuation) else { return }
            race.setCall(
                Task {
                    do {
                        race.finish(.success(try await body()))
                    } catch {
                        race.finish(.failure(error))
                    }
                })
            let timer = Task {
                try? await Task.sleep(for: limit)
                race.finishUnlessLeased(.failure(StoreTimedOut()))
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
