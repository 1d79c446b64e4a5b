import FacetCore

/// PLACEHOLDER until the finance contracts land: every call refuses.
enum FinanceContracts {
    static func grantConsent(_ body: GrantConsent, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "grantConsent")
    }
    static func revokeConsent(_ body: RevokeConsent, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "revokeConsent")
    }
    static func makeOffer(_ body: MakeOffer, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "makeOffer")
    }
    static func acceptOffer(_ body: AcceptOffer, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "acceptOffer")
    }
    static func pledge(_ body: Pledge, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "pledge")
    }
    static func repay(_ body: Repay, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "repay")
    }
    static func declareDefault(_ body: DeclareDefault, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "declareDefault")
    }
    static func release(_ body: Release, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "release")
    }
    static func guarantee(_ body: GuaranteeLoan, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "guarantee")
    }
}
