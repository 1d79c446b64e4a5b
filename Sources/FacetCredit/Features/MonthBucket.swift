import FacetCore

/// One firm's figures for one 30-day month (counted from the Unix epoch, so every node cuts months alike). Every
/// field is a running sum that a block adds to; a feature reads a handful of buckets and never the history.
struct MonthBucket: Hashable, Sendable {
    /// Invoices issued this month other than livestream sales (major currency units).
    var invoices = InvoiceFigures()
    /// Livestream invoices issued this month: a platform's settlement may attest the same sales.
    var livestream = InvoiceFigures()
    /// Platform-settled sales (gross less refunds) of periods ending this month.
    var platformNet: Double = 0
    /// Settled sales of the month whose platform was suspended since: they weigh as the seller's own claim.
    var platformVoided: Double = 0
    /// Gross of invoices naming a buyer (credit sales), for days sales outstanding.
    var creditSales: Double = 0
    /// Weighted revenue by named buyer, for concentration.
    var byBuyer: [MemberID: Double] = [:]
    /// The largest invoices and settlements of the month, by weighted amount.
    var largest: TopRecords
    /// As a buyer: confirmed invoices fully paid this month, and how many of those after their due date.
    var payablesSettled: Int = 0
    var payablesLate: Int = 0
    var lateRecords: TopRecords
    /// Reference value of pieces that left the firm's stock this month (sold).
    var stockSold: Double = 0
    /// Loan offers the firm received this month.
    var offers: Int = 0
    /// The month's invoices and settlements that a member suspended since had vouched for, by amount, and those
    /// members: they now weigh as self-issued (`FeatureIndex+Standing`).
    var voided: TopRecords
    var voidedBy: Set<MemberID> = []

    init(limit: Int) {
        largest = TopRecords(limit: limit)
        lateRecords = TopRecords(limit: limit)
        voided = TopRecords(limit: limit)
    }

    /// Livestream sales count once: by the better of the invoices' own evidence and the platform's settlement.
    func revenue(_ weights: EvidenceWeights) -> Double {
        invoices.weighted
            + max(livestream.weighted, platformNet * weights.platformSettled + platformVoided * weights.selfIssued)
    }

    var gross: Double { invoices.gross + max(livestream.gross, platformNet + platformVoided) }
    var vouched: Double { invoices.vouched + max(livestream.vouched, platformNet) }
}

/// Everything the index keeps about one firm: monthly buckets plus its open items.
struct FirmState: Hashable, Sendable {
    var buckets: [Int64: MonthBucket] = [:]
    /// Named-buyer invoices it issued that are not cancelled and not fully paid.
    var openReceivables: Set<InvoiceID> = []
    /// Invoices it confirmed as buyer that are not yet fully paid nor cancelled.
    var openPayables: Set<InvoiceID> = []
    /// Pieces it owns that are still in stock.
    var pieces: Set<PieceID> = []
    var openDisputes: Set<DisputeID> = []
    var activeLoans: Set<LoanID> = []
    var loansRepaid: Int = 0
    var loansDefaulted: Int = 0
    var closedLoans: TopRecords
    var consents: Set<MemberID> = []

    init(limit: Int) {
        closedLoans = TopRecords(limit: limit)
    }
}
