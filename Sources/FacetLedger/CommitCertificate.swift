import FacetCore

/// One validator's signature: a precommit in a commit certificate, or (as `ValidatorApproval`) an approval of a
/// validator-set change.
public struct CommitSignature: Hashable, Sendable, CanonicalCodable {
    public var validator: MemberID
    public var signature: Signature

    public init(validator: MemberID, signature: Signature) {
        self.validator = validator
        self.signature = signature
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(validator)
        encoder.encode(signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        validator = try decoder.decode()
        signature = try decoder.decode()
    }
}

/// Proof that a block is final: precommit signatures (purpose `precommit`) over (height, round, block id)
/// from more than two thirds of the validators that sign the block. A one-validator network produces the
/// same shape with one signature.
public struct CommitCertificate: Hashable, Sendable, CanonicalCodable {
    public var height: UInt64
    public var round: UInt32
    public var blockID: Hash256
    public var signatures: [CommitSignature]

    public init(height: UInt64, round: UInt32, blockID: Hash256, signatures: [CommitSignature]) {
        self.height = height
        self.round = round
        self.blockID = blockID
        self.signatures = signatures.canonicalSet()
    }

    /// The payload each validator signs with purpose `precommit`.
    public static func precommitPayload(height: UInt64, round: UInt32, blockID: Hash256) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.u64(height)
        encoder.u32(round)
        encoder.encode(blockID)
        return encoder.bytes
    }

    /// Signs a precommit as `validator` with `key`.
    public static func precommit(
        height: UInt64, round: UInt32, blockID: Hash256, chainID: Label, validator: MemberID, key: SigningKey
    ) -> CommitSignature {
        let payload = precommitPayload(height: height, round: round, blockID: blockID)
        return CommitSignature(
            validator: validator,
            signature: key.sign(purpose: .precommit, chainID: chainID, payload: payload))
    }

    /// Checks the certificate against the set that signs `header`: same height and block id, only members
    /// of the set, each at most once, each signature valid, and at least a quorum of them.
    public func verify(header: BlockHeader, validators: ValidatorSet) -> CertificateCheck {
        guard height == header.height, blockID == header.id else { return .wrongBlock }
        guard validators.hash == header.validatorsHash else { return .wrongValidatorSet }
        let payload = CommitCertificate.precommitPayload(height: height, round: round, blockID: blockID)
        var signers = Set<MemberID>()
        for entry in signatures {
            guard let validator = validators.validator(entry.validator) else {
                return .unknownValidator(entry.validator)
            }
            guard
                validator.publicKey.verify(
                    entry.signature, purpose: .precommit, chainID: header.chainID,
                    payload: payload)
            else { return .badSignature(entry.validator) }
            signers.insert(entry.validator)
        }
        return signers.count >= validators.quorum ? .valid : .noQuorum(signers.count, validators.quorum)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.u64(height)
        encoder.u32(round)
        encoder.encode(blockID)
        encoder.sortedSet(signatures)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        height = try decoder.u64()
        round = try decoder.u32()
        blockID = try decoder.decode()
        signatures = try decoder.sortedSet(max: Limits.maxValidators)
    }
}

public enum CertificateCheck: Hashable, Sendable {
    case valid
    case wrongBlock
    case wrongValidatorSet
    case unknownValidator(MemberID)
    case badSignature(MemberID)
    case noQuorum(Int, Int)
}
