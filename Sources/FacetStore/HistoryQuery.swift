import FacetCore

/// The bounds of a history query, the same on both backends: `from` inclusive, `to` exclusive, so consecutive
/// windows neither overlap nor leave gaps.
enum HistoryQuery {
    static func check(limit: Int) throws(StoreError) {
        guard limit >= 1 && limit <= StoreLimits.maxHistoryPage else {
            throw StoreError(
                .invalidRequest, "a history page holds 1 to \(StoreLimits.maxHistoryPage) entries, not \(limit)")
        }
    }

    static func lower(_ from: Timestamp?) -> Int64 { from?.millis ?? 0 }
    static func upper(_ to: Timestamp?) -> Int64 { to?.millis ?? Int64.max }
}
