import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging

/// Block sync: asking a peer for the committed blocks after this node's head, serving peers' requests, and applying
/// answers. Whom to ask, and whose claims count, is `PeerHeads`'s.
extension ConsensusDriver {
    /// Asks a peer for the blocks after this node's head when one is ahead by two heights or more, or by one when
    /// `force`d. A request that goes unanswered past the sync timeout sets its peer aside and asks another.
    func requestSync(force: Bool) async {
        let head = await node.head.height
        guard let request = heads.nextRequest(head: head, force: force, at: now) else { return }
        logger.info(
            "syncing",
            metadata: [
                "ledger.height": "\(head)", "sync.claimed": "\(heads.claimed(by: request.peer) ?? 0)",
                "sync.peer": "\(request.peer.hex.prefix(8))",
            ])
        await link.send(
            ValidatorMessage.syncRequest(from: request.from, limit: Self.syncBatch).canonicalBytes, to: request.peer)
    }

    /// Whether an error is this node's store failing (refused, unreachable, timed out) rather than bad input.
    static func isStoreFailure(_ error: any Error) -> Bool {
        if error is StoreTimedOut { return true }
        if let error = error as? NodeError { return error.code.hasPrefix("store.") }
        return false
    }

    func serveSync(from height: UInt64, limit: UInt32, to member: MemberID) async {
        let node = self.node
        let count = Int(min(limit, Self.syncBatch))
        guard let found = try? await withStoreTimeout({ try await node.certifiedBlocks(from: height, limit: count) })
        else { return }
        var answer = [CertifiedBlock]()
        var bytes = 0
        for block in found {
            let size = block.canonicalBytes.count
            if !answer.isEmpty && bytes + size > Self.maxSyncBytes { break }
            answer.append(block)
            bytes += size
        }
        await link.send(ValidatorMessage.syncBlocks(answer).canonicalBytes, to: member)
    }

    /// Applies an answer from the peer asked (answers nobody asked for are dropped unread). Blocks that apply back
    /// the peer's claim; an empty answer while it claimed more, or a block that does not verify, sets it aside.
    func applySync(_ certified: [CertifiedBlock], from member: MemberID) async {
        guard heads.expects(member) else {
            node.metrics.droppedPeerMessage(reason: "unsolicited_sync")
            return
        }
        var applied = 0
        var refused = false
        var storeFailed = false
        for entry in certified {
            let head = await node.head.height
            guard entry.block.height == head + 1 else { continue }
            do {
                let node = self.node
                _ = try await withStoreTimeout {
                    try await node.applyCertified(entry.block, certificate: entry.certificate)
                }
                lastProgress = .now
                applied += 1
            } catch let error where Self.isStoreFailure(error) {
                // This node's store failed, not the peer: it is asked again later.
                logger.warning(
                    "storing a synced block failed",
                    metadata: ["ledger.height": "\(entry.block.height)", "node.error": "\(error)"])
                storeFailed = true
                break
            } catch {
                node.metrics.droppedPeerMessage(reason: "bad_sync_block")
                logger.warning(
                    "synced block refused",
                    metadata: [
                        "ledger.height": "\(entry.block.height)", "sync.peer": "\(member.hex.prefix(8))",
                        "node.error": "\(error)",
                    ])
                refused = true
                break
            }
        }
        let head = await node.head.height
        if storeFailed && applied == 0 {
            heads.abandon()
        } else if refused && applied == 0 {
            heads.fail(member, at: now)
        } else {
            heads.served(by: member, applied: applied, head: head, at: now)
        }
        for _ in 0..<applied { node.metrics.synced(target: heads.best(head: head)) }
        guard applied > 0 else {
            await requestSync(force: false)
            return
        }
        logger.info(
            "synced blocks",
            metadata: [
                "ledger.height": "\(head)", "sync.target": "\(heads.best(head: head))", "sync.blocks": "\(applied)",
            ])
        if machine.height <= head {
            storeFailure?.decision = nil
            await startHeight(head + 1, recovered: signed.filter { $0.height == head + 1 })
        }
        await requestSync(force: false)
    }
}
