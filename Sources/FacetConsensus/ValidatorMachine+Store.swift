import FacetCore
import FacetLedger

/// The store's part: what this validator signs is stored before it leaves, decided blocks are committed, and while
/// the store fails both wait and are retried with backoff (mode `storeUnavailable`).
extension ValidatorMachine {
    /// Stores a message this validator signed, with everything else it signed at this height, before sending it.
    /// While the store fails nothing is tried here: the retry stores everything signed meanwhile, then sends it.
    mutating func persist(_ message: ConsensusMessage) {
        signed.append(message)
        if storeFailure != nil {
            storeFailure?.unstoredSignatures = true
            return
        }
        ask(.storeSigned(message.slot, signed), .stored(message))
    }

    mutating func stored(_ message: ConsensusMessage?, ok: Bool) {
        guard ok else {
            storeFailed(signatures: true, decision: nil)
            return
        }
        if let message {
            out.append(broadcast(message))
        } else {
            recovered()
        }
    }

    mutating func storeFailed(signatures: Bool, decision: Decision?) {
        var failure = storeFailure ?? StoreFailure(due: now)
        failure.unstoredSignatures = failure.unstoredSignatures || signatures
        if let decision { failure.decision = decision }
        failure.due = now + StoreFailure.backoff(attempts: failure.attempts)
        failure.attempts += 1
        storeFailure = failure
        out.append(.observe(.storeRetry))
    }

    mutating func commit(_ decision: Decision) {
        guard storeFailure == nil else {
            storeFailed(signatures: false, decision: decision)
            return
        }
        ask(.commit(decision), .committed(decision, retry: false))
    }

    mutating func committed(_ decision: Decision, _ result: CommitResult, retry: Bool) {
        switch result {
        case .committed(let head):
            self.head = head
            lastProgress = now
            if retry { storeFailure?.decision = nil }
            // Announces the new head, and starts the next height after the commit interval.
            push(retry ? [.announce, .retrySignatures] : [.announce])
            out.append(.schedule(.startHeight(head.height + 1), after: settings.commitInterval))
        case .notExecuted:
            // The quorum decided a block this node did not execute (or no longer holds, after a restart): it gets
            // it from a peer by block sync. A retry goes on to store and send what was signed meanwhile: the others
            // may need this validator's precommit to decide the same block.
            if retry { storeFailure?.decision = nil }
            push(retry ? [.requestSync(force: true), .retrySignatures] : [.requestSync(force: true)])
        case .storeFailed:
            storeFailed(signatures: false, decision: retry ? nil : decision)
        }
    }

    /// When an attempt is due: commits the waiting block (unless sync brought it meanwhile), then stores the waiting
    /// signatures and sends them; the validator is back to normal when both are done.
    mutating func retryStore() {
        guard let failure = storeFailure, now >= failure.due else { return }
        if let decision = failure.decision {
            if let head, head.height >= decision.height {
                storeFailure?.decision = nil
            } else {
                ask(.commit(decision), .committed(decision, retry: true))
                return
            }
        }
        retrySignatures()
    }

    mutating func retrySignatures() {
        guard storeFailure != nil else { return }
        if storeFailure?.unstoredSignatures == true, let last = signed.last {
            ask(.storeSigned(last.slot, signed), .stored(nil))
            return
        }
        recovered()
    }

    /// The store answers again: what waited goes out.
    mutating func recovered() {
        storeFailure = nil
        out.append(.observe(.storeRecovered(height: tendermint.height)))
        rebroadcast()
    }
}
