import FacetCore
import FacetNode
import HTTPTypes
import Hummingbird

/// A refusal by the HTTP API: a stable code (listed in `contracts/errors.md`), a plain message and the HTTP status
/// of its class. The message never carries internals (database text, stack traces, Swift type names): the error
/// middleware logs those and answers with this.
public struct APIError: CodedError {
    public struct Code: ErrorCode {
        public let rawValue: String

        /// The body is not JSON of the documented shape.
        public static let malformedJSON = Code(rawValue: "api.malformed_json")
        /// A field that must be hex is not (odd length or a non-hex digit).
        public static let badHex = Code(rawValue: "api.bad_hex")
        /// A path id is not 64 lowercase hex digits.
        public static let badID = Code(rawValue: "api.bad_id")
        /// A block height is not an integer from 1 up.
        public static let badHeight = Code(rawValue: "api.bad_height")
        /// A query parameter (`from`, `to`) is not a time in milliseconds, or the window is empty.
        public static let badQuery = Code(rawValue: "api.bad_query")
        /// Any other malformed request (a method or header the server cannot use).
        public static let badRequest = Code(rawValue: "api.bad_request")
        /// A private read without a valid signed `Authorization` header.
        public static let unauthenticated = Code(rawValue: "api.unauthenticated")
        /// A signed read names another node: it is bound to the node it was signed for.
        public static let wrongNode = Code(rawValue: "auth.wrong_node")
        /// A signed read this node has already answered (or one signed before the oldest it still remembers).
        public static let replayed = Code(rawValue: "auth.replayed")
        /// A member with more fresh signed reads than the node remembers per member.
        public static let rateLimited = Code(rawValue: "auth.rate_limited")
        /// The signer may not read this.
        public static let forbidden = Code(rawValue: "api.forbidden")
        /// No such route or object.
        public static let notFound = Code(rawValue: "api.not_found")
        /// A block at or below the height this node state-synced from: it holds the state from there on, not the
        /// blocks before (410; ask a node that replayed the chain).
        public static let beforeSyncBase = Code(rawValue: "chain.before_sync_base")
        /// The body is over the limit.
        public static let tooLarge = Code(rawValue: "api.too_large")
        /// The node cannot answer now (not ready, or a dependency is down).
        public static let unavailable = Code(rawValue: "api.unavailable")
        /// A fault inside the node: never caused by input, always logged.
        public static let internalError = Code(rawValue: "api.internal")
        /// A credit route on a node configured without credit.
        public static let creditUnavailable = Code(rawValue: "credit.unavailable")
        /// A credit read by neither the firm nor a lender holding its active consent.
        public static let creditNoConsent = Code(rawValue: "credit.no_consent")
        /// The credit index is still replaying committed blocks.
        public static let creditCatchingUp = Code(rawValue: "credit.catching_up")
        /// None of the node's models is registered on the ledger.
        public static let creditNoModel = Code(rawValue: "credit.no_model")
        /// `?model=` names a model the node does not hold or the ledger does not register.
        public static let creditUnknownModel = Code(rawValue: "credit.unknown_model")
        /// The asking lender has no policy on this node.
        public static let creditNoPolicy = Code(rawValue: "credit.no_policy")
    }

    public let code: String
    public let message: String
    public let status: HTTPResponse.Status

    public init(code: String, _ message: String, status: HTTPResponse.Status) {
        self.code = code
        self.message = message
        self.status = status
    }

    public init(_ code: Code, _ message: String, status: HTTPResponse.Status) {
        self.init(code: code.rawValue, message, status: status)
    }

    public static func badRequest(_ code: Code, _ message: String) -> APIError {
        APIError(code, message, status: .badRequest)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, message, status: .notFound)
    }

    public static func unauthenticated(_ message: String) -> APIError {
        APIError(.unauthenticated, message, status: .unauthorized)
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, message, status: .forbidden)
    }

    /// A node refusal in its HTTP class. A store failure keeps its code but not its reason, which may name
    /// database details.
    public init(_ error: NodeError) {
        switch error.kind {
        case .badRequest: self.init(code: error.code, error.message, status: .badRequest)
        case .notFound: self.init(code: error.code, error.message, status: .notFound)
        case .busy: self.init(code: error.code, error.message, status: .tooManyRequests)
        case .unavailable:
            self.init(code: error.code, "the node cannot answer now; try again later", status: .serviceUnavailable)
        }
    }

    public var errorCode: String { code }

    public var description: String { "\(status.code) \(code): \(message)" }
}
