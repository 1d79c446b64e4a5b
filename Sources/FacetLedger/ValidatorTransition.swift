import FacetCore

/// One link of a proof bundle's validator-set chain: the header that announced a new set (its
/// `nextValidatorsHash` differs from its `validatorsHash`), the certificate by which the outgoing set committed it,
/// and the new set itself. A verifier that trusts the outgoing set learns the incoming one from it.
public struct ValidatorTransition: Hashable, Sendable {
    public var header: BlockHeader
    public var certificate: CommitCertificate
    public var validators: ValidatorSet

    public init(header: BlockHeader, certificate: CommitCertificate, validators: ValidatorSet) {
        self.header = header
        self.certificate = certificate
        self.validators = validators
    }
}
