import FacetCore
import FacetLedger

/// One piece of a firm's stock at the reference value the stock features read.
public struct StockValue: Hashable, Sendable {
    public let piece: PieceID
    public let category: PieceCategory
    /// Major units of the index's currency: the category's lowest band price times the weight, zero without a price.
    public let value: Double
}

/// Which records a firm's page lists beside its features: its loans, the offers still open to it and its stock
/// valued as `inventory_value` values it. Every answer is in a fixed order, so two nodes list the same records.
extension FeatureIndex {
    /// The firm's loans as borrower, the most recently opened first, at most `limit` of them; `total` counts all.
    public func loans(of borrower: MemberID, limit: Int) -> (ids: [LoanID], total: Int) {
        precondition(limit >= 0, "a limit is not negative")
        let all = loanOrder.filter { loans[$0]?.borrower == borrower }
        return (Array(all.reversed().prefix(limit)), all.count)
    }

    /// Offers made to the firm that are neither accepted nor expired at `asOf`, ascending by id.
    public func openOffers(to firm: MemberID, asOf: Timestamp) -> [OfferID] {
        offers.filter { $0.value.firm == firm && $0.value.expiresAt > asOf }.map(\.key).sorted()
    }

    /// The firm's pieces in stock (pledged ones included), ascending by id, each at its reference value.
    public func stockValues(of firm: MemberID) -> [StockValue] {
        stock(of: firm).compactMap { id in
            pieces[id].map { StockValue(piece: id, category: $0.category, value: referenceValue($0)) }
        }
    }
}
