import FacetCore

/// What a member may sign. A member may hold several roles (a bank both lends and confirms payments).
public struct Roles: OptionSet, Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let admin = Roles(rawValue: 1 << 0)
    public static let firm = Roles(rawValue: 1 << 1)
    public static let lab = Roles(rawValue: 1 << 2)
    public static let inspector = Roles(rawValue: 1 << 3)
    public static let warehouse = Roles(rawValue: 1 << 4)
    public static let bank = Roles(rawValue: 1 << 5)
    public static let platform = Roles(rawValue: 1 << 6)
    public static let exchange = Roles(rawValue: 1 << 7)
    public static let conciliator = Roles(rawValue: 1 << 8)
    public static let lender = Roles(rawValue: 1 << 9)
    public static let guarantor = Roles(rawValue: 1 << 10)
    public static let validator = Roles(rawValue: 1 << 11)
    /// A regulator or the alliance's auditor: reads every record (`AccessPolicy`), each read receipted.
    public static let auditor = Roles(rawValue: 1 << 12)

    public static let named: [(name: String, role: Roles)] = [
        ("admin", .admin), ("firm", .firm), ("lab", .lab), ("inspector", .inspector), ("warehouse", .warehouse),
        ("bank", .bank), ("platform", .platform), ("exchange", .exchange), ("conciliator", .conciliator),
        ("lender", .lender), ("guarantor", .guarantor), ("validator", .validator), ("auditor", .auditor),
    ]
    public static let all = Roles(rawValue: (1 << 13) - 1)

    public init?(names: [String]) {
        var roles = Roles()
        for name in names {
            guard let entry = Roles.named.first(where: { $0.name == name }) else { return nil }
            roles.insert(entry.role)
        }
        self = roles
    }

    public var names: [String] { Roles.named.filter { contains($0.role) }.map(\.name) }
    public var description: String { names.joined(separator: ",") }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.u16(rawValue) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        let raw = try decoder.u16()
        guard raw & ~Roles.all.rawValue == 0 else { throw CoreError(.outOfRange, "unknown role bits \(raw)") }
        self.init(rawValue: raw)
    }
}
