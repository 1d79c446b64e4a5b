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
    /// Set when the buyer that confirmed the invoice was suspended since: the confirmation weighs as self-issued.
    var confirmationVoided = false
    /// Everything paid, by the buyer and by banks: what the invoice's balance reads.
    var paidByBuyer: Double = 0
    var paidByBank: Double = 0
    /// What each payer paid and still vouches for: a payer suspended since leaves this map, its payments voided.
    var paidBy: [MemberID: Double] = [:]
    /// Payments whose payer was suspended since they were made: paid, but vouched for by nobody in good standing.
    var voidedByBuyer: Double = 0
    var voidedByBank: Double = 0
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
        if invoice.confirmed && !invoice.confirmationVoided {
            return InvoiceFigures(gross: amount, vouched: amount, weighted: amount * weights.buyerConfirmed)
        }
        // Payments by a payer suspended since count as the seller's own claim, like the unpaid rest.
        let bank = min(max(0, invoice.paidByBank - invoice.voidedByBank), amount)
        let buyer = min(max(0, invoice.paidByBuyer - invoice.voidedByBuyer), amount - bank)
        let claimed = amount - bank - buyer
        let weighted = bank * weights.bankPaid + buyer * weights.buyerPaid + claimed * weights.selfIssued
        return InvoiceFigures(gross: amount, vouched: bank + buyer, weighted: weighted)
    }
}

struct TrackedPiece: Hashable, Sendable {
    var owner: MemberID
    var category: PieceCategory
    var weight: UInt64
    /// Certified by a lab in good standing: a lab suspended since no longer certifies it.
    var certified = false
    var certifier: MemberID?
    var inCustody = false
    /// The last stock audit, by `auditor`; dropped when that warehouse is suspended.
    var lastAudit: Timestamp?
    var auditor: MemberID?
    var pledged = false
}

/// A platform's settlement as the index counted it: enough to void it when the platform is suspended.
struct TrackedSettlement: Hashable, Sendable {
    let seller: MemberID
    let platform: MemberID
    let month: Int64
    let net: Double
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
    /// Suspended by the admins' quorum and not reinstated since.
    var suspended = false
    /// Admins' votes toward suspending or reinstating the member, as the ledger counts them.
    var votes: [StatusChange: [MemberID]] = [:]

    /// Active and not suspended: what an admin must be for its vote to count.
    var inGoodStanding: Bool { since != nil && !suspended }
}
