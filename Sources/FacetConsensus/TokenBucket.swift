/// A rate limit with a burst: up to `burst` units at once, refilled at `perSecond`. Time is passed in (an offset
/// from any fixed origin, as `Duration`), so the bucket is a pure value a test drives without a clock. Integer
/// arithmetic in thousandths of a unit, so the same sequence of calls always gives the same answers.
public struct TokenBucket: Hashable, Sendable {
    public let burst: Int
    public let perSecond: Int
    /// Thousandths of a unit available.
    private var milli: Int
    private var updated: Duration?

    public init(burst: Int, perSecond: Int) {
        precondition(burst > 0 && perSecond > 0 && burst <= Int.max / 1_000, "a bucket holds and refills something")
        self.burst = burst
        self.perSecond = perSecond
        milli = burst * 1_000
    }

    /// Takes `count` units at `now` if they are there; otherwise takes nothing and answers false.
    public mutating func take(_ count: Int = 1, at now: Duration) -> Bool {
        precondition(count >= 0, "a negative take")
        refill(at: now)
        let needed = count.multipliedReportingOverflow(by: 1_000)
        guard !needed.overflow, needed.partialValue <= milli else { return false }
        milli -= needed.partialValue
        return true
    }

    private mutating func refill(at now: Duration) {
        defer { updated = max(updated ?? now, now) }
        guard let updated, now > updated else { return }
        let elapsed = now - updated
        // perSecond units a second is perSecond thousandths a millisecond.
        let millis = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let gained = Int(clamping: millis).multipliedReportingOverflow(by: perSecond)
        milli = gained.overflow ? burst * 1_000 : min(burst * 1_000, milli + gained.partialValue)
    }
}
