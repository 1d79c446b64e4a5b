import FacetCore

/// The verification algorithm of `contracts/proof-bundle.md`, step for step and in the same order, so each way a
/// bundle can be wrong maps to one stable code.
extension ProofBundle {
    /// Checks the bundle against a trusted genesis: the only input a verifier must trust. Returns what it proved,
    /// or the first check that failed.
    public func verify(genesis: Genesis) -> Result<ProvenRecord, ProofFailure> {
        do throws(ProofFailure) {
            let signed = try decodedTransaction()
            try checkChain(genesis.params.chainID, transaction: signed)
            let signers = try followValidatorChain(from: genesis.validatorSet)
            try checkCertificate(signers)
            try checkSignature(signed)
            try checkInclusion()
            return .success(ProvenRecord(transaction: signed, header: header, logIndex: logIndex))
        } catch {
            return .failure(error)
        }
    }

    /// Step 1: the bundle is well formed. (Its JSON, hex and the other encodings were checked when it was parsed.)
    private func decodedTransaction() throws(ProofFailure) -> Transaction {
        guard inclusionProof.count <= MerkleTree.maxProofLength else {
            throw ProofFailure(
                .malformed,
                "the inclusion proof has \(inclusionProof.count) entries; at most "
                    + "\(MerkleTree.maxProofLength) are possible")
        }
        guard validatorChain.count <= Limits.maxProofTransitions else {
            throw ProofFailure(
                .malformed,
                "the validator chain has \(validatorChain.count) changes; at most "
                    + "\(Limits.maxProofTransitions) are accepted")
        }
        do {
            return try Transaction(canonicalBytes: transaction)
        } catch {
            throw ProofFailure(.malformed, "the transaction does not decode: \(error)")
        }
    }

    /// Step 2: every header and the transaction belong to the genesis's chain.
    private func checkChain(_ chainID: Label, transaction signed: Transaction) throws(ProofFailure) {
        guard header.chainID == chainID else {
            throw ProofFailure(.wrongChain, "the header is for chain \(header.chainID), the genesis is \(chainID)")
        }
        for (index, link) in validatorChain.enumerated() where link.header.chainID != chainID {
            throw ProofFailure(
                .wrongChain,
                "validator change \(index + 1) is for chain \(link.header.chainID), the genesis is \(chainID)")
        }
        guard signed.chainID == chainID else {
            throw ProofFailure(.wrongChain, "the transaction is for chain \(signed.chainID), the genesis is \(chainID)")
        }
    }

    /// Step 3: from the genesis set, each announced change is committed by the set current at its height, and
    /// the set it hands over hashes to what the header announced; the last set is the one that signs `header`.
    private func followValidatorChain(from genesisSet: ValidatorSet) throws(ProofFailure) -> ValidatorSet {
        var current = genesisSet
        var lastHeight: UInt64 = 0
        for (index, link) in validatorChain.enumerated() {
            let at = "validator change \(index + 1) (announced at height \(link.header.height))"
            guard link.header.height > lastHeight, link.header.height < header.height else {
                throw ProofFailure(
                    .validatorChain,
                    "\(at): changes must be in ascending height order, after height \(lastHeight) "
                        + "and before the header's height \(header.height)")
            }
            guard link.header.validatorsHash == current.hash else {
                throw ProofFailure(
                    .validatorChain,
                    "\(at): the header names validator set \(link.header.validatorsHash.hex), but "
                        + "the set traced from genesis is \(current.hash.hex)")
            }
            guard link.header.nextValidatorsHash != link.header.validatorsHash else {
                throw ProofFailure(.validatorChain, "\(at): the header announces no change of validator set")
            }
            let check = link.certificate.verify(header: link.header, validators: current)
            guard check == .valid else {
                throw ProofFailure(.validatorChain, "\(at): " + describe(check, link.certificate, link.header, current))
            }
            guard link.validators.hash == link.header.nextValidatorsHash else {
                throw ProofFailure(
                    .validatorChain,
                    "\(at): the new set hashes to \(link.validators.hash.hex), but the header "
                        + "announced \(link.header.nextValidatorsHash.hex)")
            }
            current = link.validators
            lastHeight = link.header.height
        }
        guard header.validatorsHash == current.hash else {
            throw ProofFailure(
                .validatorChain,
                "the header at height \(header.height) names validator set "
                    + "\(header.validatorsHash.hex), but the set traced from genesis through \(validatorChain.count) "
                    + "change(s) is \(current.hash.hex)")
        }
        return current
    }

    /// Step 4: a quorum of that set precommitted to this very header.
    private func checkCertificate(_ validators: ValidatorSet) throws(ProofFailure) {
        let check = certificate.verify(header: header, validators: validators)
        guard check == .valid else {
            throw ProofFailure(.certificate, describe(check, certificate, header, validators))
        }
    }

    /// Step 5: the transaction's signature holds under the key the bundle names (a consistency check: see
    /// `signerPublicKey`).
    private func checkSignature(_ signed: Transaction) throws(ProofFailure) {
        guard signed.hasValidSignature(key: signerPublicKey) else {
            throw ProofFailure(
                .signature, "the transaction's signature does not verify under the signer key \(signerPublicKey.hex)")
        }
    }

    /// Step 6: the transaction is leaf `logIndex` of the log the header commits to.
    private func checkInclusion() throws(ProofFailure) {
        guard logIndex < header.logSize else {
            throw ProofFailure(
                .inclusion, "log index \(logIndex) is outside the header's log of \(header.logSize) transactions")
        }
        guard header.logSize <= UInt64(Int.max),
            MerkleTree.verifyInclusion(
                leafHash: MerkleTree.leafHash(transaction), index: Int(logIndex), treeSize: Int(header.logSize),
                proof: inclusionProof, root: header.logRoot)
        else {
            throw ProofFailure(
                .inclusion,
                "the inclusion proof does not lead from the transaction at log index \(logIndex) to the "
                    + "header's log root \(header.logRoot.hex) (size \(header.logSize))")
        }
    }

    private func describe(
        _ check: CertificateCheck, _ certificate: CommitCertificate, _ header: BlockHeader, _ validators: ValidatorSet
    ) -> String {
        switch check {
        case .valid:
            return "the certificate is valid"
        case .wrongBlock:
            return "the certificate is for height \(certificate.height), block \(certificate.blockID.hex), but the "
                + "header is height \(header.height), block \(header.id.hex)"
        case .wrongValidatorSet:
            return "the header names validator set \(header.validatorsHash.hex), not \(validators.hash.hex)"
        case .unknownValidator(let member):
            return "the certificate holds a precommit from \(member.hex), which is not in the signing validator set"
        case .badSignature(let member):
            return "the precommit signature of validator \(member.hex) does not verify for this block"
        case .noQuorum(let signers, let quorum):
            return "\(signers) distinct validator(s) signed the certificate; a quorum of the \(validators.count) "
                + "validators is \(quorum)"
        }
    }
}
