import FacetCore
import FacetCredit

/// What the dashboard reads from the credit index beyond a decision's evidence, at the same height as
/// `creditEvidence`, so a page's chart and its figures come from one block.
extension LedgerNode {
    /// The firm's revenue by month over the twelve months the revenue features read, split by who vouched for it,
    /// as of the index's latest block. Nil while the index is behind the head (or credit is off).
    public func creditMonthlyRevenue(firm: MemberID) -> [MonthlyRevenue]? {
        guard let index = creditIndex, index.height == state.height, let time = index.time else { return nil }
        return index.monthlyRevenue(of: firm, asOf: time)
    }
}
