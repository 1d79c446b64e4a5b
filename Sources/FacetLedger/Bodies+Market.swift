import FacetCore

/// An exchange publishes a reference price for a category and band.
public struct PublishPrice: Hashable, Sendable, CanonicalCodable {
    public var category: PieceCategory
    public var band: Label
    public var pricePerUnit: Money

    public init(category: PieceCategory, band: Label, pricePerUnit: Money) {
        self.category = category
        self.band = band
        self.pricePerUnit = pricePerUnit
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(category)
        encoder.encode(band)
        encoder.encode(pricePerUnit)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        category = try decoder.decode()
        band = try decoder.decode()
        pricePerUnit = try decoder.decode()
    }
}
