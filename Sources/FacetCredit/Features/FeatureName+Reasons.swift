extension FeatureName {
    /// What a reason code says to the firm, in words it can act on: a model trained on ledger features carries
    /// these as its reason texts.
    public static let reasonTexts: [String: String] = [
        revenue3m: "Little verified revenue in the last 3 months: have buyers confirm your invoices",
        revenue6m: "Little verified revenue in the last 6 months: have buyers confirm your invoices",
        revenue12m: "Little verified revenue in the last 12 months: have buyers confirm your invoices",
        revenueGrowth: "Verified revenue has fallen compared with the months before",
        revenueVolatility: "Verified revenue varies a lot from month to month",
        buyerHHI: "Sales depend on few buyers: sell to more buyers",
        dsoDays: "Buyers take long to pay your invoices",
        latePaymentRate: "You often pay your suppliers' invoices late",
        daysPastDue: "You have supplier invoices past their due date: pay them",
        inventoryValue: "Little stock on the ledger at reference prices: register your pieces",
        inventoryTurnover: "Stock turns over slowly",
        verifiedTradeShare:
            "Much of your trade is unconfirmed: have buyers confirm invoices, or sell through a platform",
        certifiedStockShare: "Little of your stock is certified: have a lab certify your stones",
        auditedStockShare: "Little of your stock is audited: put certified pieces in a bonded warehouse",
        pledgedStockShare: "Much of your stock is already pledged to lenders",
        tenureMonths: "Short history on the ledger",
        leverage: "Ledger debt is high compared with verified revenue",
        loansActive: "Several loans are running",
        loansRepaid: "Few loans repaid on the ledger yet",
        loansDefaulted: "A loan on the ledger ended in default",
        loanOffers12m: "Many recent loan offers",
        consentedLenders: "Many lenders asked to see your data",
        openDisputes: "Disputes on your invoices are open: settle them with the conciliator",
        platformSettlementShare: "Little of your revenue is settled by a platform",
        circularTradeShare: "Trade in a circle with related firms: it is not counted as revenue",
    ]
}
