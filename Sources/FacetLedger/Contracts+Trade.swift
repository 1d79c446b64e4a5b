import FacetCore

/// PLACEHOLDER until the trade contracts land: every call refuses.
enum TradeContracts {
    static func issue(_ body: IssueInvoice, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "issue")
    }
    static func confirm(_ body: ConfirmInvoice, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "confirm")
    }
    static func pay(_ body: PayInvoice, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "pay")
    }
    static func raiseDispute(_ body: RaiseDispute, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "raiseDispute")
    }
    static func resolveDispute(_ body: ResolveDispute, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "resolveDispute")
    }
    static func settle(_ body: SettlePlatformSales, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "settle")
    }
}
