/// How advice speaks of a ledger feature a firm can move: what it is, the unit it is shown in, and what to do to
/// move it in each direction. Features a firm cannot act on are absent, so they never produce advice:
/// `tenure_months` (only time raises it), `loans_defaulted` (history), `loan_offers_12m` and `consented_lenders`
/// (moving them would game the grade, and the ledger model's specification leaves them out) and
/// `circular_trade_share` (a warning sign, not something to tune); so is any feature of a model trained on a
/// lender's own book, whose names the ledger does not define. Advice moves a feature only in its declared
/// direction (`FeatureName.specification`), so each entry has the one verb that direction calls for.
struct AdvisedFeature: Sendable {
    enum Unit: Sendable {
        /// Major units of the evidence's currency, shown whole.
        case currency
        /// A fraction shown as a whole percentage.
        case percent
        /// A ratio shown with two decimals.
        case ratio
        case days
        case count

        /// The step targets are rounded to, in the feature's own unit.
        var step: Double {
            switch self {
            case .percent, .ratio: 0.01
            case .currency, .days, .count: 1
            }
        }
    }

    var unit: Unit
    /// The feature as the firm knows it, after "Raise" or "Lower".
    var subject: String
    /// What raises it, when raising it earns points.
    var raise: String?
    /// What lowers it, when lowering it earns points.
    var lower: String?

    static func named(_ name: String) -> AdvisedFeature? {
        table.first { $0.name == name }?.feature
    }

    static let table: [(name: String, feature: AdvisedFeature)] = [
        (
            FeatureName.revenue3m,
            .init(
                unit: .currency, subject: "your verified revenue over the last 3 months",
                raise: "have buyers confirm your invoices")
        ),
        (
            FeatureName.revenue6m,
            .init(
                unit: .currency, subject: "your verified revenue over the last 6 months",
                raise: "have buyers confirm your invoices")
        ),
        (
            FeatureName.revenue12m,
            .init(
                unit: .currency, subject: "your verified revenue over the last 12 months",
                raise: "have buyers confirm your invoices")
        ),
        (
            FeatureName.revenueGrowth,
            .init(
                unit: .percent, subject: "the growth of your verified revenue",
                raise: "sell more, on invoices your buyers confirm")
        ),
        (
            FeatureName.revenueVolatility,
            .init(
                unit: .ratio, subject: "how much your verified revenue varies from month to month",
                lower: "spread your sales over the months")
        ),
        (
            FeatureName.buyerHHI,
            .init(unit: .ratio, subject: "how concentrated your sales are on few buyers", lower: "sell to more buyers")
        ),
        (
            FeatureName.dsoDays,
            .init(unit: .days, subject: "the days your buyers take to pay", lower: "collect your invoices sooner")
        ),
        (
            FeatureName.latePaymentRate,
            .init(
                unit: .percent, subject: "the share of your suppliers' invoices you pay late",
                lower: "pay suppliers by the due date")
        ),
        (
            FeatureName.daysPastDue,
            .init(unit: .days, subject: "the days your oldest overdue payment is late", lower: "pay what is overdue")
        ),
        (
            FeatureName.inventoryValue,
            .init(
                unit: .currency, subject: "your stock on the ledger at reference prices",
                raise: "register your pieces")
        ),
        (
            FeatureName.inventoryTurnover,
            .init(unit: .ratio, subject: "how often your stock turns over in a year", raise: "sell stock sooner")
        ),
        (
            FeatureName.verifiedTradeShare,
            .init(
                unit: .percent, subject: "the share of your sales buyers confirm or a platform settles",
                raise: "have buyers confirm your invoices")
        ),
        (
            FeatureName.certifiedStockShare,
            .init(
                unit: .percent, subject: "the share of your stock a lab has certified",
                raise: "have a lab certify your stones")
        ),
        (
            FeatureName.auditedStockShare,
            .init(
                unit: .percent, subject: "the share of your stock held and audited by a warehouse",
                raise: "put pieces in a bonded warehouse")
        ),
        (
            FeatureName.pledgedStockShare,
            .init(
                unit: .percent, subject: "the share of your stock pledged to lenders",
                lower: "repay loans to release pledged pieces")
        ),
        (
            FeatureName.leverage,
            .init(
                unit: .ratio, subject: "your ledger debt as a multiple of a year's verified revenue",
                lower: "repay loans")
        ),
        (FeatureName.loansActive, .init(unit: .count, subject: "your running loans", lower: "repay a loan in full")),
        (
            FeatureName.loansRepaid,
            .init(unit: .count, subject: "the loans you have repaid in full", raise: "repay a running loan in full")
        ),
        (
            FeatureName.openDisputes,
            .init(unit: .count, subject: "your open invoice disputes", lower: "settle them with the conciliator")
        ),
        (
            FeatureName.platformSettlementShare,
            .init(
                unit: .percent, subject: "the share of your revenue a platform settles",
                raise: "sell through a platform that attests its settlements")
        ),
    ]
}
