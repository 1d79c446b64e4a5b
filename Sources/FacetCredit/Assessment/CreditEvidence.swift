import FacetCore
import FacetLedger

/// What a node extracts about one firm at one ledger height to assess its credit: the features a scorecard reads,
/// and the pieces, receivables and reference prices the products' borrowing bases read.
///
/// `CreditAssessment.assess` is a pure function of this value (with a model, products and a policy), so two nodes
/// holding the same evidence give the same assessment, advice included.
public struct CreditEvidence: Hashable, Sendable {
    /// The firm's features at the height; their `asOf` is the time every age (audits, invoices) is measured to.
    public var features: FirmFeatures
    public var pieces: [CollateralPiece]
    public var receivables: [Receivable]
    public var prices: [PriceSeries]
    /// The currency the features' major-unit amounts are in; limits come out in its minor units.
    public var currency: Currency

    public init(
        features: FirmFeatures, pieces: [CollateralPiece], receivables: [Receivable], prices: [PriceSeries],
        currency: Currency
    ) {
        self.features = features
        self.pieces = pieces
        self.receivables = receivables
        self.prices = prices
        self.currency = currency
    }
}
