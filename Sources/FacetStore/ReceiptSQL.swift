/// The SQL both backends share for `access_receipts` (`StoreMigration.receiptTables`).
enum ReceiptSQL {
    /// The columns a recording writes, in `ReceiptRows.Row`'s order.
    static let columns = [
        "firm", "reader", "what", "basis", "granted_at", "read_minute", "read_at", "height", "reads",
    ]

    /// The upsert's tail: a row alike (same firm, reader, label, basis and minute) gains the new reads (stopping at
    /// the largest integer rather than overflowing) and takes the later time and height. `greatest` is the
    /// dialect's two-argument maximum (`max` in SQLite, `GREATEST` in PostgreSQL).
    static func merge(greatest: String) -> String {
        """
         ON CONFLICT (firm, reader, what, basis, granted_at, read_minute) DO UPDATE SET
            reads = CASE WHEN access_receipts.reads > \(Int64.max) - excluded.reads THEN \(Int64.max)
                ELSE access_receipts.reads + excluded.reads END,
            read_at = \(greatest)(access_receipts.read_at, excluded.read_at),
            height = \(greatest)(access_receipts.height, excluded.height)
        """
    }
}
