import FacetCore

/// The payload a new key signs (purpose `keyRotation`) to prove it is held by the member adopting it.
public enum MembershipRotation {
    public static func payload(member: MemberID, newKey: PublicKey) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(member)
        encoder.encode(newKey)
        return encoder.bytes
    }
}

/// The payload a validator's new consensus key signs (purpose `validatorKeyRotation`): the same bytes as a member
/// key's rotation, under a purpose of its own, so neither proof can stand in for the other.
public enum ValidatorKeyRotation {
    public static func payload(member: MemberID, newKey: PublicKey) -> [UInt8] {
        MembershipRotation.payload(member: member, newKey: newKey)
    }
}

/// The payload each current validator signs (purpose `validatorSetChange`) to approve a new set.
public enum ValidatorChangePayload {
    public static func bytes(validators: ValidatorSet, effectiveHeight: UInt64) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(validators)
        encoder.u64(effectiveHeight)
        return encoder.bytes
    }
}
