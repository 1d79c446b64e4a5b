import FacetCore

/// A founding member, listed in genesis exactly as a registration would name it.
public typealias GenesisMember = MemberProfile

extension MemberProfile {
    /// The member id this profile's key fixes.
    public var id: MemberID { MemberID(initialKey: publicKey) }
}

/// The consortium at height 0: parameters, time, and the founding members. Members holding the validator
/// role form the first validator set, with their member keys.
public struct Genesis: Hashable, Sendable, CanonicalCodable {
    public var params: LedgerParams
    public var time: Timestamp
    public var members: [GenesisMember]

    public init(params: LedgerParams, time: Timestamp, members: [GenesisMember]) {
        self.params = params
        self.time = time
        self.members = members
    }

    public var hash: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public var validatorSet: ValidatorSet {
        ValidatorSet(
            members.filter { $0.roles.contains(.validator) }.map {
                Validator(member: $0.id, publicKey: $0.publicKey)
            })
    }

    /// Refuses a genesis no consortium could run: no admin, no validator, too many validators, or a key used twice.
    public func validate() throws(LedgerError) {
        try check(members.contains { $0.roles.contains(.admin) }, .invalidRoles, "genesis needs at least one admin")
        let validators = validatorSet.count
        try check(
            validators >= 1 && validators <= Limits.maxValidators, .validatorSetInvalid,
            "genesis needs 1 to \(Limits.maxValidators) validators")
        let keys = Set(members.map(\.publicKey))
        try check(keys.count == members.count, .keyInUse, "a public key appears twice in genesis")
        for member in members {
            try check(!member.roles.isEmpty, .invalidRoles, "genesis member \(member.name) has no role")
            try check(
                member.name.utf8.count <= Limits.maxTextBytes && !member.name.isEmpty, .invalidRoles,
                "genesis member names are 1 to \(Limits.maxTextBytes) bytes")
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(params)
        encoder.encode(time)
        encoder.list(members)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        params = try decoder.decode()
        time = try decoder.decode()
        members = try decoder.list(max: 100_000)
    }
}
