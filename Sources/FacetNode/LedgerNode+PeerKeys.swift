import FacetCore
import FacetLedger

extension LedgerNode {
    /// The keys the validators of `sets` prove in the peer handshake: each one's member key, not its consensus key,
    /// so a `rotate_validator_key` leaves every link up, and a validator that was down across its own rotation still
    /// connects (and catches up) whatever height its peers are at. A validator without a member record (never the
    /// case on a ledger whose contracts admitted it) proves the key the set names.
    public func peerKeys(for sets: [ValidatorSet]) -> [MemberID: PublicKey] {
        var keys = [MemberID: PublicKey]()
        for set in sets {
            for validator in set.validators {
                keys[validator.member] =
                    state.record(Member.self, validator.member.hash)?.publicKey ?? validator.publicKey
            }
        }
        return keys
    }
}
