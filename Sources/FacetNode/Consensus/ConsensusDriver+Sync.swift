import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import Logging

/// Block sync's I/O: serving a peer's request from the store and applying the committed blocks a peer served.
/// Whom to ask, and what an answer means for its peer, is the machine's.
extension ConsensusDriver {
    static let maxSyncBytes = 8 << 20

    /// Whether an error is this node's store failing (refused, unreachable, timed out) rather than bad input.
    static func isStoreFailure(_ error: any Error) -> Bool {
        if error is StoreTimedOut { return true }
        if let error = error as? NodeError { return error.code.hasPrefix("store.") }
        return false
    }

    func serveSync(from height: UInt64, limit: UInt32, to member: MemberID) async {
        let node = self.node
        let count = Int(min(limit, ValidatorMachine.syncBatch))
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

    /// Verifies and applies the served blocks that follow the head, in order, until one fails.
    func applySynced(_ certified: [CertifiedBlock], from member: MemberID) async -> SyncResult {
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
        return SyncResult(applied: applied, refused: refused, storeFailed: storeFailed, head: await ledgerHead())
    }

    /// Answers a state-sync request: the latest snapshot's manifest (building one from the head first when it is
    /// due), or a chunk of a snapshot still kept. A chunk of a snapshot no longer kept gets no answer; the asker
    /// times out and turns to another manifest.
    func serveSnapshot(_ query: SnapshotQuery, to member: MemberID) async {
        switch query {
        case .manifest:
            let head = await node.head.height
            if shelf.due(head: head, interval: settings.snapshotInterval), let source = await node.snapshotSource() {
                let built = StateSnapshot.build(
                    state: source.state, header: source.header, certificate: source.certificate,
                    chunkBytes: settings.snapshotChunkBytes)
                shelf.add(built.manifest, chunks: built.chunks)
                logger.info(
                    "snapshot built",
                    metadata: [
                        "ledger.height": "\(built.manifest.height)", "snapshot.chunks": "\(built.chunks.count)",
                        "snapshot.records": "\(built.manifest.recordCount)",
                    ])
            }
            await link.send(ValidatorMessage.snapshotManifest(shelf.latest).canonicalBytes, to: member)
        case .chunk(let manifest, let index):
            guard let bytes = shelf.chunk(manifest: manifest, index: index) else {
                node.metrics.droppedPeerMessage(reason: "unknown_snapshot")
                return
            }
            await link.send(
                ValidatorMessage.chunk(manifest: manifest, index: UInt32(index), bytes: bytes).canonicalBytes,
                to: member)
        }
    }
}
