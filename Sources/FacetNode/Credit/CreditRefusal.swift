import FacetCore

/// Why credit serving does not answer: a stable code (the `credit.*` codes of `contracts/errors.md`) and a plain
/// message; the code's class is what the API maps to an HTTP status.
public typealias CreditRefusal = FacetError<CreditRefusalCode>

/// The `credit.*` codes with the class of each refusal.
public struct CreditRefusalCode: ErrorCode {
    public enum Kind: Hashable, Sendable {
        /// The reader may not have this.
        case forbidden
        /// No such thing here.
        case notFound
        /// Not now: try again or elsewhere.
        case unavailable
    }

    public let rawValue: String
    public let kind: Kind

    /// The node is configured without credit.
    public static let unavailable = Self(rawValue: "credit.unavailable", kind: .notFound)
    /// A read by neither the firm nor a lender holding its active consent.
    public static let noConsent = Self(rawValue: "credit.no_consent", kind: .forbidden)
    /// The index is still replaying committed blocks.
    public static let catchingUp = Self(rawValue: "credit.catching_up", kind: .unavailable)
    /// None of the node's models is registered on the ledger.
    public static let noModel = Self(rawValue: "credit.no_model", kind: .unavailable)
    /// The asked model is not one the node holds and the ledger registers.
    public static let unknownModel = Self(rawValue: "credit.unknown_model", kind: .notFound)
    /// The asking lender has no policy on this node.
    public static let noPolicy = Self(rawValue: "credit.no_policy", kind: .notFound)
}
