import FacetBench
import Testing

@testable import facet

/// The benchmarks' one `Percentile` gives the numbers their own formulas gave before it replaced them: the ledger
/// benchmark's ⌊count × fraction⌋ in floating point, and the others' integer count × p ÷ 100, count ÷ 2 and last.
@Suite struct PercentileTests {
    @Test func everyFormerFormulaPicksTheSameSample() {
        for count in 1...2_000 {
            let sorted = Array(0..<count)
            for (percent, fraction) in [(50, 0.5), (90, 0.9), (95, 0.95), (99, 0.99)] {
                let floating = min(count - 1, Int(Double(count) * fraction))
                #expect(Percentile.of(sorted, percent) == floating, "count \(count), p\(percent)")
                #expect(Percentile.of(sorted, percent) == count * percent / 100, "count \(count), p\(percent)")
            }
            #expect(Percentile.of(sorted, 50) == count / 2)
            #expect(Percentile.of(sorted, 90) == count * 9 / 10)
            #expect(Percentile.of(sorted, 100) == count - 1)
        }
    }

    @Test func theRankIsTheFloorOfCountTimesPercentInTheSortedSample() {
        let sorted: [Duration] = [.milliseconds(1), .milliseconds(3), .milliseconds(5), .milliseconds(9)]
        #expect(Percentile.of(sorted, 0) == .milliseconds(1))
        #expect(Percentile.of(sorted, 24) == .milliseconds(1))
        #expect(Percentile.of(sorted, 25) == .milliseconds(3))
        #expect(Percentile.of(sorted, 49) == .milliseconds(3))
        #expect(Percentile.of(sorted, 50) == .milliseconds(5))
        #expect(Percentile.of(sorted, 74) == .milliseconds(5))
        #expect(Percentile.of(sorted, 75) == .milliseconds(9))
        #expect(Percentile.of(sorted, 100) == .milliseconds(9))
    }
}
