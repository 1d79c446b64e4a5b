import FacetCore
import SQLiteNIO

/// Access receipts on SQLite: written on the writer like a commit (one `BEGIN IMMEDIATE … COMMIT`, durable under
/// `synchronous=FULL`), so a recording waits behind a block being written; read on the reader.
extension SQLiteLedgerStore {
    public func recordReceipts(_ receipts: [AccessReceipt]) async throws(StoreError) {
        guard let batch = try ReceiptRows(receipts) else { return }
        try await writing { () async throws(StoreError) in
            try await inWriteTransaction { () async throws(StoreError) in
                try await insert(
                    "access_receipts", ReceiptSQL.columns,
                    batch.rows.map { row -> [SQLiteData] in
                        [
                            .bytes(row.key.firm), .bytes(row.key.reader), .text(row.key.what),
                            .int(Int64(row.key.basis)), .int(row.key.grantedAt), .int(row.key.minute), .int(row.at),
                            .int(row.height), .int(row.count),
                        ]
                    }, suffix: ReceiptSQL.merge(greatest: "max"))
                for pair in batch.pairs {
                    try await Self.run(
                        writer,
                        """
                        DELETE FROM access_receipts WHERE seq IN (SELECT seq FROM access_receipts
                            WHERE firm = ? AND reader = ? ORDER BY read_at DESC, seq DESC LIMIT -1 OFFSET ?)
                        """, [.bytes(pair.firm), .bytes(pair.reader), .int(ReceiptLimits.perReader)])
                }
                for firm in batch.firms {
                    try await Self.run(
                        writer,
                        """
                        DELETE FROM access_receipts WHERE seq IN (SELECT seq FROM access_receipts
                            WHERE firm = ? ORDER BY read_at DESC, seq DESC LIMIT -1 OFFSET ?)
                        """, [.bytes(firm), .int(ReceiptLimits.perFirm)])
                }
                try await Self.run(
                    writer,
                    """
                    DELETE FROM access_receipts WHERE seq IN (SELECT seq FROM access_receipts
                        WHERE read_at < ? ORDER BY read_at LIMIT ?)
                    """, [.int(batch.expiredBefore), .int(batch.sweepLimit)])
            }
        }
    }

    public func receipts(firm: MemberID, before: Timestamp?, limit: Int) async throws(StoreError) -> [AccessReceipt] {
        let fetch = try ReceiptRows.fetchCount(limit: limit)
        return try await reading { () async throws(StoreError) -> [AccessReceipt] in
            let rows = try await Self.run(
                reader,
                """
                SELECT firm, reader, what, basis, granted_at, read_at, height, reads FROM access_receipts
                WHERE firm = ? AND read_at < ? ORDER BY read_at DESC, seq DESC LIMIT ?
                """, [.bytes(firm.hash.bytes), .int(before?.millis ?? Int64.max), .int(fetch)])
            var found = [AccessReceipt]()
            found.reserveCapacity(rows.count)
            for row in rows {
                guard case .text(let what)? = row.column("what") else {
                    throw StoreError(.corrupt, "column what does not hold text")
                }
                found.append(
                    try ReceiptRows.receipt(
                        firm: try row.bytes("firm"), reader: try row.bytes("reader"), what: what,
                        basis: try row.int("basis"), grantedAt: try row.int("granted_at"), at: try row.int("read_at"),
                        height: try row.int("height"), count: try row.int("reads")))
            }
            return ReceiptRows.page(found, limit: limit)
        }
    }
}
