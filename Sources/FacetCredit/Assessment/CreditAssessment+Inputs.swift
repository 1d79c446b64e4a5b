import FacetCore
import FacetLedger
import FacetScorecard

extension CreditAssessment {
    /// The share of monthly verified revenue taken as operating cash flow: 10%, the order of a jewelry wholesaler's
    /// operating margin. No ledger feature measures costs, so the cash flow is revenue the counterparties vouched
    /// for times a margin, rather than a figure the firm states.
    public static let cashFlowMarginBps = 1_000

    /// The decision inputs of a firm: the score's PD and grade, `revenue_12m` in minor units, and a monthly cash flow
    /// of `cashFlowMarginBps` of the lower of the 3-month and 12-month monthly run rates of verified revenue (a
    /// recent spike does not raise it above the year's pace, a recent fall lowers it at once). Revenue features
    /// absent from the row count as zero.
    public static func inputs(
        _ evidence: CreditEvidence, pd: Double, grade: String, requestedTenorDays: UInt32? = nil
    ) -> CreditInputs {
        let values = evidence.features.values
        let revenue12m = minorUnits(values[FeatureName.revenue12m]?.number ?? 0, currency: evidence.currency)
        let revenue3m = minorUnits(values[FeatureName.revenue3m]?.number ?? 0, currency: evidence.currency)
        return CreditInputs(
            asOf: evidence.features.asOf, pd: pd, grade: grade, revenue12m: revenue12m,
            monthlyCashFlow: monthlyCashFlow(revenue3m: revenue3m, revenue12m: revenue12m),
            pieces: evidence.pieces, receivables: evidence.receivables, prices: evidence.prices,
            requestedTenorDays: requestedTenorDays)
    }

    /// `cashFlowMarginBps` of min(revenue3m / 3, revenue12m / 12), in minor units, rounded down.
    public static func monthlyCashFlow(revenue3m: Int64, revenue12m: Int64) -> Int64 {
        let monthly = min(max(0, revenue3m) / 3, max(0, revenue12m) / 12)
        return ReceivablesBase.share(monthly, cashFlowMarginBps)
    }

    /// A major-unit amount (as features carry them) in whole minor units of `currency`: rounded down, never
    /// negative, at most `Limits.maxAmountMinorUnits` (an amount too large for that, infinity included, is held to
    /// it). A result within floating-point noise of a whole minor unit is that unit, so 1234.56 yuan is 123456 fen
    /// and not 123455.
    public static func minorUnits(_ major: Double, currency: Currency) -> Int64 {
        guard !major.isNaN, major > 0 else { return 0 }
        var scale = 1.0
        for _ in 0..<currency.minorUnitDigits { scale *= 10 }
        let scaled = major * scale
        guard scaled < Double(Limits.maxAmountMinorUnits) else { return Limits.maxAmountMinorUnits }
        let nearest = scaled.rounded()
        let whole = abs(scaled - nearest) <= nearest * 1e-12 ? nearest : scaled.rounded(.down)
        return Int64(whole)
    }
}
