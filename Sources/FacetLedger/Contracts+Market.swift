import FacetCore

/// PLACEHOLDER until the market contracts land: every call refuses.
enum MarketContracts {
    static func publish(_ body: PublishPrice, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "publish")
    }
}
