/// The store's bounds. Each one says what happens at the limit.
public enum StoreLimits {
    /// The most history entries one call returns; a larger `limit` is refused with `store.invalid_request`.
    public static let maxHistoryPage = 10_000

    /// The most blocks one `blocks(from:limit:)` call returns; a larger `limit` is refused with
    /// `store.invalid_request`. Blocks are at most a few megabytes each, so a range stays a bounded read.
    public static let maxBlockRange = 64

    /// Bound parameters per SQLite statement: multi-row inserts are cut into chunks under it. SQLite's default
    /// compile-time ceiling is 32,766; staying under it keeps the SQL valid on any build.
    public static let sqliteMaxBinds = 32_000

    /// Operations that may wait for a SQLite connection at once; past that a call fails with `store.busy`
    /// instead of queueing without bound.
    public static let maxWaiting = 1_024
}
