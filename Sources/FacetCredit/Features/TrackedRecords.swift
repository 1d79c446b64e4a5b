import FacetCore
import FacetLedger
import FacetScorecard

/// The index's own copy of what it needs from an invoice: enough to reweigh it when someone vouches for it later.
struct TrackedInvoice: Hashable, Sendable {
    let id: InvoiceID
    let seller: MemberID
    let buyer: MemberID?
    var amount: Double
    let issuedAt: Timestamp
    let dueAt: Timestamp
    let channel: SalesChannel
    let pieces: [PieceID]
    var confirmed = false
    var paidByBuyer: Double = 0
    var paidByBank: Double = 0
    var lastPaymentAt: Timestamp?
    var cancelled = false
    var openDispute: DisputeID?
    /// What the invoice adds to its seller's month now: kept so a change applies as a difference.
    var counted = InvoiceFigures()
    /// Set once the buyer's payment record (on time or late) has been written.
    var payableClosed = false

    var paid: Double { paidByBuyer + paidByBank }
    var isSettled: Bool { paid >= amount - 1e-9 }
    var outstanding: Double { cancelled ? 0 : max(0, amount - paid) }
}

/// An invoice's contribution to its seller's monthly figures.
struct InvoiceFigures: Hashable, Sendable {
    var gross: Double = 0
    var vouched: Double = 0
    var weighted: Double = 0

    static func of(_ invoice: TrackedInvoice, _ weights: EvidenceWeights) -> InvoiceFigures {
        guard !invoice.cancelled else { return InvoiceFigures() }
        let amount = invoice.amount
        if invoice.confirmed {
            return InvoiceFigures(gross: amount, vouched: amount, weighted: amount * weights.buyerConfirmed)
        }
        let bank = min(invoice.paidByBank, amount)
        let buyer = min(invoice.paidByBuyer, amount - bank)
        let claimed = amount - bank - buyer
        let weighted = bank * weights.bankPaid + buyer * weights.buyerPaid + claimed * weights.selfIssued
        return InvoiceFigures(gross: amount, vouched: bank + buyer, weighted: weighted)
    }
}

struct TrackedPiece: Hashable, Sendable {
    var owner: MemberID
    var category: PieceCategory
    var weight: UInt64
    var certified = false
    var inCustody = false
    var lastAudit: Timestamp?
    var pledged = false
}

struct TrackedOffer: Hashable, Sendable {
    let lender: MemberID
    let firm: MemberID
    let principal: Double
    let termDays: UInt32
    let expiresAt: Timestamp
    let collateral: [Collateral]
}

enum TrackedLoanStatus: Hashable, Sendable { case active, repaid, defaulted }

struct TrackedLoan: Hashable, Sendable {
    let id: LoanID
    let borrower: MemberID
    let lender: MemberID
    let principal: Double
    var outstanding: Double
    let openedAt: Timestamp
    let openedHeight: UInt64
    let dueAt: Timestamp
    var status: TrackedLoanStatus = .active
    var closedAt: Timestamp?
    /// The borrower's features just before the loan opened: the training row's inputs.
    let snapshot: FeatureRow
}

struct TrackedMember: Hashable, Sendable {
    var roles: Roles
    var approvals: Int
    /// When the member became active: its tenure starts here.
    var since: Timestamp?
}
