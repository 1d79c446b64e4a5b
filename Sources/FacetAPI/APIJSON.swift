import FacetCore
import FacetNode
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON bodies of the HTTP API (`contracts/openapi.yaml`), one nested type per schema. Hashes, ids, keys and
/// signatures are lowercase hex; times are milliseconds since the Unix epoch; amounts are `Money` objects with the
/// integer as a string, never floating point.
public enum APIJSON {
    /// `{ "code", "message" }`: every refusal.
    public struct ErrorBody: Codable, Sendable {
        public var code: String
        public var message: String
    }

    /// `{ "minorUnits": "123456", "currency": "CNY" }`.
    public struct MoneyBody: Codable, Hashable, Sendable {
        public var minorUnits: String
        public var currency: String

        public init(_ money: Money) {
            self.init(minorUnits: money.minorUnits, currency: money.currency)
        }

        /// An amount the credit engine computed (already within money's range) in `currency`.
        public init(minorUnits: Int64, currency: Currency) {
            self.minorUnits = String(minorUnits)
            self.currency = currency.code
        }
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
    }

    /// Sorted keys and unescaped slashes: the same value always gives the same bytes, which keeps responses
    /// diffable and cacheable.
    static func encode<T: Encodable>(_ value: T) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("API bodies hold only strings, integers, booleans, arrays and objects")
        }
        return ByteBuffer(bytes: data)
    }

    package static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: encode(value)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

extension APIError {
    /// The error as the API answers it.
    var response: Response {
        APIJSON.response(APIJSON.ErrorBody(code: code, message: message), status: status)
    }
}
