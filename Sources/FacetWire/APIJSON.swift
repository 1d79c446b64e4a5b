import FacetCore

/// The JSON bodies of the HTTP API (`contracts/openapi.yaml`), one nested type per schema. Hashes, ids, keys and
/// signatures are lowercase hex; times are milliseconds since the Unix epoch; amounts are `Money` objects with the
/// integer as a string, never floating point.
public enum APIJSON {
    /// `{ "code", "message" }`: every refusal.
    public struct ErrorBody: Codable, Sendable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// `{ "minorUnits": "123456", "currency": "CNY" }`.
    public struct MoneyBody: Codable, Hashable, Sendable, CustomStringConvertible {
        public var minorUnits: String
        public var currency: String

        public init(minorUnits: String, currency: String) {
            self.minorUnits = minorUnits
            self.currency = currency
        }

        public init(_ money: Money) {
            self.init(minorUnits: money.minorUnits, currency: money.currency)
        }

        /// An amount the credit engine computed (already within money's range) in `currency`.
        public init(minorUnits: Int64, currency: Currency) {
            self.minorUnits = String(minorUnits)
            self.currency = currency.code
        }

        /// The amount as the ledger's type; nil when the fields do not make one (a node sent something outside it).
        public var money: Money? {
            guard let units = Int64(minorUnits), let currency = try? Currency(currency) else { return nil }
            return try? Money(minorUnits: units, currency: currency)
        }

        /// "1234.56 CNY" at the currency's precision; the raw fields when they do not make an amount.
        public var description: String { money?.description ?? "\(minorUnits) (minor units) \(currency)" }
    }

    /// The body of `POST /v1/transactions`.
    public struct SubmitBody: Codable, Sendable {
        public var transaction: String

        public init(transaction: String) {
            self.transaction = transaction
        }
    }

    /// `POST /v1/transactions/batch`'s body.
    public struct SubmitBatchBody: Codable, Sendable {
        public var transactions: [String]

        public init(transactions: [String]) {
            self.transactions = transactions
        }
    }

    /// One item of a batch's answer: `pending` (queued) with its kind, or `refused` with the code and message.
    public struct BatchItemBody: Codable, Hashable, Sendable {
        public var id: String
        public var status: String
        public var kind: String?
        public var code: String?
        public var message: String?

        public init(id: String, status: String, kind: String? = nil, code: String? = nil, message: String? = nil) {
            self.id = id
            self.status = status
            self.kind = kind
            self.code = code
            self.message = message
        }
    }

    /// `POST /v1/transactions/batch`'s answer: counts, then one result per submitted transaction, in order.
    public struct BatchBody: Codable, Hashable, Sendable {
        public var pending: Int
        public var refused: Int
        public var results: [BatchItemBody]

        public init(pending: Int, refused: Int, results: [BatchItemBody]) {
            self.pending = pending
            self.refused = refused
            self.results = results
        }
    }
}
