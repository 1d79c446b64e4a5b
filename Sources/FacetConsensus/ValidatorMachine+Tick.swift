import FacetCore
import FacetLedger

/// The periodic tick: the store's retry, empty-block pacing, re-broadcast while a height stands still, forwarding
/// transactions, and the status announcement with the sync check that follows it.
extension ValidatorMachine {
    /// Starts a held-back height once a transaction waits or the empty-block interval has passed since the last
    /// commit (an empty block then shows the chain is live).
    mutating func tickIdle(_ input: TickInput) {
        guard let idle, let wait = settings.emptyBlockInterval,
            input.mempoolCount > 0 || now - idle.since >= wait
        else { return }
        push([.startHeight(recovered: [])])
    }

    mutating func tickTail(_ input: TickInput) {
        if tendermint.round != activityRound {
            activityRound = tendermint.round
            lastActivity = now
        }
        // A validator that decided but could not commit (it must fetch the block by sync) keeps sending what it
        // signed: the others may lack its precommit to decide the same block, and while they do not decide, no
        // correct peer is ahead to serve it (sim seed 3704, head-poisoning: the one ahead was the poisoner).
        if !isCommitted, now - lastActivity >= settings.rebroadcastInterval {
            rebroadcast()
            relayPolkas()
            relayCertificates()
        }
        gossip(input.gossip)
        if now - lastStatus >= settings.statusInterval {
            announce()
            // One height behind is normally a commit in flight; for longer than the sync timeout it is a block this
            // validator will not decide itself (it missed the proposal), so it fetches it.
            push([.requestSync(force: now - lastProgress > settings.syncTimeout)])
        }
    }

    /// Whether the current height is decided and committed here (its head reached it).
    var isCommitted: Bool {
        guard tendermint.decision != nil else { return false }
        return (head?.height ?? 0) >= tendermint.height
    }

    /// Forwards the transactions this node admitted, once, to every validator, in batches a peer accepts.
    mutating func gossip(_ transactions: [Transaction]) {
        var start = 0
        while start < transactions.count {
            let end = min(start + ValidatorMessage.maxGossipTransactions, transactions.count)
            out.append(.broadcast(.transactions(Array(transactions[start..<end]))))
            start = end
        }
    }
}
