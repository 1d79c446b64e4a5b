import FacetCore
import FacetLedger

/// Decoding of what the database returns, shared by both backends: every value read is checked, and anything
/// that does not decode is `store.corrupt`, never a crash.
enum StoredRows {
    /// Stored values were encoded by this code, so the bound only guards against a damaged length.
    static let maxValueBytes = 64 << 20

    static func decode<T: CanonicalDecodable>(_ type: T.Type, _ bytes: [UInt8], _ what: String) throws(StoreError)
        -> T
    {
        do {
            return try T(canonicalBytes: bytes, limit: maxValueBytes)
        } catch {
            throw StoreError(.corrupt, "stored \(what) does not decode: \(error)")
        }
    }

    static func hash(_ bytes: [UInt8], _ what: String) throws(StoreError) -> Hash256 {
        guard bytes.count == Hash256.byteCount else {
            throw StoreError(.corrupt, "stored \(what) is \(bytes.count) bytes, not 32")
        }
        return Hash256(bytes: bytes)
    }

    static func unsigned(_ value: Int64, _ what: String) throws(StoreError) -> UInt64 {
        guard value >= 0 else { throw StoreError(.corrupt, "stored \(what) is negative: \(value)") }
        return UInt64(value)
    }

    static func time(_ millis: Int64) throws(StoreError) -> Timestamp {
        do {
            return try Timestamp(millis: millis)
        } catch {
            throw StoreError(.corrupt, "stored time \(millis) is out of range")
        }
    }

    static func head(
        height: Int64, id: [UInt8], time millis: Int64, stateRoot: [UInt8], logSize: Int64, logRoot: [UInt8]
    ) throws(StoreError) -> StoreHead {
        StoreHead(
            height: try unsigned(height, "height"), blockID: try hash(id, "block id"),
            stateRoot: try hash(stateRoot, "state root"), time: try time(millis),
            logSize: try unsigned(logSize, "log size"),
            logRoot: try hash(logRoot, "log root"))
    }

    static func block(header: [UInt8], certificate: [UInt8], transactions: [(bytes: [UInt8], result: [UInt8])])
        throws(StoreError) -> StoredBlock
    {
        let header = try decode(BlockHeader.self, header, "header")
        let certificate = try decode(CommitCertificate.self, certificate, "certificate")
        guard transactions.count == Int(header.transactionCount) else {
            throw StoreError(
                .corrupt,
                "block \(header.height) has \(transactions.count) stored transactions, not \(header.transactionCount)")
        }
        var decoded = [Transaction]()
        var results = [TransactionResult]()
        for row in transactions {
            decoded.append(try decode(Transaction.self, row.bytes, "transaction"))
            results.append(try decode(TransactionResult.self, row.result, "result"))
        }
        return StoredBlock(header: header, certificate: certificate, transactions: decoded, results: results)
    }

    static func transaction(
        id: [UInt8], bytes: [UInt8], height: Int64, position: Int64, result: [UInt8], logIndex: Int64?
    ) throws(StoreError) -> StoredTransaction {
        StoredTransaction(
            id: TransactionID(try hash(id, "transaction id")), bytes: bytes, height: try unsigned(height, "height"),
            index: Int(try unsigned(position, "position")),
            result: try decode(TransactionResult.self, result, "result"),
            logIndex: try logIndex.map { index throws(StoreError) in try unsigned(index, "log index") })
    }

    static func historyEntry(
        height: Int64, position: Int64, time millis: Int64, id: [UInt8], kind: Int64, accepted: Bool
    ) throws(StoreError) -> HistoryEntry {
        guard let tag = UInt8(exactly: kind) else { throw StoreError(.corrupt, "stored kind \(kind) is not a tag") }
        return HistoryEntry(
            height: try unsigned(height, "height"), index: Int(try unsigned(position, "position")),
            time: try time(millis), transactionID: TransactionID(try hash(id, "transaction id")), kind: tag,
            accepted: accepted)
    }

    /// Rebuilds the state at `head` from its records and the log's frontier nodes, and checks both roots
    /// against the head: a store that disagrees with its own header is corrupt, whatever caused it.
    static func loadedState(
        genesis: Genesis, head: StoreHead?, lowest: BlockHeader?, base: UInt64?,
        records: [(key: [UInt8], value: [UInt8])], frontier: [Hash256]
    ) throws(StoreError) -> LoadedState {
        guard let head else {
            do {
                return LoadedState(state: try WorldState(genesis: genesis), headBlockID: genesis.hash)
            } catch {
                throw StoreError(.wrongChain, "the genesis is invalid: \(error)")
            }
        }
        if let base {
            // A state-synced store starts at its base block, verified against its certificate when it was imported.
            guard let lowest, lowest.height == base else {
                throw StoreError(.corrupt, "the sync base block \(base) is missing below head \(head.height)")
            }
            guard lowest.chainID == genesis.params.chainID else {
                throw StoreError(.wrongChain, "the stored chain is \(lowest.chainID.value), not this genesis's")
            }
        } else {
            guard let lowest, lowest.height == 1 else {
                throw StoreError(.corrupt, "block 1 is missing below head \(head.height)")
            }
            guard lowest.previousBlockID == genesis.hash else {
                throw StoreError(.wrongChain, "the stored chain does not start from genesis \(genesis.hash)")
            }
        }
        var state = [StateKey: StateValue]()
        state.reserveCapacity(records.count)
        for record in records {
            let key = try decode(StateKey.self, record.key, "state key")
            let value = try decode(StateValue.self, record.value, "state value")
            guard value.table == key.table else {
                throw StoreError(.corrupt, "stored record \(key) holds a \(value.table) value")
            }
            state[key] = value
        }
        guard head.logSize <= UInt64(Int.max), frontier.count == Int(head.logSize).nonzeroBitCount else {
            throw StoreError(.corrupt, "log nodes of the frontier at size \(head.logSize) are missing")
        }
        let log = MerkleFrontier(size: Int(head.logSize), subtrees: frontier)
        guard log.root == head.logRoot else {
            throw StoreError(.corrupt, "log nodes give root \(log.root), the head says \(head.logRoot)")
        }
        let world = WorldState(height: head.height, time: head.time, records: state, log: log)
        guard world.stateRoot == head.stateRoot else {
            throw StoreError(
                .corrupt, "stored records give state root \(world.stateRoot), the head says \(head.stateRoot)")
        }
        return LoadedState(state: world, headBlockID: head.blockID)
    }

    /// One row of a block range: the block's header and certificate, with one of its transactions (nil for a block
    /// without any), as the left join of `blocks` and `transactions` gives them in (height, position) order.
    struct BlockRangeRow {
        let height: Int64
        let header: [UInt8]
        let certificate: [UInt8]
        let transaction: (bytes: [UInt8], result: [UInt8])?
    }

    /// Groups a block range's rows into blocks, checking each holds as many transactions as its header counts.
    static func blocks(_ rows: [BlockRangeRow]) throws(StoreError) -> [StoredBlock] {
        var blocks = [StoredBlock]()
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count && rows[end].height == rows[start].height { end += 1 }
            let transactions = rows[start..<end].compactMap(\.transaction)
            blocks.append(
                try block(header: rows[start].header, certificate: rows[start].certificate, transactions: transactions))
            start = end
        }
        return blocks
    }

    /// The bounds of a block range as 64-bit database integers, or nil when it is empty; refuses a bad limit.
    static func blockRange(from: UInt64, limit: Int) throws(StoreError) -> (lower: Int64, upper: Int64)? {
        guard (1...StoreLimits.maxBlockRange).contains(limit) else {
            throw StoreError(
                .invalidRequest, "a block range holds 1 to \(StoreLimits.maxBlockRange) blocks, not \(limit)")
        }
        guard from <= UInt64(Int64.max) else { return nil }
        let lower = Int64(from)
        let (upper, overflow) = lower.addingReportingOverflow(Int64(limit))
        return (lower, overflow ? Int64.max : upper)
    }

    static func validatorSetChange(height: Int64, validators: [UInt8]) throws(StoreError) -> ValidatorSetChange {
        ValidatorSetChange(
            height: try unsigned(height, "height"),
            validators: try decode(ValidatorSet.self, validators, "validator set"))
    }

    static func safetyRecord(height: Int64, round: Int64, step: Int64, message: [UInt8]) throws(StoreError)
        -> SafetyRecord
    {
        guard let round = UInt32(exactly: round), let tag = UInt8(exactly: step),
            let step = ConsensusStep(rawValue: tag)
        else { throw StoreError(.corrupt, "stored safety slot (round \(round), step \(step)) is out of range") }
        return SafetyRecord(
            slot: ConsensusSlot(height: try unsigned(height, "safety height"), round: round, step: step),
            message: message)
    }

    /// The slot's height as a database integer; a height past `Int64.max` is a caller's error, never stored.
    static func safetyHeight(_ record: SafetyRecord) throws(StoreError) -> Int64 {
        guard let height = Int64(exactly: record.slot.height) else {
            throw StoreError(.invalidRequest, "safety slot height \(record.slot.height) is out of range")
        }
        return height
    }

    static func refuseRegression(saved: SafetyRecord?, new: SafetyRecord) throws(StoreError) {
        guard let saved, new.slot <= saved.slot else { return }
        throw StoreError(
            .safetyRegression, "safety state at \(new.slot) does not move past the saved \(saved.slot)")
    }
}
