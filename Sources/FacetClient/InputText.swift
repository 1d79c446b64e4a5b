import FacetCore
import FacetLedger

/// Text a person types (command-line options) → the ledger's typed values, each refused with
/// `client.invalid_input` and a message saying what was expected. Names are the kebab-case spellings of the
/// ledger's enums (`natural-diamond`, `livestream`, `inventory-pledge`), listed by `names(of:)`.
public enum InputText {
    /// A 32-byte id as 64 hex digits.
    public static func id<Kind>(_ text: String, _ what: String = Kind.name) throws(ClientError) -> Identifier<Kind> {
        guard let id = Identifier<Kind>(hex: text) else {
            throw ClientError(.invalidInput, "the \(what) id \"\(text)\" is not 64 hex digits")
        }
        return id
    }

    /// An Ed25519 public key as 64 hex digits.
    public static func publicKey(_ text: String) throws(ClientError) -> PublicKey {
        guard let key = PublicKey(hex: text) else {
            throw ClientError(.invalidInput, "the public key \"\(text)\" is not 64 hex digits")
        }
        return key
    }

    /// A 32-byte hash as 64 hex digits.
    public static func hash(_ text: String, _ what: String) throws(ClientError) -> Hash256 {
        guard let hash = Hash256(hex: text) else {
            throw ClientError(.invalidInput, "the \(what) \"\(text)\" is not 64 hex digits")
        }
        return hash
    }

    /// An RFC 3339 time in UTC, such as `2026-03-01T00:00:00Z`.
    public static func time(_ text: String) throws(ClientError) -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else {
            throw ClientError(.invalidInput, "\"\(text)\" is not an RFC 3339 UTC time like 2026-03-01T00:00:00Z")
        }
        return time
    }

    /// A label: 1 to 64 printable ASCII characters without spaces (certificate numbers, grades, bands).
    public static func label(_ text: String, _ what: String) throws(ClientError) -> Label {
        guard let label = try? Label(text) else {
            throw ClientError(
                .invalidInput, "the \(what) \"\(text)\" is not 1 to 64 printable ASCII characters without spaces")
        }
        return label
    }

    /// Free text (names, reasons, notes): at most 256 UTF-8 bytes, no control characters.
    public static func text(_ text: String, _ what: String) throws(ClientError) -> String {
        guard text.utf8.count <= Limits.maxTextBytes else {
            throw ClientError(.invalidInput, "the \(what) is \(text.utf8.count) bytes; at most 256")
        }
        for scalar in text.unicodeScalars where scalar.value < 0x20 || (scalar.value >= 0x7f && scalar.value < 0xa0) {
            throw ClientError(.invalidInput, "the \(what) contains a control character")
        }
        return text
    }

    /// A weight in carats or grams as decimal text, into the ledger's millicarats or milligrams (three places).
    public static func weight(_ text: String, unit: String) throws(ClientError) -> UInt64 {
        let value = try AmountText.scaled(text, fractionDigits: 3, limit: Int64(Limits.maxWeight)) {
            "weights in \(unit) have \($0)"
        }
        guard value > 0 else { throw ClientError(.invalidInput, "a weight is positive") }
        return UInt64(value)
    }

    /// Roles by name, comma-separated: `firm,lender`.
    public static func roles(_ text: String) throws(ClientError) -> Roles {
        let names = text.split(separator: ",").map { String($0) }
        guard let roles = Roles(names: names), !roles.isEmpty else {
            throw ClientError(
                .invalidInput, "\"\(text)\": roles are \(Roles.named.map(\.name).joined(separator: ", "))")
        }
        return roles
    }

    /// `piece:ID` or `invoice:ID`.
    public static func collateral(_ text: String) throws(ClientError) -> Collateral {
        let parts = text.split(separator: ":", maxSplits: 1).map { String($0) }
        switch parts.first {
        case "piece" where parts.count == 2: return .piece(try id(parts[1]))
        case "invoice" where parts.count == 2: return .invoice(try id(parts[1]))
        default: throw ClientError(.invalidInput, "collateral \"\(text)\" is piece:ID or invoice:ID")
        }
    }

    public static func category(_ text: String) throws(ClientError) -> PieceCategory {
        try named(text, PieceCategory.self, what: "category")
    }

    public static func channel(_ text: String) throws(ClientError) -> SalesChannel {
        try named(text, SalesChannel.self, what: "channel")
    }

    public static func product(_ text: String) throws(ClientError) -> Product {
        try named(text, Product.self, what: "product")
    }

    /// The accepted names of an enum, in tag order.
    public static func names<T: NamedInput>(of type: T.Type) -> [String] {
        T.allCases.map(\.inputName)
    }

    private static func named<T: NamedInput>(_ text: String, _ type: T.Type, what: String) throws(ClientError) -> T {
        guard let value = T.allCases.first(where: { $0.inputName == text }) else {
            throw ClientError(
                .invalidInput, "\"\(text)\" is not a \(what): \(names(of: T.self).joined(separator: ", "))")
        }
        return value
    }
}

/// An enum a person names on the command line.
public protocol NamedInput: CaseIterable {
    var inputName: String { get }
}

extension PieceCategory: NamedInput {
    public var inputName: String {
        switch self {
        case .naturalDiamond: "natural-diamond"
        case .labGrownDiamond: "lab-grown-diamond"
        case .gold: "gold"
        case .platinum: "platinum"
        case .jadeite: "jadeite"
        case .coloredStone: "colored-stone"
        case .pearl: "pearl"
        case .crystal: "crystal"
        }
    }
}

extension SalesChannel: NamedInput {
    public var inputName: String {
        switch self {
        case .wholesale: "wholesale"
        case .retail: "retail"
        case .livestream: "livestream"
        case .export: "export"
        }
    }
}

extension Product: NamedInput {
    public var inputName: String {
        switch self {
        case .workingCapital: "working-capital"
        case .receivablesFinancing: "receivables-financing"
        case .inventoryPledge: "inventory-pledge"
        case .guarantee: "guarantee"
        }
    }
}
