/// Why credit serving does not answer: a stable code (the `credit.*` codes of `contracts/errors.md`), a plain message
/// and the class of the refusal, which the API maps to an HTTP status.
public struct CreditRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// 403.
        case forbidden
        /// 404.
        case notFound
        /// 503.
        case unavailable
    }

    public struct Code: Hashable, Sendable {
        public let rawValue: String
        public let kind: Kind

        /// The node is configured without credit.
        public static let unavailable = Code(rawValue: "credit.unavailable", kind: .notFound)
        /// A read by neither the firm nor a lender holding its active consent.
        public static let noConsent = Code(rawValue: "credit.no_consent", kind: .forbidden)
        /// The index is still replaying committed blocks.
        public static let catchingUp = Code(rawValue: "credit.catching_up", kind: .unavailable)
        /// None of the node's models is registered on the ledger.
        public static let noModel = Code(rawValue: "credit.no_model", kind: .unavailable)
        /// The asked model is not one the node holds and the ledger registers.
        public static let unknownModel = Code(rawValue: "credit.unknown_model", kind: .notFound)
        /// The asking lender has no policy on this node.
        public static let noPolicy = Code(rawValue: "credit.no_policy", kind: .notFound)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
