import FacetCore
import FacetLedger
import PostgresNIO

extension PostgresLedgerStore {
    public func schemaVersion() async throws(StoreError) -> Int {
        try await withConnection("reading the schema version") { [self] connection in
            let exists = try await connection.query(
                "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            var present = false
            for try await value in exists.decode(Bool.self) { present = value }
            guard present else { return 0 }
            var version: Int64 = 0
            let rows = try await connection.query(
                "SELECT COALESCE(MAX(version), 0)::int8 FROM schema_migrations", logger: logger)
            for try await value in rows.decode(Int64.self) { version = value }
            return Int(version)
        }
    }

    public func head() async throws(StoreError) -> StoreHead? {
        try await withConnection("reading the head") { [self] connection in try await readHead(connection) }
    }

    private func readHead(_ connection: PostgresConnection) async throws -> StoreHead? {
        try await Self.readHead(connection, logger: logger)
    }

    /// The head as `connection` sees it (inside its transaction, when it has one: a backup's snapshot).
    static func readHead(_ connection: PostgresConnection, logger: Logger) async throws -> StoreHead? {
        let rows = try await connection.query(
            "SELECT height, id, time, state_root, log_size, log_root FROM blocks ORDER BY height DESC LIMIT 1",
            logger: logger)
        var head: StoreHead?
        for try await (height, id, time, root, size, logRoot) in rows.decode(
            (Int64, ByteBuffer, Int64, ByteBuffer, Int64, ByteBuffer).self)
        {
            head = try StoredRows.head(
                height: height, id: id.array, time: time, stateRoot: root.array, logSize: size,
                logRoot: logRoot.array)
        }
        return head
    }

    public func loadState(genesis: Genesis) async throws(StoreError) -> LoadedState {
        try await withConnection("loading the state") { [self] connection in
            try await inTransaction(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                let head = try await readHead(connection)
                var lowest: BlockHeader?
                var base: UInt64?
                var records = [(key: [UInt8], value: [UInt8])]()
                var frontier = [Hash256]()
                if let head {
                    let first = try await connection.query(
                        "SELECT header FROM blocks ORDER BY height LIMIT 1", logger: logger)
                    for try await header in first.decode(ByteBuffer.self) {
                        lowest = try StoredRows.decode(BlockHeader.self, header.array, "header")
                    }
                    base = try await readSyncBase(connection)
                    let state = try await connection.query("SELECT key, value FROM state", logger: logger)
                    for try await (key, value) in state.decode((ByteBuffer, ByteBuffer).self) {
                        records.append((key: key.array, value: value.array))
                    }
                    frontier = try await frontierNodes(size: head.logSize, connection)
                }
                return try StoredRows.loadedState(
                    genesis: genesis, head: head, lowest: lowest, base: base, records: records, frontier: frontier)
            }
        }
    }

    /// The log nodes that make up the frontier at `size`, largest first; fewer when some are missing.
    private func frontierNodes(size: UInt64, _ connection: PostgresConnection) async throws -> [Hash256] {
        guard size > 0, size <= UInt64(Int.max) else { return [] }
        let positions = MerkleFrontier.subtreePositions(size: Int(size))
        let rows = try await connection.query(
            """
            SELECT level::int8, hash FROM log_nodes WHERE (level, idx) IN
                (SELECT * FROM unnest(\(positions.map { Int16($0.level) })::int2[],
                    \(positions.map { Int64($0.index) })::int8[]))
            """, logger: logger)
        var found = [Int: Hash256]()
        for try await (level, hash) in rows.decode((Int64, ByteBuffer).self) {
            found[Int(level)] = try StoredRows.hash(hash.array, "log node")
        }
        return positions.compactMap { found[$0.level] }
    }

    public func block(at height: UInt64) async throws(StoreError) -> StoredBlock? {
        try await withConnection("reading block \(height)") { [self] connection in
            try await readBlock(at: height, connection)
        }
    }

    public func latestBlock() async throws(StoreError) -> StoredBlock? {
        try await withConnection("reading the latest block") { [self] connection in
            guard let head = try await readHead(connection) else { return nil }
            return try await readBlock(at: head.height, connection)
        }
    }

    public func syncBase() async throws(StoreError) -> UInt64? {
        try await withConnection("reading the sync base") { [self] connection in try await readSyncBase(connection) }
    }

    private func readSyncBase(_ connection: PostgresConnection) async throws -> UInt64? {
        var base: UInt64?
        let rows = try await connection.query("SELECT height FROM sync_base WHERE id = 1", logger: logger)
        for try await height in rows.decode(Int64.self) { base = try StoredRows.unsigned(height, "sync base") }
        return base
    }

    private func readBlock(at height: UInt64, _ connection: PostgresConnection) async throws -> StoredBlock? {
        guard height <= UInt64(Int64.max) else { return nil }
        if let base = try await readSyncBase(connection), height <= base { return nil }
        let key = Int64(height)
        let blocks = try await connection.query(
            "SELECT header, certificate FROM blocks WHERE height = \(key)", logger: logger)
        var found: (header: [UInt8], certificate: [UInt8])?
        for try await (header, certificate) in blocks.decode((ByteBuffer, ByteBuffer).self) {
            found = (header.array, certificate.array)
        }
        guard let found else { return nil }
        let transactions = try await connection.query(
            "SELECT bytes, result FROM transactions WHERE height = \(key) ORDER BY position", logger: logger)
        var rows = [(bytes: [UInt8], result: [UInt8])]()
        for try await (transaction, result) in transactions.decode((ByteBuffer, ByteBuffer).self) {
            rows.append((bytes: transaction.array, result: result.array))
        }
        return try StoredRows.block(header: found.header, certificate: found.certificate, transactions: rows)
    }

    public func transaction(_ id: TransactionID) async throws(StoreError) -> StoredTransaction? {
        try await withConnection("reading a transaction") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT id, bytes, height, position::int8, result, log_index FROM transactions
                WHERE id = \(id.hash.bytes.buffer)
                ORDER BY accepted DESC, height, position LIMIT 1
                """, logger: logger)
            var found: StoredTransaction?
            for try await (rowID, transaction, height, position, result, logIndex) in rows.decode(
                (ByteBuffer, ByteBuffer, Int64, Int64, ByteBuffer, Int64?).self)
            {
                found = try StoredRows.transaction(
                    id: rowID.array, bytes: transaction.array, height: height, position: position,
                    result: result.array, logIndex: logIndex)
            }
            return found
        }
    }

    public func logNode(level: Int, index: Int) async throws(StoreError) -> Hash256? {
        guard let level = Int16(exactly: level) else { return nil }
        return try await withConnection("reading a log node") { [self] connection in
            let rows = try await connection.query(
                "SELECT hash FROM log_nodes WHERE level = \(level) AND idx = \(Int64(index))", logger: logger)
            var found: Hash256?
            for try await hash in rows.decode(ByteBuffer.self) { found = try StoredRows.hash(hash.array, "log node") }
            return found
        }
    }

    public func history(subject: Hash256, from: Timestamp?, to: Timestamp?, limit: Int) async throws(StoreError)
        -> [HistoryEntry]
    {
        try HistoryQuery.check(limit: limit)
        return try await withConnection("reading a history") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT height, position::int8, time, tx_id, kind::int8, accepted FROM history
                WHERE subject = \(subject.bytes.buffer) AND time >= \(HistoryQuery.lower(from))
                    AND time < \(HistoryQuery.upper(to))
                ORDER BY time, height, position LIMIT \(Int64(limit))
                """, logger: logger)
            var entries = [HistoryEntry]()
            for try await (height, position, time, id, kind, accepted) in rows.decode(
                (Int64, Int64, Int64, ByteBuffer, Int64, Bool).self)
            {
                entries.append(
                    try StoredRows.historyEntry(
                        height: height, position: position, time: time, id: id.array, kind: kind, accepted: accepted))
            }
            return entries
        }
    }

    public func blocks(from: UInt64, limit: Int) async throws(StoreError) -> [StoredBlock] {
        let range = try StoredRows.blockRange(from: from, limit: limit)
        guard range != nil else { return [] }
        return try await withConnection("reading blocks from \(from)") { [self] connection in
            let base = try await readSyncBase(connection) ?? 0
            return try await blocks(connection, from: max(from, base &+ 1), limit: limit)
        }
    }

    /// A block range in one statement: blocks left-joined with their transactions, ordered by height and position.
    /// Shared by reads and the migration's backfill (inside its transaction).
    func blocks(_ connection: PostgresConnection, from: UInt64, limit: Int) async throws -> [StoredBlock] {
        guard let range = try StoredRows.blockRange(from: from, limit: limit) else { return [] }
        let rows = try await connection.query(
            """
            SELECT b.height, b.header, b.certificate, t.bytes, t.result FROM blocks b
            LEFT JOIN transactions t ON t.height = b.height
            WHERE b.height >= \(range.lower) AND b.height < \(range.upper) ORDER BY b.height, t.position
            """, logger: logger)
        var found = [StoredRows.BlockRangeRow]()
        for try await (height, header, certificate, bytes, result) in rows.decode(
            (Int64, ByteBuffer, ByteBuffer, ByteBuffer?, ByteBuffer?).self)
        {
            let transaction = bytes.map { (bytes: $0.array, result: result?.array ?? []) }
            found.append(
                StoredRows.BlockRangeRow(
                    height: height, header: header.array, certificate: certificate.array, transaction: transaction))
        }
        return try StoredRows.blocks(found)
    }

    public func validatorSetChanges() async throws(StoreError) -> [ValidatorSetChange] {
        try await withConnection("reading the validator-set changes") { [self] connection in
            let rows = try await connection.query(
                "SELECT height, validators FROM validator_sets ORDER BY height", logger: logger)
            var changes = [ValidatorSetChange]()
            for try await (height, validators) in rows.decode((Int64, ByteBuffer).self) {
                changes.append(try StoredRows.validatorSetChange(height: height, validators: validators.array))
            }
            return changes
        }
    }

    public func loadSafetyState() async throws(StoreError) -> SafetyRecord? {
        try await withConnection("reading the safety state") { [self] connection in
            try await safetyState(connection)
        }
    }

    func safetyState(_ connection: PostgresConnection) async throws -> SafetyRecord? {
        let rows = try await connection.query(
            "SELECT height, round, step::int8, message FROM safety_state WHERE id = 1", logger: logger)
        var found: SafetyRecord?
        for try await (height, round, step, message) in rows.decode((Int64, Int64, Int64, ByteBuffer).self) {
            found = try StoredRows.safetyRecord(height: height, round: round, step: step, message: message.array)
        }
        return found
    }
}
