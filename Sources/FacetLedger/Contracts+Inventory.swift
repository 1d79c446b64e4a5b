import FacetCore

/// PLACEHOLDER until the inventory contracts land: every call refuses.
enum InventoryContracts {
    static func register(_ body: RegisterPiece, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "register")
    }
    static func certify(_ body: CertifyPiece, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "certify")
    }
    static func inspect(_ body: InspectPiece, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "inspect")
    }
    static func custodyIn(_ body: CustodyIn, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "custodyIn")
    }
    static func custodyOut(_ body: CustodyOut, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "custodyOut")
    }
    static func audit(_ body: StockAudit, _ context: TransactionContext, _ state: inout StateView) throws(LedgerError) {
        throw LedgerError(LedgerError.Code(rawValue: "contract.unimplemented"), "audit")
    }
}
