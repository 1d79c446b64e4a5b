/// One numbered step of the schema, in the dialect of each backend. Both dialects give the same tables with
/// the same meaning: hashes and canonical encodings as byte strings, heights, times and log positions as 64-bit
/// integers. A published migration never changes; a new schema is a new migration at the end of `all`.
struct StoreMigration: Sendable {
    let version: Int
    let name: String
    let sqlite: [String]
    let postgres: [String]
    /// Rows the new tables need from what a store already holds, written in Swift after the statements, in the
    /// same transaction.
    var backfill: Backfill? = nil

    enum Backfill: Sendable {
        /// `validator_sets` from the stored blocks: the changes their headers announced.
        case validatorSets
    }

    /// The table that records which migrations ran, created before any migration.
    static let bookkeeping =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)"

    static let all: [StoreMigration] = [ledgerTables, consensusTables, receiptTables, syncBaseTable]

    static var latest: Int { all.last?.version ?? 0 }

    /// Blocks, transactions, the state at the head, the log's perfect nodes and the history index.
    ///
    /// - `blocks`: the header and certificate as canonical bytes, with the head's fields as columns so `head()`
    ///   decodes nothing.
    /// - `transactions`: keyed by (height, position); the id is indexed but not unique, because a replayed
    ///   transaction (same bytes, refused) may be included again. `log_index` is null when refused.
    /// - `state`: one row per record; `key` is the `StateKey` encoding, `value` the `StateValue` encoding.
    /// - `log_nodes`: perfect subtrees of the transparency log, keyed by (level, index).
    /// - `history`: (subject, time, height, position) is the key, so a subject's history in a time window is
    ///   one index range scan, already in commit order (block time never decreases with height).
    static let ledgerTables = StoreMigration(
        version: 1, name: "ledger tables",
        sqlite: [
            """
            CREATE TABLE blocks (height INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, time INTEGER NOT NULL,
                state_root BLOB NOT NULL, log_size INTEGER NOT NULL, log_root BLOB NOT NULL, header BLOB NOT NULL,
                certificate BLOB NOT NULL)
            """,
            """
            CREATE TABLE transactions (height INTEGER NOT NULL, position INTEGER NOT NULL, id BLOB NOT NULL,
                kind INTEGER NOT NULL, accepted INTEGER NOT NULL, log_index INTEGER, bytes BLOB NOT NULL,
                result BLOB NOT NULL, PRIMARY KEY (height, position))
            """,
            "CREATE INDEX transactions_by_id ON transactions (id)",
            "CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
            """
            CREATE TABLE log_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
                PRIMARY KEY (level, idx)) WITHOUT ROWID
            """,
            """
            CREATE TABLE history (subject BLOB NOT NULL, time INTEGER NOT NULL, height INTEGER NOT NULL,
                position INTEGER NOT NULL, tx_id BLOB NOT NULL, kind INTEGER NOT NULL, accepted INTEGER NOT NULL,
                PRIMARY KEY (subject, time, height, position)) WITHOUT ROWID
            """,
        ],
        postgres: [
            """
            CREATE TABLE blocks (height BIGINT PRIMARY KEY, id BYTEA NOT NULL UNIQUE, time BIGINT NOT NULL,
                state_root BYTEA NOT NULL, log_size BIGINT NOT NULL, log_root BYTEA NOT NULL, header BYTEA NOT NULL,
                certificate BYTEA NOT NULL)
            """,
            """
            CREATE TABLE transactions (height BIGINT NOT NULL, position INTEGER NOT NULL, id BYTEA NOT NULL,
                kind SMALLINT NOT NULL, accepted BOOLEAN NOT NULL, log_index BIGINT, bytes BYTEA NOT NULL,
                result BYTEA NOT NULL, PRIMARY KEY (height, position))
            """,
            "CREATE INDEX transactions_by_id ON transactions (id)",
            "CREATE TABLE state (key BYTEA PRIMARY KEY, value BYTEA NOT NULL)",
            """
            CREATE TABLE log_nodes (level SMALLINT NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL,
                PRIMARY KEY (level, idx))
            """,
            """
            CREATE TABLE history (subject BYTEA NOT NULL, time BIGINT NOT NULL, height BIGINT NOT NULL,
                position INTEGER NOT NULL, tx_id BYTEA NOT NULL, kind SMALLINT NOT NULL, accepted BOOLEAN NOT NULL,
                PRIMARY KEY (subject, time, height, position))
            """,
        ])

    /// The validator-set history and the consensus safety state.
    ///
    /// - `validator_sets`: one row per header that announced a new set (height of that header, the next set's
    ///   canonical encoding), so start-up reads the history in one query; filled from the stored blocks when an
    ///   older store upgrades.
    /// - `safety_state`: at most one row (id 1): the last slot this validator signed and the message it signed.
    static let consensusTables = StoreMigration(
        version: 2, name: "validator sets and safety state",
        sqlite: [
            "CREATE TABLE validator_sets (height INTEGER PRIMARY KEY, validators BLOB NOT NULL)",
            """
            CREATE TABLE safety_state (id INTEGER PRIMARY KEY CHECK (id = 1), height INTEGER NOT NULL,
                round INTEGER NOT NULL, step INTEGER NOT NULL, message BLOB NOT NULL)
            """,
        ],
        postgres: [
            "CREATE TABLE validator_sets (height BIGINT PRIMARY KEY, validators BYTEA NOT NULL)",
            """
            CREATE TABLE safety_state (id SMALLINT PRIMARY KEY CHECK (id = 1), height BIGINT NOT NULL,
                round BIGINT NOT NULL, step SMALLINT NOT NULL, message BYTEA NOT NULL)
            """,
        ],
        backfill: .validatorSets)
}

extension StoreMigration {
    /// `sync_base`: at most one row (id 1), written by `importSnapshot`: the height and id of the block a state-synced
    /// store starts from. Absent for a store that holds its chain from block 1.
    static let syncBaseTable = StoreMigration(
        version: 4, name: "state sync base",
        sqlite: [
            """
            CREATE TABLE sync_base (id INTEGER PRIMARY KEY CHECK (id = 1), height INTEGER NOT NULL,
                block_id BLOB NOT NULL)
            """
        ],
        postgres: [
            """
            CREATE TABLE sync_base (id SMALLINT PRIMARY KEY CHECK (id = 1), height BIGINT NOT NULL,
                block_id BYTEA NOT NULL)
            """
        ])
}
