import FacetCore
import PostgresNIO

/// Access receipts on PostgreSQL: a recording is one transaction under an advisory lock of its own (recordings run
/// one at a time, so their prunes never deadlock, and never wait for a commit), with `synchronous_commit` forced
/// on so it is on disk when it returns. Each step is one statement whatever the batch's size.
extension PostgresLedgerStore {
    static let receiptLock: Int64 = 0x4641_4345_5404

    public func recordReceipts(_ receipts: [AccessReceipt]) async throws(StoreError) {
        guard let batch = try ReceiptRows(receipts) else { return }
        let rows = batch.rows
        try await withConnection("recording \(rows.count) receipts") { [self] connection in
            try await inTransaction(connection) {
                try await connection.query("SET LOCAL synchronous_commit = on", logger: logger)
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.receiptLock))", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO access_receipts (\(unescaped: ReceiptSQL.columns.joined(separator: ", ")))
                    SELECT * FROM unnest(\(rows.map { $0.key.firm.buffer })::bytea[],
                        \(rows.map { $0.key.reader.buffer })::bytea[], \(rows.map(\.key.what))::text[],
                        \(rows.map(\.key.basis))::int2[], \(rows.map(\.key.grantedAt))::int8[],
                        \(rows.map(\.key.minute))::int8[],
                        \(rows.map(\.at))::int8[], \(rows.map(\.height))::int8[], \(rows.map(\.count))::int8[])
                    \(unescaped: ReceiptSQL.merge(greatest: "GREATEST"))
                    """, logger: logger)
                try await prune(batch, connection)
            }
        }
    }

    /// The reader and firm bounds for the pairs and firms recorded, then the age sweep.
    private func prune(_ batch: ReceiptRows, _ connection: PostgresConnection) async throws {
        let perReader = Int64(ReceiptLimits.perReader)
        let perFirm = Int64(ReceiptLimits.perFirm)
        try await connection.query(
            """
            DELETE FROM access_receipts WHERE seq IN (SELECT old.seq
                FROM unnest(\(batch.pairs.map { $0.firm.buffer })::bytea[],
                    \(batch.pairs.map { $0.reader.buffer })::bytea[]) AS p(firm, reader)
                CROSS JOIN LATERAL (SELECT seq FROM access_receipts a WHERE a.firm = p.firm AND a.reader = p.reader
                    ORDER BY read_at DESC, seq DESC OFFSET \(perReader)) AS old)
            """, logger: logger)
        try await connection.query(
            """
            DELETE FROM access_receipts WHERE seq IN (SELECT old.seq
                FROM unnest(\(batch.firms.map(\.buffer))::bytea[]) AS f(firm)
                CROSS JOIN LATERAL (SELECT seq FROM access_receipts a WHERE a.firm = f.firm
                    ORDER BY read_at DESC, seq DESC OFFSET \(perFirm)) AS old)
            """, logger: logger)
        try await connection.query(
            """
            DELETE FROM access_receipts WHERE seq IN (SELECT seq FROM access_receipts
                WHERE read_at < \(batch.expiredBefore) ORDER BY read_at LIMIT \(Int64(batch.sweepLimit)))
            """, logger: logger)
    }

    public func receipts(firm: MemberID, before: Timestamp?, limit: Int) async throws(StoreError) -> [AccessReceipt] {
        let fetch = Int64(try ReceiptRows.fetchCount(limit: limit))
        return try await withConnection("reading receipts") { [self] connection in
            let rows = try await connection.query(
                """
                SELECT firm, reader, what, basis::int8, granted_at, read_at, height, reads FROM access_receipts
                WHERE firm = \(firm.hash.bytes.buffer) AND read_at < \(before?.millis ?? Int64.max)
                ORDER BY read_at DESC, seq DESC LIMIT \(fetch)
                """, logger: logger)
            var found = [AccessReceipt]()
            for try await (firm, reader, what, basis, grantedAt, at, height, count) in rows.decode(
                (ByteBuffer, ByteBuffer, String, Int64, Int64, Int64, Int64, Int64).self)
            {
                found.append(
                    try ReceiptRows.receipt(
                        firm: firm.array, reader: reader.array, what: what, basis: basis, grantedAt: grantedAt,
                        at: at, height: height, count: count))
            }
            return ReceiptRows.page(found, limit: limit)
        }
    }
}
