import FacetConsensus
import FacetCore
import FacetLedger

extension ConsensusDriver {
    /// Hands the machine the consensus keys `sets` name for this validator that its keyring holds
    /// (`rotate_validator_key` changes the key from one height to the next; the machine signs each height with the
    /// key its set names). The keyring reads its folder again for a key it does not hold yet, so a key file written
    /// by `facet node rotate-key` before its transaction committed is found by the time its height starts.
    func holdConsensusKeys(of sets: [ValidatorSet]) {
        for set in sets {
            if let key = node.keyring.key(of: identity, in: set) { machine.hold(key) }
        }
    }
}
