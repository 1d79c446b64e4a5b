import FacetCore
import FacetCredit
import FacetLedger

/// The records a firm's page lists beside its features, read at one height: its buyers by share, its stock at
/// reference value, its latest loans and the offers open to it, with the names of the members they mention.
public struct FirmHoldings: Sendable {
    /// Loans listed, most recent first.
    public static let loanLimit = 50

    /// A piece in stock with its reference value (major units), as `inventory_value` counts it.
    public struct StockItem: Sendable {
        public var piece: Piece
        public var value: Double

        public init(piece: Piece, value: Double) {
            self.piece = piece
            self.value = value
        }
    }

    public var height: UInt64
    public var buyers: [BuyerShare]
    public var stock: [StockItem]
    /// The latest `loanLimit` loans, most recent first, of `loanCount`.
    public var loans: [Loan]
    public var loanCount: Int
    public var offers: [Offer]
    /// Names of the buyers, lenders and guarantors mentioned.
    public var names: [MemberID: String]
}
