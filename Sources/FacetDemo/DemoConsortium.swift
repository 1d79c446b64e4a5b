import FacetCore
import FacetLedger

/// A member of the demo with its demo-only key.
public struct DemoMember: Sendable {
    /// The seed file's short name for a founding member; the firm's index for a generated firm ("firm-12").
    public let key: String
    public let name: String
    public let roles: Roles
    public let signingKey: SigningKey

    public var id: MemberID { MemberID(initialKey: signingKey.publicKey) }
    public var profile: MemberProfile { MemberProfile(name: name, roles: roles, publicKey: signingKey.publicKey) }

    init(key: String, name: String, roles: Roles, seed: UInt64) {
        self.key = key
        self.name = name
        self.roles = roles
        self.signingKey = DemoKeys.key(seed: seed, name: name)
    }
}

/// The consortium the seed files describe: its founding members with their keys, and its genesis.
public struct DemoConsortium: Sendable {
    public let seed: ConsortiumSeed
    public let settings: GeneratorSettings
    public let chainID: Label
    public let currency: Currency
    public let start: Timestamp
    public let founders: [DemoMember]
    public let genesis: Genesis

    public init(seed: ConsortiumSeed, settings: GeneratorSettings) throws(DemoError) {
        try seed.validate()
        try settings.validate()
        guard let chainID = try? Label(seed.chainID), let currency = try? Currency(seed.currency),
            let start = settings.startTime, let approvals = UInt8(exactly: seed.memberApprovals)
        else { preconditionFailure("validated seed files hold a label, a currency, a time and a small count") }
        self.seed = seed
        self.settings = settings
        self.chainID = chainID
        self.currency = currency
        self.start = start
        founders = seed.members.map { member in
            guard let roles = Roles(names: member.roles) else { preconditionFailure("roles were validated") }
            return DemoMember(key: member.key, name: member.name, roles: roles, seed: settings.seed)
        }
        genesis = Genesis(
            params: LedgerParams(chainID: chainID, memberApprovals: approvals), time: start,
            members: founders.map(\.profile))
        do {
            try genesis.validate()
        } catch {
            throw DemoError(.invalid, "consortium.json: the genesis it gives is refused: \(error)")
        }
    }

    public func founder(_ key: String) -> DemoMember {
        guard let member = founders.first(where: { $0.key == key }) else {
            preconditionFailure("no founding member \(key)")
        }
        return member
    }

    /// Founding members holding a role, in the seed file's order.
    public func founders(with role: Roles) -> [DemoMember] { founders.filter { $0.roles.contains(role) } }
}
