/// The stable names of the ledger's credit features (defined in contracts/credit-features.md). A scorecard model
/// names them, so a name never changes meaning; a new definition gets a new name and a new
/// `CreditEngine.featureVersion`.
public enum FeatureName {
    public static let revenue3m = "revenue_3m"
    public static let revenue6m = "revenue_6m"
    public static let revenue12m = "revenue_12m"
    public static let revenueGrowth = "revenue_growth"
    public static let revenueVolatility = "revenue_volatility"
    public static let buyerHHI = "buyer_hhi"
    public static let dsoDays = "dso_days"
    public static let latePaymentRate = "late_payment_rate"
    public static let daysPastDue = "days_past_due"
    public static let inventoryValue = "inventory_value"
    public static let inventoryTurnover = "inventory_turnover"
    public static let verifiedTradeShare = "verified_trade_share"
    public static let certifiedStockShare = "certified_stock_share"
    public static let auditedStockShare = "audited_stock_share"
    public static let pledgedStockShare = "pledged_stock_share"
    public static let tenureMonths = "tenure_months"
    public static let leverage = "leverage"
    public static let loansActive = "loans_active"
    public static let loansRepaid = "loans_repaid"
    public static let loansDefaulted = "loans_defaulted"
    public static let loanOffers12m = "loan_offers_12m"
    public static let consentedLenders = "consented_lenders"
    public static let openDisputes = "open_disputes"
    public static let platformSettlementShare = "platform_settlement_share"
    public static let circularTradeShare = "circular_trade_share"

    /// Every feature, in the order the contract lists them.
    public static let all = [
        revenue3m, revenue6m, revenue12m, revenueGrowth, revenueVolatility, buyerHHI, dsoDays, latePaymentRate,
        daysPastDue, inventoryValue, inventoryTurnover, verifiedTradeShare, certifiedStockShare, auditedStockShare,
        pledgedStockShare, tenureMonths, leverage, loansActive, loansRepaid, loansDefaulted, loanOffers12m,
        consentedLenders, openDisputes, platformSettlementShare, circularTradeShare,
    ]
}
