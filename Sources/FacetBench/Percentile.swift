/// The benchmarks' one percentile, so every report's p50, p90, p95 and p99 mean the same: the nearest rank at or
/// below, the element at index ⌊count × percent ÷ 100⌋ of the sorted sample (the last one for 100).
package enum Percentile {
    package static func of<Sample>(_ sorted: [Sample], _ percent: Int) -> Sample {
        precondition(!sorted.isEmpty && (0...100).contains(percent), "a non-empty sample and a percent of 0 to 100")
        return sorted[min(sorted.count - 1, sorted.count * percent / 100)]
    }
}
