import FacetCore
import FacetLedger
import SQLiteNIO

extension SQLiteLedgerStore {
    public func migrate() async throws(StoreError) {
        try await writing { () async throws(StoreError) in
            try await inWriteTransaction { () async throws(StoreError) in
                try await Self.run(writer, StoreMigration.bookkeeping)
                let applied = try await Self.run(
                    writer, "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations")
                let current = try applied.first?.int("version") ?? 0
                guard current <= Int64(StoreMigration.latest) else {
                    throw StoreError(
                        .migration,
                        "\(path) has schema version \(current); this binary knows up to \(StoreMigration.latest)")
                }
                for migration in StoreMigration.all where migration.version > current {
                    do {
                        for statement in migration.sqlite { try await Self.run(writer, statement) }
                        if let backfill = migration.backfill { try await run(backfill) }
                        try await Self.run(
                            writer, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                            [.int(migration.version), .text(migration.name)])
                    } catch {
                        throw StoreError(.migration, "migration \(migration.version) (\(migration.name)): \(error)")
                    }
                    logger.info("applied migration", metadata: ["store.migration": "\(migration.version)"])
                }
            }
        }
    }

    /// Inside the migration's write transaction, on the writer: the blocks are read in pages from there.
    private func run(_ backfill: StoreMigration.Backfill) async throws(StoreError) {
        switch backfill {
        case .validatorSets:
            var scan = ValidatorSetBackfill()
            var from: UInt64 = 1
            while true {
                let page = try await Self.blocks(writer, from: from, limit: ValidatorSetBackfill.pageSize)
                for block in page { try scan.scan(block) }
                guard page.count == ValidatorSetBackfill.pageSize else { break }
                from += UInt64(page.count)
            }
            for change in scan.changes {
                try await Self.run(
                    writer, "INSERT INTO validator_sets (height, validators) VALUES (?, ?)",
                    [.int(Int64(change.height)), .bytes(change.validators.canonicalBytes)])
            }
        }
    }

    /// `BEGIN IMMEDIATE … COMMIT` on the writer, whose `synchronous=FULL` makes the commit durable before this
    /// returns; the check and the upsert share the transaction, so two saves cannot both pass the check.
    public func saveSafetyState(_ record: SafetyRecord) async throws(StoreError) {
        let height = try StoredRows.safetyHeight(record)
        try await writing { () async throws(StoreError) in
            try await inWriteTransaction { () async throws(StoreError) in
                let saved = try await Self.safetyState(writer)
                try StoredRows.refuseRegression(saved: saved, new: record)
                try await Self.run(
                    writer,
                    """
                    INSERT INTO safety_state (id, height, round, step, message) VALUES (1, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET height = excluded.height, round = excluded.round,
                        step = excluded.step, message = excluded.message
                    """,
                    [
                        .int(height), .int(Int64(record.slot.round)), .int(Int64(record.slot.step.rawValue)),
                        .bytes(record.message),
                    ])
            }
        }
    }

    public func commit(_ commit: BlockCommit) async throws(StoreError) {
        let rows = CommitRows(commit)
        try await writing { () async throws(StoreError) in
            try await inWriteTransaction { () async throws(StoreError) in
                try await checkExtendsHead(rows)
                try await write(rows)
            }
        }
    }

    /// Read inside the write transaction, which holds the write lock: no other writer can move the head
    /// between this check and the inserts.
    private func checkExtendsHead(_ rows: CommitRows) async throws(StoreError) {
        let head = try await Self.run(writer, "SELECT height, id FROM blocks ORDER BY height DESC LIMIT 1").first
        let headHeight = try head?.int("height") ?? 0
        guard rows.block.height == headHeight + 1 else {
            throw StoreError(
                .heightMismatch, "block \(rows.block.height) does not follow the stored head \(headHeight)")
        }
        if let head {
            let headID = try StoredRows.hash(try head.bytes("id"), "block id")
            guard rows.previousBlockID == headID else {
                throw StoreError(
                    .heightMismatch,
                    "block \(rows.block.height) names previous block \(rows.previousBlockID), the head is \(headID)")
            }
        }
    }

    private func write(_ rows: CommitRows) async throws(StoreError) {
        let block = rows.block
        let height = SQLiteData.int(block.height)
        try await Self.run(
            writer,
            """
            INSERT INTO blocks (height, id, time, state_root, log_size, log_root, header, certificate)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                height, .bytes(block.id), .int(block.time), .bytes(block.stateRoot), .int(block.logSize),
                .bytes(block.logRoot), .bytes(block.header), .bytes(block.certificate),
            ])
        try await insert(
            "transactions", ["height", "position", "id", "kind", "accepted", "log_index", "bytes", "result"],
            rows.transactions.map { row -> [SQLiteData] in
                [
                    height, .int(Int64(row.position)), .bytes(row.id), .int(Int64(row.kind)), .bool(row.accepted),
                    .optionalInt(row.logIndex), .bytes(row.bytes), .bytes(row.result),
                ]
            })
        try await insert(
            "state", ["key", "value"], rows.upserts.map { [SQLiteData.bytes($0.key), .bytes($0.value)] },
            suffix: " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        for chunk in chunks(rows.deletions.count, columns: 1) {
            let keys = rows.deletions[chunk].map { SQLiteData.bytes($0) }
            try await Self.run(writer, "DELETE FROM state WHERE key IN (\(placeholders(chunk.count)))", keys)
        }
        try await insert(
            "log_nodes", ["level", "idx", "hash"],
            rows.nodes.map { [SQLiteData.int(Int64($0.level)), .int($0.index), .bytes($0.hash)] })
        if let validators = rows.validatorChange {
            try await Self.run(
                writer, "INSERT INTO validator_sets (height, validators) VALUES (?, ?)", [height, .bytes(validators)])
        }
        try await insert(
            "history", ["subject", "time", "height", "position", "tx_id", "kind", "accepted"],
            rows.history.map { row -> [SQLiteData] in
                [
                    .bytes(row.subject), .int(block.time), height, .int(Int64(row.position)), .bytes(row.transactionID),
                    .int(Int64(row.kind)), .bool(row.accepted),
                ]
            })
    }

    public func importSnapshot(header: BlockHeader, certificate: CommitCertificate, state: WorldState)
        async throws(StoreError)
    {
        let rows = try SnapshotRows(header: header, certificate: certificate, state: state)
        try await writing { () async throws(StoreError) in
            try await inWriteTransaction { () async throws(StoreError) in
                let count = try await Self.run(writer, "SELECT count(*) AS n FROM blocks").first?.int("n") ?? 0
                guard count == 0 else {
                    throw StoreError(.notEmpty, "\(path) holds \(count) blocks; state sync needs an empty store")
                }
                let block = rows.block
                try await Self.run(
                    writer,
                    """
                    INSERT INTO blocks (height, id, time, state_root, log_size, log_root, header, certificate)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .int(block.height), .bytes(block.id), .int(block.time), .bytes(block.stateRoot),
                        .int(block.logSize), .bytes(block.logRoot), .bytes(block.header), .bytes(block.certificate),
                    ])
                try await Self.run(writer, "DELETE FROM state")
                try await insert(
                    "state", ["key", "value"], rows.records.map { [SQLiteData.bytes($0.key), .bytes($0.value)] })
                try await insert(
                    "log_nodes", ["level", "idx", "hash"],
                    rows.nodes.map { [SQLiteData.int(Int64($0.level)), .int($0.index), .bytes($0.hash)] })
                try await Self.run(
                    writer, "INSERT INTO sync_base (id, height, block_id) VALUES (1, ?, ?)",
                    [.int(block.height), .bytes(block.id)])
            }
        }
    }

    /// A multi-row INSERT, cut into as few statements as the bound-parameter ceiling allows.
    func insert(_ table: String, _ columns: [String], _ rows: [[SQLiteData]], suffix: String = "")
        async throws(StoreError)
    {
        let row = "(\(placeholders(columns.count)))"
        for chunk in chunks(rows.count, columns: columns.count) {
            let values = Array(repeating: row, count: chunk.count).joined(separator: ", ")
            let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values)\(suffix)"
            try await Self.run(writer, sql, Array(rows[chunk].joined()))
        }
    }

    func chunks(_ count: Int, columns: Int) -> [Range<Int>] {
        let size = max(1, StoreLimits.sqliteMaxBinds / columns)
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
