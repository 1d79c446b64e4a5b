import FacetCore
import FacetLedger

/// Block sync: asking a peer for the committed blocks after the head, and applying answers. Whom to ask, and whose
/// claims count, is `PeerHeads`'s; serving a peer's request is the driver's (`.serveSync`, read from the store).
extension ValidatorMachine {
    /// Asks a peer for the blocks after the head when one is ahead by two heights or more, or by one when `force`d.
    /// A request that goes unanswered past the sync timeout sets its peer aside and asks another.
    mutating func requestSync(force: Bool) {
        guard let head, let request = heads.nextRequest(head: head.height, force: force, at: now) else { return }
        let claimed = heads.claimed(by: request.peer) ?? 0
        out.append(.observe(.syncing(peer: request.peer, head: head.height, claimed: claimed)))
        out.append(.send(.syncRequest(from: request.from, limit: Self.syncBatch), to: request.peer))
    }

    /// Applies an answer from the peer asked (answers nobody asked for are dropped unread).
    mutating func applySync(_ certified: [CertifiedBlock], from member: MemberID) {
        guard heads.expects(member) else {
            out.append(.observe(.dropped("unsolicited_sync")))
            return
        }
        ask(.applySynced(certified, from: member), .synced(member))
    }

    /// Blocks that apply back the peer's claim; an empty answer while it claimed more, or a block that does not
    /// verify, sets it aside. A block this node could not store is asked for again later, from anyone.
    mutating func synced(_ result: SyncResult, from member: MemberID) {
        head = result.head
        let height = result.head.height
        if result.applied > 0 { lastProgress = now }
        if result.storeFailed && result.applied == 0 {
            heads.abandon()
        } else if result.refused && result.applied == 0 {
            heads.fail(member, at: now)
        } else {
            heads.served(by: member, applied: result.applied, head: height, at: now)
        }
        guard result.applied > 0 else {
            push([.requestSync(force: false)])
            return
        }
        out.append(.observe(.synced(applied: result.applied, head: height, target: heads.best(head: height))))
        if tendermint.height <= height {
            storeFailure?.decision = nil
            push([.startHeight(recovered: signed.filter { $0.height == height + 1 }), .requestSync(force: false)])
        } else {
            push([.requestSync(force: false)])
        }
    }
}
