import FacetCore
import FacetLedger

/// Building a snapshot from a committed state, and the checks that make a downloaded one safe to adopt. Pure: the
/// serving node, the joining node and the simulation call the same functions.
///
/// A chunk is a canonical list of (state key, state value encoding) rows in strictly ascending key order; chunks
/// split the rows in key order, each at most `chunkBytes`, so the same state and chunk size give the same chunks
/// on every node.
public enum StateSnapshot {
    /// Splits `state` (the state after `block`, which `certificate` certifies) into chunks of at most `chunkBytes`.
    public static func build(
        state: WorldState, header: BlockHeader, certificate: CommitCertificate,
        chunkBytes: Int = SnapshotManifest.maxChunkBytes
    ) -> (manifest: SnapshotManifest, chunks: [[UInt8]]) {
        precondition(header.height == state.height && header.stateRoot == state.stateRoot, "snapshot of another state")
        precondition((1024...SnapshotManifest.maxChunkBytes).contains(chunkBytes), "chunk size out of bounds")
        var chunks = [[UInt8]]()
        var rows = [(key: StateKey, value: [UInt8])]()
        var size = 8
        func flush() {
            guard !rows.isEmpty else { return }
            var encoder = CanonicalEncoder(reservingCapacity: size)
            encoder.length(rows.count)
            for row in rows {
                encoder.encode(row.key)
                encoder.byteString(row.value)
            }
            chunks.append(encoder.bytes)
            rows = []
            size = 8
        }
        for key in state.records.keys.sorted() {
            guard let value = state.records[key] else { continue }
            let bytes = value.canonicalBytes
            let rowSize = 33 + 8 + bytes.count
            if size + rowSize > chunkBytes { flush() }
            precondition(size + rowSize <= chunkBytes, "a state record of \(bytes.count) bytes exceeds a chunk")
            rows.append((key, bytes))
            size += rowSize
        }
        flush()
        let manifest = SnapshotManifest(
            header: header, certificate: certificate, logFrontier: state.log.subtrees,
            recordCount: UInt64(state.records.count), chunkHashes: chunks.map { SHA256Hash.digest($0) })
        return (manifest, chunks)
    }

    /// Whether a chunk that arrived is chunk `index` of `manifest`: its size is checked before it is hashed.
    public static func chunkMatches(_ bytes: [UInt8], index: Int, of manifest: SnapshotManifest) -> Bool {
        guard manifest.chunkHashes.indices.contains(index), bytes.count <= SnapshotManifest.maxChunkBytes else {
            return false
        }
        return SHA256Hash.digest(bytes) == manifest.chunkHashes[index]
    }

    /// The rows of one chunk, in strictly ascending key order, each value of its key's table.
    public static func rows(of chunk: [UInt8]) throws(SnapshotRejection) -> [(StateKey, StateValue)] {
        guard chunk.count <= SnapshotManifest.maxChunkBytes else {
            throw SnapshotRejection(.oversize, "a chunk of \(chunk.count) bytes")
        }
        var decoder = CanonicalDecoder(chunk)
        var rows = [(StateKey, StateValue)]()
        do {
            let count = try decoder.length(max: chunk.count / 34 + 1)
            rows.reserveCapacity(count)
            for _ in 0..<count {
                let key: StateKey = try decoder.decode()
                let value = try StateValue(
                    canonicalBytes: try decoder.byteString(max: SnapshotManifest.maxChunkBytes),
                    limit: SnapshotManifest.maxChunkBytes)
                guard value.table == key.table else {
                    throw SnapshotRejection(.badChunk, "row \(key) holds a \(value.table) value")
                }
                if let last = rows.last, !(last.0 < key) {
                    throw SnapshotRejection(.badChunk, "rows out of order at \(key)")
                }
                rows.append((key, value))
            }
            try decoder.finish()
        } catch let error as SnapshotRejection {
            throw error
        } catch {
            throw SnapshotRejection(.badChunk, "a chunk does not decode: \(error)")
        }
        return rows
    }

    /// The state the chunks assemble to, adopted only if it is exactly the certified one: rows in ascending key order
    /// across chunks, the manifest's row count, the log frontier giving the header's log root, the rows' sparse Merkle
    /// root equal to the header's state root, and the certificate verifying with more than two thirds of the set that
    /// state names for H (`header.validatorsHash`). `manifest` passed `SnapshotTrust.check` first.
    public static func assemble(_ manifest: SnapshotManifest, chunks: [[UInt8]]) throws(SnapshotRejection)
        -> WorldState
    {
        guard chunks.count == manifest.chunkHashes.count else {
            throw SnapshotRejection(
                .badManifest, "\(chunks.count) chunks for a manifest of \(manifest.chunkHashes.count)")
        }
        var records = [StateKey: StateValue]()
        var last: StateKey?
        for (index, chunk) in chunks.enumerated() {
            guard chunkMatches(chunk, index: index, of: manifest) else {
                throw SnapshotRejection(.badChunk, "chunk \(index) does not match the manifest")
            }
            for (key, value) in try rows(of: chunk) {
                if let last, !(last < key) {
                    throw SnapshotRejection(.badChunk, "chunk \(index) overlaps the previous")
                }
                records[key] = value
                last = key
            }
        }
        let header = manifest.header
        guard UInt64(records.count) == manifest.recordCount else {
            throw SnapshotRejection(.wrongRoot, "\(records.count) rows, the manifest says \(manifest.recordCount)")
        }
        guard case .params? = records[.params], case .validators(let schedule)? = records[.validators] else {
            throw SnapshotRejection(.wrongRoot, "the rows hold no parameters or validator schedule")
        }
        guard header.logSize <= UInt64(Int.max), manifest.logFrontier.count == Int(header.logSize).nonzeroBitCount
        else { throw SnapshotRejection(.wrongRoot, "the log frontier does not fit log size \(header.logSize)") }
        let log = MerkleFrontier(size: Int(header.logSize), subtrees: manifest.logFrontier)
        guard log.root == header.logRoot else {
            throw SnapshotRejection(.wrongRoot, "the log frontier gives root \(log.root), the header \(header.logRoot)")
        }
        let state = WorldState(height: header.height, time: header.time, records: records, log: log)
        guard state.stateRoot == header.stateRoot else {
            throw SnapshotRejection(
                .wrongRoot, "the rows give state root \(state.stateRoot), the header \(header.stateRoot)")
        }
        guard state.chainID == header.chainID else { throw SnapshotRejection(.wrongChain, "rows of another chain") }
        let check = manifest.certificate.verify(header: header, validators: schedule.set(at: header.height))
        guard check == .valid else {
            throw SnapshotRejection(.badCertificate, "the certificate does not verify with the state's set: \(check)")
        }
        return state
    }
}
