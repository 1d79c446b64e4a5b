import FacetCore
import FacetLedger

/// A verified snapshot flattened into the rows `importSnapshot` writes, shared by both backends so they store the
/// same bytes: the base block's row (no transactions), every state row in key order, and the log's frontier nodes.
struct SnapshotRows: Sendable {
    let block: CommitRows.Block
    let records: [CommitRows.Record]
    let nodes: [CommitRows.Node]

    init(header: BlockHeader, certificate: CommitCertificate, state: WorldState) throws(StoreError) {
        guard header.height == state.height, header.stateRoot == state.stateRoot,
            header.logRoot == state.log.root, header.logSize == UInt64(state.log.size),
            certificate.blockID == header.id, header.height > 0, header.height <= UInt64(Int64.max)
        else {
            throw StoreError(.invalidRequest, "the snapshot's state is not the one its header \(header.height) names")
        }
        block = CommitRows.Block(
            height: Int64(header.height), id: header.id.bytes, time: header.time.millis,
            stateRoot: header.stateRoot.bytes, logSize: Int64(header.logSize), logRoot: header.logRoot.bytes,
            header: header.canonicalBytes, certificate: certificate.canonicalBytes)
        records = state.records.keys.sorted().map { key in
            CommitRows.Record(key: key.canonicalBytes, value: state.records[key]?.canonicalBytes ?? [])
        }
        let positions = MerkleFrontier.subtreePositions(size: state.log.size)
        precondition(positions.count == state.log.subtrees.count, "a frontier of another size")
        nodes = zip(positions, state.log.subtrees).map { position, hash in
            CommitRows.Node(level: Int16(position.level), index: Int64(position.index), hash: hash.bytes)
        }
    }
}
