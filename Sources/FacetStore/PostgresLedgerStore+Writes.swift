import FacetCore
import FacetLedger
import PostgresNIO

extension PostgresLedgerStore {
    public func migrate() async throws(StoreError) {
        try await withConnection("migrating") { [self] connection in
            try await inTransaction(connection) {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: StoreMigration.bookkeeping), logger: logger)
                var current: Int64 = 0
                let rows = try await connection.query(
                    "SELECT COALESCE(MAX(version), 0)::int8 FROM schema_migrations", logger: logger)
                for try await version in rows.decode(Int64.self) { current = version }
                guard current <= Int64(StoreMigration.latest) else {
                    throw StoreError(
                        .migration,
                        "the database has schema version \(current); this binary knows up to \(StoreMigration.latest)")
                }
                for migration in StoreMigration.all where migration.version > current {
                    do {
                        for statement in migration.postgres {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        if let backfill = migration.backfill { try await run(backfill, connection) }
                        let version = Int64(migration.version)
                        try await connection.query(
                            "INSERT INTO schema_migrations (version, name) VALUES (\(version), \(migration.name))",
                            logger: logger)
                    } catch {
                        throw StoreError(
                            .migration,
                            "migration \(migration.version) (\(migration.name)): \(Self.storeError(error, "migrating"))"
                        )
                    }
                    logger.info("applied migration", metadata: ["store.migration": "\(migration.version)"])
                }
            }
        }
    }

    /// Inside the migration's transaction, on its connection.
    private func run(_ backfill: StoreMigration.Backfill, _ connection: PostgresConnection) async throws {
        switch backfill {
        case .validatorSets:
            var scan = ValidatorSetBackfill()
            var from: UInt64 = 1
            while true {
                let page = try await blocks(connection, from: from, limit: ValidatorSetBackfill.pageSize)
                for block in page { try scan.scan(block) }
                guard page.count == ValidatorSetBackfill.pageSize else { break }
                from += UInt64(page.count)
            }
            guard !scan.changes.isEmpty else { return }
            try await connection.query(
                """
                INSERT INTO validator_sets (height, validators)
                SELECT * FROM unnest(\(scan.changes.map { Int64($0.height) })::int8[],
                    \(scan.changes.map { $0.validators.canonicalBytes.buffer })::bytea[])
                """, logger: logger)
        }
    }

    /// The check and the upsert in one transaction, under an advisory lock (a row lock would not cover the first
    /// save, when there is no row yet), so two saves cannot both pass the check. `synchronous_commit` is forced on for this
    /// transaction: the save must be on disk when it returns, whatever the server's default.
    public func saveSafetyState(_ record: SafetyRecord) async throws(StoreError) {
        let height = try StoredRows.safetyHeight(record)
        try await withConnection("saving the safety state") { [self] connection in
            try await inTransaction(connection) {
                try await connection.query("SET LOCAL synchronous_commit = on", logger: logger)
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.safetyLock))", logger: logger)
                let saved = try await safetyState(connection)
                try StoredRows.refuseRegression(saved: saved, new: record)
                let round = Int64(record.slot.round)
                let step = Int16(record.slot.step.rawValue)
                try await connection.query(
                    """
                    INSERT INTO safety_state (id, height, round, step, message)
                    VALUES (1, \(height), \(round), \(step), \(record.message.buffer))
                    ON CONFLICT (id) DO UPDATE SET height = EXCLUDED.height, round = EXCLUDED.round,
                        step = EXCLUDED.step, message = EXCLUDED.message
                    """, logger: logger)
            }
        }
    }

    public func commit(_ commit: BlockCommit) async throws(StoreError) {
        let rows = CommitRows(commit)
        try await withConnection("committing block \(rows.block.height)") { [self] connection in
            try await inTransaction(connection) {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.commitLock))", logger: logger)
                try await checkExtendsHead(rows, connection)
                try await write(rows, connection)
            }
        }
    }

    public func importSnapshot(header: BlockHeader, certificate: CommitCertificate, state: WorldState)
        async throws(StoreError)
    {
        let rows = try SnapshotRows(header: header, certificate: certificate, state: state)
        try await withConnection("importing a snapshot at \(rows.block.height)") { [self] connection in
            try await inTransaction(connection) {
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.commitLock))", logger: logger)
                var count: Int64 = 0
                for try await n in try await connection.query("SELECT count(*)::int8 FROM blocks", logger: logger)
                    .decode(Int64.self)
                { count = n }
                guard count == 0 else {
                    throw StoreError(.notEmpty, "the database holds \(count) blocks; state sync needs an empty store")
                }
                let block = rows.block
                try await connection.query(
                    """
                    INSERT INTO blocks (height, id, time, state_root, log_size, log_root, header, certificate)
                    VALUES (\(block.height), \(block.id.buffer), \(block.time), \(block.stateRoot.buffer),
                        \(block.logSize), \(block.logRoot.buffer), \(block.header.buffer), \(block.certificate.buffer))
                    """, logger: logger)
                try await connection.query("DELETE FROM state", logger: logger)
                for start in stride(from: 0, to: rows.records.count, by: 10_000) {
                    let page = rows.records[start..<min(rows.records.count, start + 10_000)]
                    try await connection.query(
                        """
                        INSERT INTO state (key, value)
                        SELECT * FROM unnest(\(page.map { $0.key.buffer })::bytea[],
                            \(page.map { $0.value.buffer })::bytea[])
                        """, logger: logger)
                }
                if !rows.nodes.isEmpty {
                    try await connection.query(
                        """
                        INSERT INTO log_nodes (level, idx, hash)
                        SELECT * FROM unnest(\(rows.nodes.map(\.level))::int2[], \(rows.nodes.map(\.index))::int8[],
                            \(rows.nodes.map { $0.hash.buffer })::bytea[])
                        """, logger: logger)
                }
                try await connection.query(
                    "INSERT INTO sync_base (id, height, block_id) VALUES (1, \(block.height), \(block.id.buffer))",
                    logger: logger)
            }
        }
    }

    /// Read under the commit lock, inside the transaction: no other writer moves the head meanwhile.
    private func checkExtendsHead(_ rows: CommitRows, _ connection: PostgresConnection) async throws {
        var head: (height: Int64, id: ByteBuffer)?
        let result = try await connection.query(
            "SELECT height, id FROM blocks ORDER BY height DESC LIMIT 1", logger: logger)
        for try await (height, id) in result.decode((Int64, ByteBuffer).self) { head = (height, id) }
        let headHeight = head?.height ?? 0
        guard rows.block.height == headHeight + 1 else {
            throw StoreError(
                .heightMismatch, "block \(rows.block.height) does not follow the stored head \(headHeight)")
        }
        if let head {
            let headID = try StoredRows.hash(Array(head.id.readableBytesView), "block id")
            guard rows.previousBlockID == headID else {
                throw StoreError(
                    .heightMismatch,
                    "block \(rows.block.height) names previous block \(rows.previousBlockID), the head is \(headID)")
            }
        }
    }

    /// One statement per table; the rows travel as array parameters and `unnest` turns them back into rows.
    private func write(_ rows: CommitRows, _ connection: PostgresConnection) async throws {
        let block = rows.block
        try await connection.query(
            """
            INSERT INTO blocks (height, id, time, state_root, log_size, log_root, header, certificate)
            VALUES (\(block.height), \(block.id.buffer), \(block.time), \(block.stateRoot.buffer), \(block.logSize),
                \(block.logRoot.buffer), \(block.header.buffer), \(block.certificate.buffer))
            """, logger: logger)
        let transactions = rows.transactions
        if !transactions.isEmpty {
            try await connection.query(
                """
                INSERT INTO transactions (height, position, id, kind, accepted, log_index, bytes, result)
                SELECT \(block.height)::int8, t.position, t.id, t.kind, t.accepted, NULLIF(t.log_index, -1), t.bytes,
                    t.result
                FROM unnest(\(transactions.map(\.position))::int4[], \(transactions.map { $0.id.buffer })::bytea[],
                    \(transactions.map(\.kind))::int2[], \(transactions.map(\.accepted))::bool[],
                    \(transactions.map { $0.logIndex ?? -1 })::int8[], \(transactions.map { $0.bytes.buffer })::bytea[],
                    \(transactions.map { $0.result.buffer })::bytea[])
                    AS t(position, id, kind, accepted, log_index, bytes, result)
                """, logger: logger)
        }
        if !rows.upserts.isEmpty {
            try await connection.query(
                """
                INSERT INTO state (key, value)
                SELECT * FROM unnest(\(rows.upserts.map { $0.key.buffer })::bytea[],
                    \(rows.upserts.map { $0.value.buffer })::bytea[])
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """, logger: logger)
        }
        if !rows.deletions.isEmpty {
            try await connection.query(
                "DELETE FROM state WHERE key = ANY(\(rows.deletions.map(\.buffer))::bytea[])", logger: logger)
        }
        if !rows.nodes.isEmpty {
            try await connection.query(
                """
                INSERT INTO log_nodes (level, idx, hash)
                SELECT * FROM unnest(\(rows.nodes.map(\.level))::int2[], \(rows.nodes.map(\.index))::int8[],
                    \(rows.nodes.map { $0.hash.buffer })::bytea[])
                """, logger: logger)
        }
        if let validators = rows.validatorChange {
            try await connection.query(
                "INSERT INTO validator_sets (height, validators) VALUES (\(block.height), \(validators.buffer))",
                logger: logger)
        }
        let history = rows.history
        if !history.isEmpty {
            try await connection.query(
                """
                INSERT INTO history (subject, time, height, position, tx_id, kind, accepted)
                SELECT h.subject, \(block.time)::int8, \(block.height)::int8, h.position, h.tx_id, h.kind, h.accepted
                FROM unnest(\(history.map { $0.subject.buffer })::bytea[], \(history.map(\.position))::int4[],
                    \(history.map { $0.transactionID.buffer })::bytea[], \(history.map(\.kind))::int2[],
                    \(history.map(\.accepted))::bool[]) AS h(subject, position, tx_id, kind, accepted)
                """, logger: logger)
        }
    }
}
