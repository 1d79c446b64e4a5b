import FacetCore

/// A member's signing key together with the member id it signs as. The id is the hash of the member's first key,
/// so after a key rotation it no longer follows from the key in hand and must be carried alongside it.
public struct MemberKey: Sendable {
    public let member: MemberID
    public let key: SigningKey

    public init(member: MemberID, key: SigningKey) {
        self.member = member
        self.key = key
    }

    /// A member that never rotated its key: the id is derived from the key.
    public init(firstKey key: SigningKey) {
        self.init(member: MemberID(initialKey: key.publicKey), key: key)
    }
}
