import FacetScorecard
import Foundation

/// SplitMix64: a seeded generator so every synthetic book is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// A lender's book with a known structure: income lowers risk, days past due raise it (with missing values and a
/// -999 code), region shifts it, and `noise` has nothing to do with it.
enum SyntheticBook {
    static let regions = ["dongguan", "guangzhou", "panyu", "shenzhen", "shuibei"]

    static func make(seed: UInt64, rows: Int = 2_000) -> Dataset {
        var rng = SplitMix(seed: seed)
        var featureRows = [FeatureRow]()
        var targets = [UInt8]()
        for _ in 0..<rows {
            let income = exp(3 + 0.6 * rng.normal())
            let dpdDraw = rng.uniform()
            let dpd: FeatureValue =
                dpdDraw < 0.08 ? .missing : dpdDraw < 0.12 ? .number(-999) : .number((rng.uniform() * 90).rounded())
            let regionIndex = Int(rng.next() % UInt64(regions.count + 1))
            let region = regionIndex < regions.count ? regions[regionIndex] : "rare\(rng.next() % 40)"
            var eta = -1.5 - 0.04 * (income - 20)
            if case .number(let days) = dpd, days >= 0 { eta += 0.03 * days - 1.2 }
            if case .missing = dpd { eta += 0.8 }
            eta += Double(regionIndex % 3) * 0.4
            let bad: UInt8 = rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
            featureRows.append([
                "income": .number((income * 10).rounded() / 10), "dpd": dpd, "region": .text(region),
                "noise": .number(rng.uniform()),
            ])
            targets.append(bad)
        }
        return Dataset(
            features: [
                (name: "income", kind: .numeric), (name: "dpd", kind: .numeric), (name: "region", kind: .categorical),
                (name: "noise", kind: .numeric),
            ], rows: featureRows, targets: targets)
    }

    /// Risk rises with `x1 − 0.3·x2` where `x1 = u` and `x2 = u + v`: beside x1, x2's coefficient on WoE comes out
    /// positive. With `nearCopy`, `x3` is x2 plus a little noise.
    static func collinear(seed: UInt64, nearCopy: Bool) -> Dataset {
        var rng = SplitMix(seed: seed)
        var rows = [FeatureRow]()
        var targets = [UInt8]()
        for _ in 0..<4_000 {
            let u = rng.normal()
            let v = rng.normal()
            let eta = 2.5 * (u - 0.3 * (u + v))
            var row: FeatureRow = ["x1": .number(u), "x2": .number(u + v)]
            if nearCopy { row["x3"] = .number(u + v + 0.01 * rng.normal()) }
            rows.append(row)
            targets.append(rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
        }
        let names = nearCopy ? ["x1", "x2", "x3"] : ["x1", "x2"]
        return Dataset(features: names.map { (name: $0, kind: .numeric) }, rows: rows, targets: targets)
    }

    static var settings: TrainingSettings {
        TrainingSettings(binning: BinningSettings(specialValues: [-999]), date: "2026-01-31")
    }
}
