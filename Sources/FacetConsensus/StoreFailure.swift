/// What waits while the store fails, and when to try again: a decided block to commit, and whether messages this
/// validator signed are not stored yet (they stay unsent until they are). Time is the machine's (an offset).
struct StoreFailure: Sendable {
    var decision: Decision?
    var unstoredSignatures = false
    var attempts = 0
    var due: Duration

    /// 100 ms, doubling, at most 5 s between attempts.
    static func backoff(attempts: Int) -> Duration {
        min(.milliseconds(100) * (1 << min(attempts, 6)), .seconds(5))
    }
}
