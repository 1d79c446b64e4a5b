import FacetConsensus
import FacetCore
import FacetLedger

extension ConsensusDriver {
    /// Signs `height` with the consensus key its validator set names for this validator (`rotate_validator_key`
    /// changes it from one height to the next): when that is not the key the machine holds, the machine is rebuilt
    /// with it, keeping the last signed slot (a new machine starts each height anyway). A key this node does not
    /// hold is logged and the machine keeps its key: its messages will not verify, so it takes no part until the key
    /// file is in the keyring's folder (looked for again at every height).
    func useConsensusKey(of validators: ValidatorSet, at height: UInt64) {
        guard let listed = validators.validator(identity)?.publicKey, listed != machine.publicKey else { return }
        guard let key = node.keyring.key(for: listed) else {
            logger.error(
                "this validator does not hold the consensus key its set names",
                metadata: ["consensus.height": "\(height)", "consensus.key": "\(listed.hex)"])
            return
        }
        machine = Tendermint(
            identity: identity, key: key, chainID: chainID, timeouts: settings.timeouts, lastSigned: machine.lastSigned)
        logger.notice(
            "signing with a new consensus key",
            metadata: ["consensus.height": "\(height)", "consensus.key": "\(listed.hex)"])
    }
}
