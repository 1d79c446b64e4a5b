import FacetCore
import FacetLedger
import SQLiteNIO

extension SQLiteLedgerStore {
    public func schemaVersion() async throws(StoreError) -> Int {
        try await reading { () async throws(StoreError) -> Int in
            let exists = try await Self.run(
                reader, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
            guard try exists.first?.int("n") == 1 else { return 0 }
            let rows = try await Self.run(reader, "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations")
            return Int(try rows.first?.int("version") ?? 0)
        }
    }

    public func head() async throws(StoreError) -> StoreHead? {
        try await reading { () async throws(StoreError) -> StoreHead? in try await readHead() }
    }

    private func readHead() async throws(StoreError) -> StoreHead? {
        let rows = try await Self.run(
            reader, "SELECT height, id, time, state_root, log_size, log_root FROM blocks ORDER BY height DESC LIMIT 1")
        guard let row = rows.first else { return nil }
        return try StoredRows.head(
            height: try row.int("height"), id: try row.bytes("id"), time: try row.int("time"),
            stateRoot: try row.bytes("state_root"), logSize: try row.int("log_size"), logRoot: try row.bytes("log_root")
        )
    }

    public func loadState(genesis: Genesis) async throws(StoreError) -> LoadedState {
        try await reading { () async throws(StoreError) -> LoadedState in
            try await inReadTransaction { () async throws(StoreError) -> LoadedState in
                let head = try await readHead()
                var lowest: BlockHeader?
                var base: UInt64?
                var records = [(key: [UInt8], value: [UInt8])]()
                var frontier = [Hash256]()
                if let head {
                    let first = try await Self.run(reader, "SELECT header FROM blocks ORDER BY height LIMIT 1")
                    if let header = try first.first?.bytes("header") {
                        lowest = try StoredRows.decode(BlockHeader.self, header, "header")
                    }
                    base = try await readSyncBase()
                    // In pages, in key order, inside the read transaction: the driver's row objects for a whole
                    // large state at once would double the node's start-up peak.
                    var after: [UInt8]?
                    while true {
                        let page =
                            if let after {
                                try await Self.run(
                                    reader,
                                    "SELECT key, value FROM state WHERE key > ? ORDER BY key LIMIT \(statePage)",
                                    [.bytes(after)])
                            } else {
                                try await Self.run(
                                    reader, "SELECT key, value FROM state ORDER BY key LIMIT \(statePage)")
                            }
                        for row in page {
                            records.append((key: try row.bytes("key"), value: try row.bytes("value")))
                        }
                        guard page.count == statePage, let last = records.last else { break }
                        after = last.key
                    }
                    frontier = try await frontierNodes(size: head.logSize)
                }
                return try StoredRows.loadedState(
                    genesis: genesis, head: head, lowest: lowest, base: base, records: records, frontier: frontier)
            }
        }
    }

    /// The log nodes that make up the frontier at `size`, largest first; fewer when some are missing.
    private func frontierNodes(size: UInt64) async throws(StoreError) -> [Hash256] {
        guard size > 0, size <= UInt64(Int.max) else { return [] }
        let positions = MerkleFrontier.subtreePositions(size: Int(size))
        let pairs = Array(repeating: "(?, ?)", count: positions.count).joined(separator: ", ")
        let rows = try await Self.run(
            reader, "SELECT level, idx, hash FROM log_nodes WHERE (level, idx) IN (VALUES \(pairs))",
            positions.flatMap { [SQLiteData.int($0.level), .int($0.index)] })
        var found = [Int: Hash256]()
        for row in rows {
            found[Int(try row.int("level"))] = try StoredRows.hash(try row.bytes("hash"), "log node")
        }
        return positions.compactMap { found[$0.level] }
    }

    public func block(at height: UInt64) async throws(StoreError) -> StoredBlock? {
        try await reading { () async throws(StoreError) -> StoredBlock? in try await readBlock(at: height) }
    }

    public func latestBlock() async throws(StoreError) -> StoredBlock? {
        try await reading { () async throws(StoreError) -> StoredBlock? in
            guard let head = try await readHead() else { return nil }
            return try await readBlock(at: head.height)
        }
    }

    public func syncBase() async throws(StoreError) -> UInt64? {
        try await reading { () async throws(StoreError) -> UInt64? in try await readSyncBase() }
    }

    private func readSyncBase() async throws(StoreError) -> UInt64? {
        let rows = try await Self.run(reader, "SELECT height FROM sync_base WHERE id = 1")
        guard let row = rows.first else { return nil }
        return try StoredRows.unsigned(try row.int("height"), "sync base")
    }

    private func readBlock(at height: UInt64) async throws(StoreError) -> StoredBlock? {
        guard height <= UInt64(Int64.max) else { return nil }
        if let base = try await readSyncBase(), height <= base { return nil }
        let key = SQLiteData.int(Int64(height))
        let blocks = try await Self.run(reader, "SELECT header, certificate FROM blocks WHERE height = ?", [key])
        guard let block = blocks.first else { return nil }
        let transactions = try await Self.run(
            reader, "SELECT bytes, result FROM transactions WHERE height = ? ORDER BY position", [key])
        var rows = [(bytes: [UInt8], result: [UInt8])]()
        for row in transactions { rows.append((bytes: try row.bytes("bytes"), result: try row.bytes("result"))) }
        return try StoredRows.block(
            header: try block.bytes("header"), certificate: try block.bytes("certificate"), transactions: rows)
    }

    public func transaction(_ id: TransactionID) async throws(StoreError) -> StoredTransaction? {
        try await reading { () async throws(StoreError) -> StoredTransaction? in
            let rows = try await Self.run(
                reader,
                """
                SELECT id, bytes, height, position, result, log_index FROM transactions WHERE id = ?
                ORDER BY accepted DESC, height, position LIMIT 1
                """, [.bytes(id.hash.bytes)])
            guard let row = rows.first else { return nil }
            return try StoredRows.transaction(
                id: try row.bytes("id"), bytes: try row.bytes("bytes"), height: try row.int("height"),
                position: try row.int("position"), result: try row.bytes("result"),
                logIndex: try row.optionalInt("log_index"))
        }
    }

    public func logNode(level: Int, index: Int) async throws(StoreError) -> Hash256? {
        try await reading { () async throws(StoreError) -> Hash256? in
            let rows = try await Self.run(
                reader, "SELECT hash FROM log_nodes WHERE level = ? AND idx = ?", [.int(level), .int(index)])
            guard let row = rows.first else { return nil }
            return try StoredRows.hash(try row.bytes("hash"), "log node")
        }
    }

    public func history(subject: Hash256, from: Timestamp?, to: Timestamp?, limit: Int) async throws(StoreError)
        -> [HistoryEntry]
    {
        try HistoryQuery.check(limit: limit)
        return try await reading { () async throws(StoreError) -> [HistoryEntry] in
            let rows = try await Self.run(
                reader,
                """
                SELECT height, position, time, tx_id, kind, accepted FROM history
                WHERE subject = ? AND time >= ? AND time < ? ORDER BY time, height, position LIMIT ?
                """,
                [
                    .bytes(subject.bytes), .int(HistoryQuery.lower(from)), .int(HistoryQuery.upper(to)),
                    .int(limit),
                ])
            var entries = [HistoryEntry]()
            entries.reserveCapacity(rows.count)
            for row in rows {
                entries.append(
                    try StoredRows.historyEntry(
                        height: try row.int("height"), position: try row.int("position"), time: try row.int("time"),
                        id: try row.bytes("tx_id"), kind: try row.int("kind"), accepted: try row.int("accepted") != 0))
            }
            return entries
        }
    }

    public func blocks(from: UInt64, limit: Int) async throws(StoreError) -> [StoredBlock] {
        try await reading { () async throws(StoreError) -> [StoredBlock] in
            let base = try await readSyncBase() ?? 0
            return try await Self.blocks(reader, from: max(from, base &+ 1), limit: limit)
        }
    }

    /// A block range in one statement: blocks left-joined with their transactions, ordered by height and position.
    /// Shared by reads (on the reader) and the migration's backfill (on the writer, inside its transaction).
    static func blocks(_ connection: SQLiteConnection, from: UInt64, limit: Int) async throws(StoreError)
        -> [StoredBlock]
    {
        guard let range = try StoredRows.blockRange(from: from, limit: limit) else { return [] }
        let rows = try await run(
            connection,
            """
            SELECT b.height, b.header, b.certificate, t.bytes, t.result FROM blocks b
            LEFT JOIN transactions t ON t.height = b.height
            WHERE b.height >= ? AND b.height < ? ORDER BY b.height, t.position
            """, [.int(range.lower), .int(range.upper)])
        var found = [StoredRows.BlockRangeRow]()
        found.reserveCapacity(rows.count)
        for row in rows {
            let transaction = try row.optionalBytes("bytes")
            found.append(
                StoredRows.BlockRangeRow(
                    height: try row.int("height"), header: try row.bytes("header"),
                    certificate: try row.bytes("certificate"),
                    transaction: try transaction.map { bytes throws(StoreError) in
                        (bytes: bytes, result: try row.bytes("result"))
                    }))
        }
        return try StoredRows.blocks(found)
    }

    public func validatorSetChanges() async throws(StoreError) -> [ValidatorSetChange] {
        try await reading { () async throws(StoreError) -> [ValidatorSetChange] in
            var changes = [ValidatorSetChange]()
            for row in try await Self.run(reader, "SELECT height, validators FROM validator_sets ORDER BY height") {
                changes.append(
                    try StoredRows.validatorSetChange(
                        height: try row.int("height"), validators: try row.bytes("validators")))
            }
            return changes
        }
    }

    public func loadSafetyState() async throws(StoreError) -> SafetyRecord? {
        try await reading { () async throws(StoreError) -> SafetyRecord? in try await Self.safetyState(reader) }
    }

    static func safetyState(_ connection: SQLiteConnection) async throws(StoreError) -> SafetyRecord? {
        let rows = try await run(connection, "SELECT height, round, step, message FROM safety_state WHERE id = 1")
        guard let row = rows.first else { return nil }
        return try StoredRows.safetyRecord(
            height: try row.int("height"), round: try row.int("round"), step: try row.int("step"),
            message: try row.bytes("message"))
    }
}
