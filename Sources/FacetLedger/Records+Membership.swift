import FacetCore

public enum MemberStatus: UInt8, CanonicalEnum { case pending = 1, active = 2, suspended = 3 }

/// A consortium member. `id` is fixed by the first key; `publicKey` is the current one.
public struct Member: Hashable, Sendable, CanonicalCodable {
    public var id: MemberID
    public var name: String
    public var roles: Roles
    public var publicKey: PublicKey
    public var status: MemberStatus
    /// Admins who approved a pending registration, ascending.
    public var approvals: [MemberID]
    public var since: Timestamp

    public init(
        id: MemberID, name: String, roles: Roles, publicKey: PublicKey, status: MemberStatus,
        approvals: [MemberID], since: Timestamp
    ) {
        self.id = id
        self.name = name
        self.roles = roles
        self.publicKey = publicKey
        self.status = status
        self.approvals = approvals
        self.since = since
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.text(name)
        encoder.encode(roles)
        encoder.encode(publicKey)
        encoder.encode(status)
        encoder.sortedSet(approvals)
        encoder.encode(since)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        name = try decoder.text()
        roles = try decoder.decode()
        publicKey = try decoder.decode()
        status = try decoder.decode()
        approvals = try decoder.sortedSet(max: Limits.maxListLength)
        since = try decoder.decode()
    }
}

/// One validator of a set: the member who runs it and its consensus key.
public struct Validator: Hashable, Comparable, Sendable, CanonicalCodable {
    public var member: MemberID
    public var publicKey: PublicKey

    public init(member: MemberID, publicKey: PublicKey) {
        self.member = member
        self.publicKey = publicKey
    }

    public static func < (lhs: Validator, rhs: Validator) -> Bool { lhs.member < rhs.member }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(member)
        encoder.encode(publicKey)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        member = try decoder.decode()
        publicKey = try decoder.decode()
    }
}

/// An equal-weight validator set in ascending member order. BFT with n = 3f + 1: `quorum` = ⌊2n/3⌋ + 1.
public struct ValidatorSet: Hashable, Sendable, CanonicalCodable {
    public let validators: [Validator]

    public init(_ validators: [Validator]) {
        self.validators = validators.sorted()
    }

    public var count: Int { validators.count }
    public var faultTolerance: Int { (validators.count - 1) / 3 }
    public var quorum: Int { validators.count * 2 / 3 + 1 }
    public var hash: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public func validator(_ member: MemberID) -> Validator? { validators.first { $0.member == member } }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.sortedSet(validators) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        validators = try decoder.sortedSet(max: Limits.maxValidators)
        guard !validators.isEmpty else { throw CoreError(.outOfRange, "a validator set is never empty") }
        for (previous, next) in zip(validators, validators.dropFirst()) where previous.member == next.member {
            throw CoreError(.notCanonicalOrder, "a member appears twice in a validator set")
        }
    }
}

/// The consortium's validators now, and the change waiting for its height.
public struct ValidatorSchedule: Hashable, Sendable, CanonicalCodable {
    public var current: ValidatorSet
    public var next: ValidatorSet?
    public var nextEffectiveHeight: UInt64

    public init(current: ValidatorSet, next: ValidatorSet? = nil, nextEffectiveHeight: UInt64 = 0) {
        self.current = current
        self.next = next
        self.nextEffectiveHeight = nextEffectiveHeight
    }

    /// The set that signs the block at `height`.
    public func set(at height: UInt64) -> ValidatorSet {
        if let next, height >= nextEffectiveHeight { return next }
        return current
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(current)
        encoder.optional(next)
        encoder.u64(nextEffectiveHeight)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        current = try decoder.decode()
        next = try decoder.optional()
        nextEffectiveHeight = try decoder.u64()
    }
}

/// Consortium parameters fixed at genesis.
public struct LedgerParams: Hashable, Sendable, CanonicalCodable {
    public var chainID: Label
    /// Admin approvals a new member needs before it can sign.
    public var memberApprovals: UInt8
    /// Blocks between an approved validator-set change and the height it takes effect.
    public var validatorChangeDelay: UInt64
    /// How long an exchange's reference price stays usable, in milliseconds.
    public var priceValidityMillis: Int64

    public init(
        chainID: Label, memberApprovals: UInt8 = 1, validatorChangeDelay: UInt64 = 10,
        priceValidityMillis: Int64 = 30 * Timestamp.millisPerDay
    ) {
        self.chainID = chainID
        self.memberApprovals = memberApprovals
        self.validatorChangeDelay = validatorChangeDelay
        self.priceValidityMillis = priceValidityMillis
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(chainID)
        encoder.u8(memberApprovals)
        encoder.u64(validatorChangeDelay)
        encoder.i64(priceValidityMillis)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        chainID = try decoder.decode()
        memberApprovals = try decoder.u8()
        validatorChangeDelay = try decoder.u64()
        priceValidityMillis = try decoder.i64()
        guard memberApprovals >= 1, priceValidityMillis > 0 else {
            throw CoreError(.outOfRange, "member approvals and price validity must be positive")
        }
    }
}
