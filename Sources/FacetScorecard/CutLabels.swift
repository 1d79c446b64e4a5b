import Foundation

/// Bin labels for people: a range's cut points at the fewest significant digits (three at least) that keep every
/// cut of the feature apart, so `< 0.1645560585757393` reads `< 0.165`. The model keeps its exact cuts; only the
/// report rounds them.
enum CutLabels {
    static func labels(_ binning: FeatureBinning) -> [String] {
        let cuts = binning.bins.filter { $0.kind == .range }.flatMap { [$0.lower, $0.upper].compactMap { $0 } }
        var digits = 3
        while digits < 17 && Set(cuts.map { rounded($0, digits) }).count < Set(cuts).count { digits += 1 }
        return binning.bins.map { bin in
            guard bin.kind == .range else { return bin.label }
            let lower = bin.lower.map { text(rounded($0, digits)) }
            let upper = bin.upper.map { text(rounded($0, digits)) }
            switch (lower, upper) {
            case (nil, nil): return "all"
            case (nil, let upper?): return "< \(upper)"
            case (let lower?, nil): return ">= \(lower)"
            case (let lower?, let upper?): return "[\(lower), \(upper))"
            }
        }
    }

    /// `value` rounded to `digits` significant digits.
    static func rounded(_ value: Double, _ digits: Int) -> Double {
        guard value != 0, value.isFinite else { return value }
        let magnitude = Int(floor(log10(abs(value))))
        let exponent = digits - 1 - magnitude
        let scale = pow(10, Double(abs(exponent)))
        return exponent >= 0 ? (value * scale).rounded() / scale : (value / scale).rounded() * scale
    }

    /// A rounded value without a trailing `.0` or float noise: at most as many decimals as it needs (up to 15).
    static func text(_ value: Double) -> String {
        for decimals in 0...15 {
            let candidate = fixed(value, decimals)
            if Double(candidate) == value || abs((Double(candidate) ?? 0) - value) <= abs(value) * 1e-12 {
                return candidate
            }
        }
        return "\(value)"
    }
}
