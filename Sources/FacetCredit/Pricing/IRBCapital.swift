import Foundation

/// The Basel II/III internal-ratings-based capital requirement for a corporate exposure, per unit of exposure:
/// the loss at the 99.9th percentile of the one-factor Vasicek model, less the expected loss, with the maturity
/// adjustment. The pricing charges `k × hurdle rate` for the capital a loan ties up.
public struct IRBCapital: Hashable, Sendable {
    /// Basel III's floor on a corporate PD (CRE32.4: 0.05%; Basel II had 0.03%): a scorecard cannot calibrate
    /// anything safer from a consortium's short history.
    public static let pdFloor = 0.0005
    /// The effective maturity is held between 1 and 5 years (CRE32.47), so a 90-day line is charged as a year.
    public static let maturityFloorYears = 1.0
    public static let maturityCapYears = 5.0
    /// The SME firm-size adjustment applies to annual sales between 5 and 50 million euros (CRE31.9).
    public static let smeSalesFloorMillions = 5.0
    public static let smeSalesCapMillions = 50.0

    /// The PD after the floor.
    public let pd: Double
    public let lgd: Double
    /// The maturity after the floor and cap, in years.
    public let maturity: Double
    /// The asset correlation R, after the SME reduction if it applied.
    public let correlation: Double
    /// The maturity adjustment's b = (0.11852 − 0.05478·ln PD)².
    public let maturityAdjustment: Double
    /// K, the capital per unit of exposure.
    public let k: Double

    /// The risk weight, 12.5 · K (the reciprocal of the 8% minimum ratio).
    public var riskWeight: Double { 12.5 * k }

    /// - Parameters:
    ///   - pd: the one-year probability of default, below 1 (a defaulted borrower is not priced).
    ///   - lgd: the loss given default, 0...1.
    ///   - maturityYears: the effective maturity, floored at 1 and capped at 5.
    ///   - salesMillionsEUR: annual sales in millions of euros for the SME adjustment (R − 0.04·(1 − (S−5)/45),
    ///     S held to 5...50); nil, or 50 and over, for none.
    public init(pd rawPD: Double, lgd: Double, maturityYears: Double, salesMillionsEUR: Double? = nil) {
        precondition(rawPD.isFinite && rawPD >= 0 && rawPD < 1, "a priced PD is in [0, 1), not \(rawPD)")
        precondition(lgd.isFinite && lgd >= 0 && lgd <= 1, "an LGD is in [0, 1], not \(lgd)")
        precondition(maturityYears.isFinite, "a maturity is finite")
        let pd = max(rawPD, Self.pdFloor)
        let m = min(max(maturityYears, Self.maturityFloorYears), Self.maturityCapYears)
        let weight = (1.0 - exp(-50.0 * pd)) / (1.0 - exp(-50.0))
        var r = 0.12 * weight + 0.24 * (1.0 - weight)
        if let sales = salesMillionsEUR, sales < Self.smeSalesCapMillions {
            let s = max(sales, Self.smeSalesFloorMillions)
            r = r - 0.04 * (1.0 - (s - 5.0) / 45.0)
        }
        let logPD = log(pd)
        let bRoot = 0.11852 - 0.05478 * logPD
        let b = bRoot * bRoot
        let z =
            NormalDistribution.inverseCDF(pd) / (1.0 - r).squareRoot()
            + (r / (1.0 - r)).squareRoot() * NormalDistribution.inverseCDF(0.999)
        let unexpected = lgd * NormalDistribution.cdf(z) - pd * lgd
        let k = unexpected / (1.0 - 1.5 * b) * (1.0 + (m - 2.5) * b)
        self.pd = pd
        self.lgd = lgd
        self.maturity = m
        self.correlation = r
        self.maturityAdjustment = b
        self.k = max(0, k)
    }
}
