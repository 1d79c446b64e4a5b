import FacetCore

/// Why a node configuration cannot be used: a stable code and a message naming the file and the field.
public typealias NodeConfigError = FacetError<NodeConfigErrorCode>

/// The codes of `NodeConfigError`.
public struct NodeConfigErrorCode: ErrorCode, RawRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let unreadable = Self(rawValue: "config.unreadable")
    public static let invalid = Self(rawValue: "config.invalid")
}

extension FacetError where Codes == NodeConfigErrorCode {
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON" : "\(context.debugDescription) at \(path(context.codingPath))"
        @unknown default: return "not valid JSON"
        }
    }
}
