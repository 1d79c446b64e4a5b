import FacetCore

/// The generator's own deterministic random source (`SplitMix64`): the history is reproduced from its seed alone,
/// on every machine, without depending on test support.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var source: SplitMix64

    public init(seed: UInt64) {
        source = SplitMix64(seed: seed)
    }

    public mutating func next() -> UInt64 { source.next() }

    /// A whole number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// True with probability `permille` / 1000.
    mutating func chance(permille: Int) -> Bool { int(0...999) < permille }

    /// An index drawn with the given weights (at least one positive).
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "weights must not all be zero")
        var draw = int(0...(total - 1))
        for (index, weight) in weights.enumerated() {
            if draw < weight { return index }
            draw -= weight
        }
        preconditionFailure("a draw below the total falls in one weight")
    }

    /// An independent stream for one purpose, so adding draws to one part does not shift another's.
    func fork(_ salt: UInt64) -> DemoRandom {
        var copy = DemoRandom(seed: source.state ^ (salt &* 0xD6E8_FEB8_6659_FD93))
        _ = copy.next()
        return copy
    }
}
