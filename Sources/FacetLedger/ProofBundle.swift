import FacetCore

/// Everything an auditor needs to check offline, from nothing but a trusted genesis, that a transaction was
/// committed: the transaction as signed, its RFC 9162 inclusion proof into the transparency log at the header's
/// `logSize`, the header and its commit certificate, and the validator-set changes since genesis. Pure data with no
/// I/O; `verify(genesis:)` is the algorithm of `contracts/proof-bundle.md`, and `ProofBundle+JSON.swift` its file
/// format.
public struct ProofBundle: Hashable, Sendable {
    /// The JSON format's version; a verifier refuses any other.
    public static let version = 1

    /// The canonical encoding of the signed transaction: exactly the bytes the log's leaf hashes.
    public var transaction: [UInt8]
    /// The signer's key when the transaction was accepted. The ledger's state holds it, not the header, so the
    /// bundle's copy is unproven: the signature check against it is a consistency check, while the inclusion
    /// proof is what shows the ledger accepted (and so signature-checked) the transaction.
    public var signerPublicKey: PublicKey
    /// The transaction's leaf index in the log (0-based, counting every accepted transaction since genesis).
    public var logIndex: UInt64
    /// RFC 9162 inclusion path for `logIndex` in the tree of `header.logSize` leaves, lowest sibling first.
    public var inclusionProof: [Hash256]
    public var header: BlockHeader
    public var certificate: CommitCertificate
    /// Every validator-set change from genesis up to the set that signed `header`, in height order; empty when the
    /// genesis set signed it.
    public var validatorChain: [ValidatorTransition]

    public init(
        transaction: [UInt8], signerPublicKey: PublicKey, logIndex: UInt64, inclusionProof: [Hash256],
        header: BlockHeader, certificate: CommitCertificate, validatorChain: [ValidatorTransition]
    ) {
        self.transaction = transaction
        self.signerPublicKey = signerPublicKey
        self.logIndex = logIndex
        self.inclusionProof = inclusionProof
        self.header = header
        self.certificate = certificate
        self.validatorChain = validatorChain
    }
}
