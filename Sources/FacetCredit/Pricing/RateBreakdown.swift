/// An annual rate and its parts, as fractions (0.05 is 5%): funding cost + operating cost + expected loss
/// (PD × LGD) + capital charge (IRB K × hurdle rate) + margin.
public struct RateBreakdown: Hashable, Sendable {
    public var fundingCost: Double
    public var operatingCost: Double
    public var expectedLoss: Double
    public var capitalCharge: Double
    public var margin: Double
    /// The parts summed in the order above.
    public var total: Double
    /// `total` in basis points, rounded to the nearest, as an offer carries it.
    public var basisPoints: UInt32
    /// The PD (after the IRB floor) and LGD the expected loss and capital use.
    public var pd: Double
    public var lgd: Double
    public var capital: IRBCapital

    /// The lender's own part of the rate: funding cost, operating cost and margin summed. A firm is shown this sum
    /// beside the parts its own risk drives (expected loss, capital charge): the lender's funding cost and margin
    /// are its private terms, which only the lender sees one by one.
    public var lenderCostAndMargin: Double { fundingCost + operatingCost + margin }

    /// Prices a loan for `policy` at `pd` and the lender's `lgd` (after any guarantee), `tenorDays` long.
    public init(pd: Double, lgd: Double, tenorDays: UInt32, policy: LenderPolicy, salesMillionsEUR: Double?) {
        let capital = IRBCapital(
            pd: pd, lgd: lgd, maturityYears: Double(tenorDays) / 365.0, salesMillionsEUR: salesMillionsEUR)
        fundingCost = Double(policy.fundingCostBps) / 10_000.0
        operatingCost = Double(policy.operatingCostBps) / 10_000.0
        expectedLoss = capital.pd * lgd
        capitalCharge = capital.k * (Double(policy.hurdleRateBps) / 10_000.0)
        margin = Double(policy.marginBps) / 10_000.0
        total = fundingCost + operatingCost + expectedLoss + capitalCharge + margin
        basisPoints = UInt32(min((total * 10_000.0).rounded(), 100_000))
        self.pd = capital.pd
        self.lgd = lgd
        self.capital = capital
    }
}
