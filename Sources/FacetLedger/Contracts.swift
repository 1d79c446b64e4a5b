import FacetCore

/// Routes a transaction body to its family's contract. Each contract checks the signer's role and the
/// state, throws a `LedgerError` to refuse, and otherwise writes its changes to the view.
enum Contracts {
    static func execute(_ body: TransactionBody, context: TransactionContext, state: inout StateView)
        throws(LedgerError)
    {
        switch body {
        case .registerMember(let b): try MembershipContracts.register(b, context, &state)
        case .approveMember(let b): try MembershipContracts.approve(b, context, &state)
        case .rotateKey(let b): try MembershipContracts.rotateKey(b, context, &state)
        case .suspendMember(let b): try MembershipContracts.suspend(b, context, &state)
        case .reinstateMember(let b): try MembershipContracts.reinstate(b, context, &state)
        case .changeValidators(let b): try MembershipContracts.changeValidators(b, context, &state)
        case .rotateValidatorKey(let b): try MembershipContracts.rotateValidatorKey(b, context, &state)
        case .reportEvidence(let b): try EvidenceContracts.report(b, context, &state)
        case .registerPiece(let b): try InventoryContracts.register(b, context, &state)
        case .certifyPiece(let b): try InventoryContracts.certify(b, context, &state)
        case .inspectPiece(let b): try InventoryContracts.inspect(b, context, &state)
        case .custodyIn(let b): try InventoryContracts.custodyIn(b, context, &state)
        case .custodyOut(let b): try InventoryContracts.custodyOut(b, context, &state)
        case .stockAudit(let b): try InventoryContracts.audit(b, context, &state)
        case .issueInvoice(let b): try TradeContracts.issue(b, context, &state)
        case .confirmInvoice(let b): try TradeContracts.confirm(b, context, &state)
        case .payInvoice(let b): try TradeContracts.pay(b, context, &state)
        case .raiseDispute(let b): try TradeContracts.raiseDispute(b, context, &state)
        case .resolveDispute(let b): try TradeContracts.resolveDispute(b, context, &state)
        case .settlePlatformSales(let b): try TradeContracts.settle(b, context, &state)
        case .publishPrice(let b): try MarketContracts.publish(b, context, &state)
        case .grantConsent(let b): try FinanceContracts.grantConsent(b, context, &state)
        case .revokeConsent(let b): try FinanceContracts.revokeConsent(b, context, &state)
        case .makeOffer(let b): try FinanceContracts.makeOffer(b, context, &state)
        case .acceptOffer(let b): try FinanceContracts.acceptOffer(b, context, &state)
        case .pledge(let b): try FinanceContracts.pledge(b, context, &state)
        case .repay(let b): try FinanceContracts.repay(b, context, &state)
        case .declareDefault(let b): try FinanceContracts.declareDefault(b, context, &state)
        case .release(let b): try FinanceContracts.release(b, context, &state)
        case .guarantee(let b): try FinanceContracts.guarantee(b, context, &state)
        case .registerModel(let b): try FinanceContracts.registerModel(b, context, &state)
        case .confirmRepayment(let b): try FinanceContracts.confirmRepayment(b, context, &state)
        }
    }
}
