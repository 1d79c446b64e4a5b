extension StoreMigration {
    /// Access receipts (`AccessReceipt`, kept as `ReceiptLimits` says).
    ///
    /// - `access_receipts`: one row per receipt. `seq` orders receipts of the same millisecond (the later recorded
    ///   first when reading newest first). `basis` is 0 for a consent, whose grant time is `granted_at`, and 1 for the
    ///   auditor role (`granted_at` 0). `read_minute` is `read_at` in whole minutes at the first read: the unique
    ///   index on (firm, reader, what, basis, granted_at, read_minute) is what merges reads alike into one row, whose
    ///   `reads` counts them.
    /// - Indexes: a firm's receipts newest first (the access log and the firm bound), a firm's receipts by one
    ///   reader (the reader bound), and all receipts by time (the age sweep).
    static let receiptTables = StoreMigration(
        version: 3, name: "access receipts",
        sqlite: [
            """
            CREATE TABLE access_receipts (seq INTEGER PRIMARY KEY AUTOINCREMENT, firm BLOB NOT NULL,
                reader BLOB NOT NULL, what TEXT NOT NULL, basis INTEGER NOT NULL, granted_at INTEGER NOT NULL,
                read_minute INTEGER NOT NULL, read_at INTEGER NOT NULL, height INTEGER NOT NULL, reads INTEGER NOT NULL)
            """,
            """
            CREATE UNIQUE INDEX access_receipts_alike ON access_receipts
                (firm, reader, what, basis, granted_at, read_minute)
            """,
            "CREATE INDEX access_receipts_by_firm ON access_receipts (firm, read_at, seq)",
            "CREATE INDEX access_receipts_by_reader ON access_receipts (firm, reader, read_at, seq)",
            "CREATE INDEX access_receipts_by_time ON access_receipts (read_at)",
        ],
        postgres: [
            """
            CREATE TABLE access_receipts (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, firm BYTEA NOT NULL,
                reader BYTEA NOT NULL, what TEXT NOT NULL, basis SMALLINT NOT NULL, granted_at BIGINT NOT NULL,
                read_minute BIGINT NOT NULL, read_at BIGINT NOT NULL, height BIGINT NOT NULL, reads BIGINT NOT NULL)
            """,
            """
            CREATE UNIQUE INDEX access_receipts_alike ON access_receipts
                (firm, reader, what, basis, granted_at, read_minute)
            """,
            "CREATE INDEX access_receipts_by_firm ON access_receipts (firm, read_at, seq)",
            "CREATE INDEX access_receipts_by_reader ON access_receipts (firm, reader, read_at, seq)",
            "CREATE INDEX access_receipts_by_time ON access_receipts (read_at)",
        ])
}
