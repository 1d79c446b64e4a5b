import FacetScorecard

/// The credit engine's parts: `Features` (per firm, from the ledger's transactions as blocks commit), collateral
/// valuation, products and pricing, and offers. Scorecards themselves are `FacetScorecard`'s.
public enum CreditEngine {
    /// The version of the feature definitions: a model names it, so features and model always match.
    public static let featureVersion = 1
}
