import FacetCore

/// Why a store operation failed: a stable, opaque `code` (listed in `contracts/errors.md`) and a plain `reason`
/// for operators. The reason may name database details, so the API maps a store error to its code and a generic
/// message rather than echoing it.
public typealias StoreError = FacetError<StoreErrorCode>

/// The codes of `StoreError`.
public struct StoreErrorCode: ErrorCode, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The database cannot be opened or reached, or an I/O error (disk full, connection lost) stopped an
    /// operation. Retrying later may succeed; a commit that failed this way wrote nothing.
    public static let unavailable = Self(rawValue: "store.unavailable")
    /// What the database holds does not decode, or disagrees with itself (a state root, a missing log node).
    public static let corrupt = Self(rawValue: "store.corrupt")
    /// A commit does not extend the stored head: wrong height or wrong previous block id. Nothing was written.
    public static let heightMismatch = Self(rawValue: "store.height_mismatch")
    /// A migration failed, or the database was written by a newer schema than this binary knows.
    public static let migration = Self(rawValue: "store.migration")
    /// The stored chain starts from another genesis than the one the node was given.
    public static let wrongChain = Self(rawValue: "store.wrong_chain")
    /// A request outside the store's limits (a history page too large, an unknown store location).
    public static let invalidRequest = Self(rawValue: "store.invalid_request")
    /// Too many operations are already waiting for the database; the caller should back off.
    public static let busy = Self(rawValue: "store.busy")
    /// A safety state saved for a slot at or below the one already saved; nothing was written.
    public static let safetyRegression = Self(rawValue: "store.safety_regression")
    /// The store was closed.
    public static let closed = Self(rawValue: "store.closed")
    /// The database refused a statement for a reason that is neither of the above: a bug or a schema that
    /// someone changed by hand.
    public static let statementFailed = Self(rawValue: "store.statement_failed")
    /// The PostgreSQL database the location names does not exist, and the role may not create it.
    public static let databaseMissing = Self(rawValue: "store.database_missing")
    /// A backup that cannot be restored: no or a malformed manifest, a data file that does not match its
    /// checksum, another chain's or another backend's backup, or a restored store whose head disagrees with it.
    public static let backupInvalid = Self(rawValue: "store.backup_invalid")
    /// A restore onto a store that already holds blocks (or a backup into a folder that is not empty), without
    /// the flag that allows replacing it.
    public static let notEmpty = Self(rawValue: "store.not_empty")
    /// An external tool a backup or restore runs (`pg_dump`, `pg_restore`) is missing or failed.
    public static let toolFailed = Self(rawValue: "store.tool_failed")
}
