import FacetCore
import FacetTestSupport
import Foundation
import Testing

/// Shared inputs for the Merkle tests: seeds, sizes, random leaves, bit flips and the golden vectors.
enum MerkleTestSupport {
    static let seeds: [UInt64] = [1, 0xFACE7, 0xDEAD_BEEF_0000_0001]

    /// Sizes around every power of two up to 256 plus a few random ones up to 300: the edges where the tree's
    /// shape changes are where off-by-one mistakes live.
    static func sampleSizes(_ rng: inout SeededRandom) -> [Int] {
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257]
            + (0..<3).map { _ in Int.random(in: 1...300, using: &rng) }
    }

    /// Distinct leaves (at least 8 random bytes each): equal neighbours would make a proof valid at both indices.
    static func randomLeaves(_ count: Int, _ rng: inout SeededRandom) -> [Hash256] {
        (0..<count).map { _ in MerkleTree.leafHash(rng.bytes(Int.random(in: 8...40, using: &rng))) }
    }

    /// All of `range` when it is small; otherwise its ends, the powers of two inside it and a few random points, so
    /// a size costs O(n) checks rather than O(n^2) (debug builds hash slowly). Sorted, for a reproducible order.
    static func samplePositions(_ range: ClosedRange<Int>, _ rng: inout SeededRandom) -> [Int] {
        guard range.count > 40 else { return Array(range) }
        let ends = [range.lowerBound, range.lowerBound + 1, range.upperBound - 1, range.upperBound]
        let powers = (0..<Int.bitWidth - 1).map { 1 << $0 }.filter(range.contains)
        let random = (0..<8).map { _ in Int.random(in: range, using: &rng) }
        return Set(ends + powers + random).sorted()
    }

    /// One random bit in each of a hash's 32 bytes: every byte (and so every word compared) is covered for an
    /// eighth of the verifications that flipping all 256 bits would take.
    static func bitFlips(_ rng: inout SeededRandom) -> [Int] {
        (0..<32).map { $0 * 8 + Int.random(in: 0..<8, using: &rng) }
    }

    /// `hash` with bit `bit` (0..<256) inverted.
    static func flipped(_ hash: Hash256, bit: Int) -> Hash256 {
        var result = hash
        let mask: UInt64 = 1 << UInt64(bit & 63)
        switch bit >> 6 {
        case 0: result.w0 ^= mask
        case 1: result.w1 ^= mask
        case 2: result.w2 ^= mask
        default: result.w3 ^= mask
        }
        return result
    }

    /// Known answers written by contracts/vectors/generate_merkle.py, an independent recursive RFC 9162 reference.
    struct Vectors: Decodable {
        struct Inclusion: Decodable {
            let index: Int
            let size: Int
            let proof: [String]
        }

        struct Consistency: Decodable {
            let oldSize: Int
            let newSize: Int
            let proof: [String]
        }

        struct Case: Decodable {
            let name: String
            let leaves: [String]
            let leafHashes: [String]
            let roots: [String]
            let inclusion: [Inclusion]
            let consistency: [Consistency]
        }

        let cases: [Case]
    }

    static let vectorCaseNames = ["ct-classic-8", "decimal-100"]

    static func vectorCase(_ name: String) throws -> Vectors.Case {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // FacetCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let data = try Data(contentsOf: repository.appendingPathComponent("contracts/vectors/merkle.json"))
        let vectors = try JSONDecoder().decode(Vectors.self, from: data)
        return try #require(vectors.cases.first { $0.name == name }, "no vector case \(name)")
    }

    static func hashes(_ hex: [String]) throws -> [Hash256] {
        try hex.map { try #require(Hash256(hex: $0), "bad hash \($0)") }
    }
}
