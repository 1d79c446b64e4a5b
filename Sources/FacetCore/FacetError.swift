/// A stable error code: an opaque string such as `tx.wrong_chain` that clients match on and that never changes
/// meaning once published (`contracts/errors.md` lists them all). Each module declares its codes as a type
/// conforming to this: a struct of `static let`s or an enum with `String` raw values.
public protocol ErrorCode: Hashable, Sendable {
    var rawValue: String { get }
}

extension ErrorCode {
    /// The code as `contracts/errors.md` spells it; the `description` of the code types that print that way.
    public var description: String { rawValue }
}

/// The one shape of a Facet error: a stable code and a plain message for people. `FacetError` is it for the
/// modules' own errors; the errors that carry more (the node's HTTP class, the API's status, the client's
/// received status) conform to this protocol so that logs, reports and the API read every error the same way.
public protocol CodedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable code, as `contracts/errors.md` spells it.
    var errorCode: String { get }
    /// A plain message for people. Callers match on the code, never on the message.
    var message: String { get }
}

extension CodedError {
    public var description: String { "\(errorCode): \(message)" }
}

/// An operating error of one module: its code (of the module's `Codes` type) and a plain message. A module
/// declares only its codes and names its error, e.g. `public typealias LedgerError = FacetError<LedgerErrorCode>`.
/// Equal when code and message are.
public struct FacetError<Codes: ErrorCode>: CodedError {
    public typealias Code = Codes

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, under the name the store, TLS, demo and scorecard errors have always given it.
    public var reason: String { message }

    public var errorCode: String { code.rawValue }
}
