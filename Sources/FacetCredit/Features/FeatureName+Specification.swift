import FacetScorecard

extension FeatureName {
    /// The ledger model's specification: the features a firm cannot move without becoming more or less
    /// creditworthy, each with the direction business sense gives it. Left out: `consented_lenders` and
    /// `loan_offers_12m`, which a firm moves by granting consents or asking for offers, so a model that used them
    /// would let a firm game its grade.
    public static let specification = ModelSpecification(
        features: directions.map { ModelSpecification.Feature(name: $0.name, direction: $0.direction) })

    /// Each eligible ledger feature and the way it must push risk, in the contract's order.
    static let directions: [(name: String, direction: RiskDirection)] = [
        (revenue3m, .higherIsSafer),
        (revenue6m, .higherIsSafer),
        (revenue12m, .higherIsSafer),
        (revenueGrowth, .higherIsSafer),
        (revenueVolatility, .higherIsRiskier),
        (buyerHHI, .higherIsRiskier),
        (dsoDays, .higherIsRiskier),
        (latePaymentRate, .higherIsRiskier),
        (daysPastDue, .higherIsRiskier),
        (inventoryValue, .higherIsSafer),
        (inventoryTurnover, .higherIsSafer),
        (verifiedTradeShare, .higherIsSafer),
        (certifiedStockShare, .higherIsSafer),
        (auditedStockShare, .higherIsSafer),
        (pledgedStockShare, .higherIsRiskier),
        (tenureMonths, .higherIsSafer),
        (leverage, .higherIsRiskier),
        (loansActive, .higherIsRiskier),
        (loansRepaid, .higherIsSafer),
        (loansDefaulted, .higherIsRiskier),
        (openDisputes, .higherIsRiskier),
        (platformSettlementShare, .higherIsSafer),
        (circularTradeShare, .higherIsRiskier),
    ]
}
