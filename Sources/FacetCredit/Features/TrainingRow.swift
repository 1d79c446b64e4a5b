import FacetCore
import FacetLedger
import FacetScorecard

/// A loan the ledger saw from start to end: the borrower's features when it opened, and its outcome. What a
/// scorecard learns from.
public struct TrainingRow: Hashable, Sendable {
    public let loan: LoanID
    public let firm: MemberID
    public let openedAt: Timestamp
    public let openedHeight: UInt64
    public let closedAt: Timestamp
    public let features: FeatureRow
    /// Declared in default. A repaid loan is good, even if repaid late (`repaidLate` says so).
    public let bad: Bool
    public let repaidLate: Bool
}
