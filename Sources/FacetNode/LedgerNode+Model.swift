import FacetCore
import FacetCredit

/// What the dashboard's model page measures the scorecard on: the loans the chain saw open and close.
extension LedgerNode {
    /// Every closed loan the credit index tracked, in the order they opened (each with its borrower's features when
    /// it opened and whether it was declared in default), with the index's height. Nil while the index is behind the
    /// head (or credit is off), so a report never mixes heights.
    public func creditTrainingRows() -> (height: UInt64, rows: [TrainingRow])? {
        guard let index = creditIndex, index.height == state.height else { return nil }
        return (index.height, index.trainingRows())
    }
}
