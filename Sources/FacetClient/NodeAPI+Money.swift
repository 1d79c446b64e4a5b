import FacetCore

extension NodeAPI {
    /// `{ "minorUnits": "123456", "currency": "CNY" }`: the integer travels as a string so no JSON reader rounds it.
    public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
        public var minorUnits: String
        public var currency: String

        public init(minorUnits: String, currency: String) {
            self.minorUnits = minorUnits
            self.currency = currency
        }

        public init(_ money: FacetCore.Money) {
            self.init(minorUnits: String(money.minorUnits), currency: money.currency.code)
        }

        /// The amount as the ledger's type; nil when the node sent something outside it.
        public var money: FacetCore.Money? {
            guard let units = Int64(minorUnits), let currency = try? Currency(currency) else { return nil }
            return try? FacetCore.Money(minorUnits: units, currency: currency)
        }

        /// "1234.56 CNY" at the currency's precision; the raw fields when they do not make an amount.
        public var description: String { money?.description ?? "\(minorUnits) (minor units) \(currency)" }
    }
}
