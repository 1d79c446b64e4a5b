import FacetCore
import FacetLedger

/// What a joining node trusts before it holds any state, and the check a manifest passes before a byte of its
/// chunks is fetched.
///
/// By default the anchor is the genesis validator set: a snapshot's certificate must carry valid precommit signatures
/// of more than a third of that set (at least one correct validator vouched for the block; CometBFT's light client
/// "trust level" 1/3), and, once assembled, more than two thirds of the set the snapshot's own state names for H.
/// That holds while the genesis validators sign with their genesis keys and more than a third of them stay in the
/// set. After the set moved further than that, the operator names a block it trusts (`trustedBlock`, from
/// `--trust-height`/`--trust-hash`, read from a node it trusts): then only a snapshot of exactly that block is
/// adopted, whatever the set.
public struct SnapshotTrust: Hashable, Sendable {
    public struct TrustedBlock: Hashable, Sendable {
        public var height: UInt64
        public var id: Hash256

        public init(height: UInt64, id: Hash256) {
            self.height = height
            self.id = id
        }
    }

    public var chainID: Label
    public var validators: ValidatorSet
    public var trustedBlock: TrustedBlock?

    public init(chainID: Label, validators: ValidatorSet, trustedBlock: TrustedBlock? = nil) {
        self.chainID = chainID
        self.validators = validators
        self.trustedBlock = trustedBlock
    }

    /// Refuses a manifest that is malformed or not vouched for by this node's anchor.
    public func check(_ manifest: SnapshotManifest) throws(SnapshotRejection) {
        let header = manifest.header
        guard header.chainID == chainID else { throw SnapshotRejection(.wrongChain, "a manifest of another chain") }
        guard header.height > 0, manifest.certificate.height == header.height,
            manifest.certificate.blockID == header.id
        else { throw SnapshotRejection(.badManifest, "the certificate is not for the manifest's header") }
        guard (1...SnapshotManifest.maxChunks).contains(manifest.chunkHashes.count),
            manifest.recordCount >= UInt64(manifest.chunkHashes.count)
        else { throw SnapshotRejection(.badManifest, "\(manifest.chunkHashes.count) chunks") }
        if let trustedBlock {
            guard header.height == trustedBlock.height, header.id == trustedBlock.id else {
                throw SnapshotRejection(
                    .untrusted, "block \(header.height) \(header.id) is not the trusted \(trustedBlock.height)")
            }
            return
        }
        let payload = CommitCertificate.precommitPayload(
            height: header.height, round: manifest.certificate.round, blockID: header.id)
        // Validators, not entries: a certificate's set is ordered by (validator, signature), so one validator that
        // made two valid signatures of the payload (Ed25519 does not forbid another nonce) appears twice, and counting
        // entries would let one faulty validator pass for two.
        var vouchedBy = Set<MemberID>()
        for entry in manifest.certificate.signatures {
            guard let validator = validators.validator(entry.validator),
                validator.publicKey.verify(entry.signature, purpose: .precommit, chainID: chainID, payload: payload)
            else { continue }
            vouchedBy.insert(entry.validator)
        }
        let vouched = vouchedBy.count
        guard vouched > validators.faultTolerance else {
            throw SnapshotRejection(
                .untrusted,
                "\(vouched) trusted validators signed block \(header.height); more than \(validators.faultTolerance) must"
            )
        }
    }
}
