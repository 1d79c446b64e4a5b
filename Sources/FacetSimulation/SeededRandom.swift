import FacetCore

/// A deterministic random source (`SplitMix64`) so every randomized test and simulation is reproduced by its seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var source: SplitMix64

    public init(seed: UInt64) {
        source = SplitMix64(seed: seed)
    }

    public var state: UInt64 { source.state }

    public mutating func next() -> UInt64 { source.next() }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
