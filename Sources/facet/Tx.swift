import ArgumentParser

/// `facet tx <kind>`: sign one transaction with a key file, submit it to a node, and wait for its block. The
/// subcommands are the kinds of `contracts/transactions.md`, spelled with dashes.
struct Tx: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a transaction, submit it to a node and wait until it is committed.",
        discussion: """
            Prints "committed at height H: KIND ID", or "rejected: CODE: MESSAGE" when the ledger refuses it \
            (--json prints one object instead). Exit status: 0 committed, 1 rejected by the ledger or refused by \
            the node, 2 the node unreachable or no block before --timeout, 64 a usage error. Amounts are exact \
            decimals in the currency's unit (--amount 1234.56 --currency CNY); ids are 64 hex digits; times are \
            RFC 3339 in UTC (2026-03-01T00:00:00Z).
            """,
        subcommands: [
            RegisterMember.self, ApproveMember.self, RotateKey.self, SuspendMember.self, ReinstateMember.self,
            ChangeValidators.self, SignValidatorChange.self, RotateValidatorKey.self, ReportEvidence.self,
            RegisterPiece.self, CertifyPiece.self, InspectPiece.self, CustodyIn.self, CustodyOut.self,
            StockAudit.self,
            IssueInvoice.self, ConfirmInvoice.self, PayInvoice.self, RaiseDispute.self, ResolveDispute.self,
            SettlePlatformSales.self,
            PublishPrice.self,
            GrantConsent.self, RevokeConsent.self, MakeOffer.self, AcceptOffer.self, Pledge.self, Repay.self,
            ConfirmRepayment.self, DeclareDefault.self, Release.self, Guarantee.self, RegisterModel.self,
        ]
    )
}
