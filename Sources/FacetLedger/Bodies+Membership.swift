import FacetCore

/// A member as registered: its name, roles and first key (which fixes its id). `register_member` carries one: an
/// admin proposes the member, active after `LedgerParams.memberApprovals` admins approved (the proposer counts as
/// the first). Genesis lists the founding members the same way.
public struct MemberProfile: Hashable, Sendable, CanonicalCodable {
    public var name: String
    public var roles: Roles
    public var publicKey: PublicKey

    public init(name: String, roles: Roles, publicKey: PublicKey) {
        self.name = name
        self.roles = roles
        self.publicKey = publicKey
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.text(name)
        encoder.encode(roles)
        encoder.encode(publicKey)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        name = try decoder.text()
        roles = try decoder.decode()
        publicKey = try decoder.decode()
    }
}

/// Names one member: `approve_member` (another admin approves a pending member) and `reinstate_member` (an admin
/// lifts a suspension).
public struct MemberReference: Hashable, Sendable, CanonicalCodable {
    public var member: MemberID

    public init(member: MemberID) {
        self.member = member
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(member)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        member = try decoder.decode()
    }
}

/// A member replaces its key; `proof` is the new key's signature (purpose `keyRotation`) over the member id and the
/// new key, so nobody can adopt a key they do not hold.
public struct RotateKey: Hashable, Sendable, CanonicalCodable {
    public var newKey: PublicKey
    public var proof: Signature

    public init(newKey: PublicKey, proof: Signature) {
        self.newKey = newKey
        self.proof = proof
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(newKey)
        encoder.encode(proof)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        newKey = try decoder.decode()
        proof = try decoder.decode()
    }
}

/// An admin suspends a member: it can sign nothing until reinstated.
public struct SuspendMember: Hashable, Sendable, CanonicalCodable {
    public var member: MemberID
    public var reason: String

    public init(member: MemberID, reason: String) {
        self.member = member
        self.reason = reason
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(member)
        encoder.text(reason)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        member = try decoder.decode()
        reason = try decoder.text()
    }
}

/// One current validator's signature (purpose `validatorSetChange`) over the new set and its height: the same
/// shape as a precommit in a commit certificate.
public typealias ValidatorApproval = CommitSignature

/// A new validator set, approved by at least a quorum (2f+1) of the current validators, taking effect at
/// `effectiveHeight`.
public struct ChangeValidators: Hashable, Sendable, CanonicalCodable {
    public var validators: ValidatorSet
    public var effectiveHeight: UInt64
    public var approvals: [ValidatorApproval]

    public init(validators: ValidatorSet, effectiveHeight: UInt64, approvals: [ValidatorApproval]) {
        self.validators = validators
        self.effectiveHeight = effectiveHeight
        self.approvals = approvals.canonicalSet()
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(validators)
        encoder.u64(effectiveHeight)
        encoder.sortedSet(approvals)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        validators = try decoder.decode()
        effectiveHeight = try decoder.u64()
        approvals = try decoder.sortedSet(max: Limits.maxValidators)
    }
}

/// A validator replaces its consensus key (the key in the validator set that signs its proposals and votes) and
/// keeps its seat; its member key, which signs this transaction, stays as it is. The shape of a member key's rotation,
/// with the proof under purpose `validatorKeyRotation` (`ValidatorKeyRotation.payload`), so neither proof stands in for
/// the other. The new key signs from the next height on (`contracts/transactions.md`).
public typealias RotateValidatorKey = RotateKey
public typealias RegisterMember = MemberProfile
public typealias ApproveMember = MemberReference
public typealias ReinstateMember = MemberReference
