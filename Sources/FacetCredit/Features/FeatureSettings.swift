import FacetCore

/// The knobs of `FeatureIndex`. Every node computing features for a model must use the same settings, so they are
/// plain values with documented defaults (see contracts/credit-features.md).
public struct FeatureSettings: Hashable, Sendable {
    public var weights: EvidenceWeights
    /// The currency figures are kept in; amounts in any other currency are left out. Nil adopts the first
    /// currency the index sees.
    public var currency: Currency?
    /// A stock audit older than this no longer counts for `audited_stock_share`.
    public var auditFreshnessDays: Int64
    /// The most record ids kept as evidence of one feature.
    public var evidenceLimit: Int
    /// Months of wholesale trade the circular-trading graph looks at.
    public var circularWindowMonths: Int64
    /// A cycle member's in-flow and out-flow within the cycle may differ by this share of the larger.
    public var circularBalanceTolerance: Double
    /// An edge is part of the graph only if it is at least this share of both the seller's wholesale out-flow and
    /// the buyer's wholesale in-flow: ordinary trade spread over many counterparties never is.
    public var circularMinimumEdgeShare: Double

    public init(
        weights: EvidenceWeights = .standard, currency: Currency? = nil, auditFreshnessDays: Int64 = 90,
        evidenceLimit: Int = 20, circularWindowMonths: Int64 = 6, circularBalanceTolerance: Double = 0.25,
        circularMinimumEdgeShare: Double = 0.2
    ) {
        precondition(evidenceLimit >= 1 && evidenceLimit <= 1000, "evidence lists hold 1 to 1000 ids")
        precondition((1...12).contains(circularWindowMonths), "the circular window is 1 to 12 months")
        self.weights = weights
        self.currency = currency
        self.auditFreshnessDays = auditFreshnessDays
        self.evidenceLimit = evidenceLimit
        self.circularWindowMonths = circularWindowMonths
        self.circularBalanceTolerance = circularBalanceTolerance
        self.circularMinimumEdgeShare = circularMinimumEdgeShare
    }

    public static let standard = FeatureSettings()
}
