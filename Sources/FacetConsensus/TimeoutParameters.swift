/// How long each step waits, growing linearly with the round so that after GST some round's timeouts exceed the
/// network's delay bound (the paper's assumption that timeouts eventually become long enough).
public struct TimeoutParameters: Hashable, Sendable {
    public var propose: Duration
    public var prevote: Duration
    public var precommit: Duration
    /// Added to every timeout once per round.
    public var increment: Duration

    public init(propose: Duration, prevote: Duration, precommit: Duration, increment: Duration) {
        precondition(propose >= .zero && prevote >= .zero && precommit >= .zero, "a timeout is never negative")
        precondition(increment > .zero, "timeouts must grow per round")
        self.propose = propose
        self.prevote = prevote
        self.precommit = precommit
        self.increment = increment
    }

    /// Defaults for a LAN-scale consortium.
    public static let standard = TimeoutParameters(
        propose: .milliseconds(3_000), prevote: .milliseconds(1_000), precommit: .milliseconds(1_000),
        increment: .milliseconds(500))

    /// The timeout of `kind` in `round`: its base plus `round` increments (rounds beyond 10 000 count as 10 000,
    /// so the arithmetic never overflows).
    public func duration(_ kind: TimeoutKind, round: UInt32) -> Duration {
        let base: Duration
        switch kind {
        case .propose: base = propose
        case .prevote: base = prevote
        case .precommit: base = precommit
        }
        return base + increment * Int(min(round, 10_000))
    }
}
