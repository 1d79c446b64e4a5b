import FacetCore

/// Why a request to a node did not give an answer the caller can use: a refusal the node sent (its stable code
/// from `contracts/errors.md`, its message and the HTTP status), or a failure on the client's side (the node
/// could not be reached, a wait ran out, the response broke the API contract, an input the client cannot encode).
/// Callers match on `code`, never on `message`.
public struct ClientError: CodedError {
    public struct Code: ErrorCode, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// No HTTP response: connection refused, DNS failure, the request timed out.
        public static let unreachable = Code(rawValue: "client.unreachable")
        /// `waitForCommit` gave up before the transaction was committed or rejected.
        public static let timeout = Code(rawValue: "client.timeout")
        /// The node answered, but not as `contracts/openapi.yaml` says (an unexpected status or body).
        public static let badResponse = Code(rawValue: "client.bad_response")
        /// A value given to the client (an amount, an id, a time, a name) that it cannot turn into a typed one.
        public static let invalidInput = Code(rawValue: "client.invalid_input")
    }

    public let code: Code
    public let message: String
    /// The HTTP status of a refusal the node sent; nil when no response carried this error.
    public let httpStatus: Int?

    public init(_ code: Code, _ message: String, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    public var errorCode: String { code.rawValue }

    /// True when the node itself refused (an HTTP error with a code), false for the client's own failures.
    public var isRefusal: Bool { httpStatus != nil && code != .badResponse }

    /// True when the node could not serve at all: no response, a wait that ran out, or a node not ready (503).
    /// The command line exits 2 for these (try again later), 1 for a refusal.
    public var nodeUnavailable: Bool {
        code == .unreachable || code == .timeout || httpStatus == 503
    }

    public var description: String {
        let status = httpStatus.map { " (HTTP \($0))" } ?? ""
        return "\(code.rawValue): \(message)\(status)"
    }
}
