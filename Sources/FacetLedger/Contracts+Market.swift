import FacetCore

/// Market data: exchanges publish the reference prices that collateral is valued at.
enum MarketContracts {
    /// An exchange publishes a price for a category and band. Each (exchange, category, band) keeps only its
    /// latest price in the state; earlier publications stay in the transaction log. A price of zero or
    /// less would value collateral at nothing (or less), so it is refused; so is a band outside its category's grammar
    /// (`PriceBandGrammar`), which no valuation could read.
    static func publish(_ body: PublishPrice, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.exchange, "publishing a reference price")
        try check(
            body.pricePerUnit.isPositive, .invalidPrice,
            "a reference price is positive, not \(body.pricePerUnit)")
        if let problem = PriceBandGrammar.problem(body.band.description, category: body.category) {
            throw LedgerError(.invalidBand, "band \(body.band) is not a \(body.category) band: \(problem)")
        }
        let price = ReferencePrice(
            publisher: context.signer.id, category: body.category, band: body.band,
            pricePerUnit: body.pricePerUnit, at: context.time)
        state.put(price, id: price.key)
    }
}
