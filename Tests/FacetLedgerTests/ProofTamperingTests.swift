import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

/// Every way of tampering with a bundle fails, and with the code of the check it breaks.
@Suite struct ProofTamperingTests {
    static let trail = ChainFixture.auditTrail()
    static var chain: ChainFixture { trail.chain }
    /// Signed by the genesis set: no validator change to follow.
    static var early: ProofBundle { chain.bundle(for: trail.piece) }
    /// Signed by the new set, after one validator change.
    static var late: ProofBundle { chain.bundle(for: trail.invoice) }

    private func code(_ bundle: ProofBundle, genesis: Genesis = ProofTamperingTests.chain.genesis) -> String? {
        switch bundle.verify(genesis: genesis) {
        case .success: return nil
        case .failure(let failure):
            #expect(!failure.message.isEmpty)
            return failure.code.rawValue
        }
    }

    private func tampered(_ bundle: ProofBundle, _ change: (inout ProofBundle) -> Void) -> ProofBundle {
        var copy = bundle
        change(&copy)
        return copy
    }

    @Test func untouchedBundlesVerify() {
        #expect(code(Self.early) == nil)
        #expect(code(Self.late) == nil)
    }

    // MARK: The transaction

    @Test func aFlippedByteInTheTransactionFails() {
        for bundle in [Self.early, Self.late] {
            let count = bundle.transaction.count
            // The signature's last byte, a nonce byte (label "facet-test" is 11 bytes, the signer 32), a body byte.
            for (offset, expected) in [(count - 1, "proof.signature"), (11 + 32 + 7, "proof.signature")] {
                #expect(code(tampered(bundle) { $0.transaction[offset] ^= 0x01 }) == expected)
            }
            // The chain id's length byte: the encoding no longer parses.
            #expect(code(tampered(bundle) { $0.transaction[0] ^= 0x40 }) == "proof.malformed")
            #expect(code(tampered(bundle) { $0.transaction.append(0) }) == "proof.malformed")
            #expect(code(tampered(bundle) { $0.transaction.removeLast() }) == "proof.malformed")
        }
    }

    @Test func aValidlySignedTransactionThatIsNotInTheLogFails() throws {
        var chain = Self.chain
        let other = chain.sign("firmA", .grantConsent(.init(lender: chain.id("lender2"), expiresAt: nil)))
        #expect(other.hasValidSignature(key: chain.actor("firmA").key.publicKey))
        #expect(code(tampered(Self.early) { $0.transaction = other.canonicalBytes }) == "proof.inclusion")
        let otherChain = Label.facet("facet-other")
        let foreign = Transaction.signed(
            chainID: otherChain, signer: chain.id("firmA"), nonce: 1, body: other.body,
            key: chain.actor("firmA").key)
        #expect(code(tampered(Self.early) { $0.transaction = foreign.canonicalBytes }) == "proof.wrong_chain")
    }

    @Test func anotherSignerKeyFails() {
        let key = Self.chain.actor("firmB").key.publicKey
        #expect(code(tampered(Self.late) { $0.signerPublicKey = key }) == "proof.signature")
    }

    // MARK: The inclusion proof

    @Test func aWrongIndexFails() {
        for bundle in [Self.early, Self.late] {
            #expect(code(tampered(bundle) { $0.logIndex += 1 }) == "proof.inclusion")
            #expect(code(tampered(bundle) { $0.logIndex -= 1 }) == "proof.inclusion")
            #expect(code(tampered(bundle) { $0.logIndex = bundle.header.logSize }) == "proof.inclusion")
            #expect(code(tampered(bundle) { $0.logIndex = .max }) == "proof.inclusion")
        }
    }

    @Test func aChangedProofEntryFails() {
        for bundle in [Self.early, Self.late] {
            #expect(!bundle.inclusionProof.isEmpty)
            for index in bundle.inclusionProof.indices {
                let flipped = tampered(bundle) {
                    var bytes = $0.inclusionProof[index].bytes
                    bytes[31] ^= 0x80
                    $0.inclusionProof[index] = Hash256(bytes: bytes)
                }
                #expect(code(flipped) == "proof.inclusion")
            }
            #expect(code(tampered(bundle) { $0.inclusionProof.removeLast() }) == "proof.inclusion")
            #expect(code(tampered(bundle) { $0.inclusionProof.append(.zero) }) == "proof.inclusion")
            #expect(code(tampered(bundle) { $0.inclusionProof.reverse() }) == "proof.inclusion")
            let tooLong = tampered(bundle) { $0.inclusionProof = Array(repeating: .zero, count: 65) }
            #expect(code(tooLong) == "proof.malformed")
        }
    }

    // MARK: The header

    @Test func aChangedHeaderFieldFails() {
        let edits: [(String, (inout BlockHeader) -> Void)] = [
            ("height", { $0.height += 1 }),
            ("time", { $0.time = Timestamp(uncheckedMillis: $0.time.millis + 1) }),
            ("previous block", { $0.previousBlockID = .zero }),
            ("transaction root", { $0.transactionRoot = .zero }),
            ("transaction count", { $0.transactionCount += 1 }),
            ("results root", { $0.resultsRoot = .zero }),
            ("log size", { $0.logSize += 1 }),
            ("log root", { $0.logRoot = .zero }),
            ("state root", { $0.stateRoot = .zero }),
            ("next validators", { $0.nextValidatorsHash = .zero }),
            ("proposer", { $0.proposer = MemberID(.zero) }),
        ]
        for bundle in [Self.early, Self.late] {
            for (field, edit) in edits {
                #expect(code(tampered(bundle) { edit(&$0.header) }) == "proof.certificate", "header \(field)")
            }
            #expect(code(tampered(bundle) { $0.header.chainID = .facet("facet-other") }) == "proof.wrong_chain")
            #expect(code(tampered(bundle) { $0.header.validatorsHash = .zero }) == "proof.validator_chain")
        }
    }

    @Test func aLaterLogRootWithAMatchingProofStillNeedsTheCertificate() {
        // Rebuilding the header around a forged log (new root, proof and all) cannot carry the validators' signatures.
        var forged = Self.early
        let leaf = MerkleTree.leafHash(forged.transaction)
        forged.header.logSize = 1
        forged.header.logRoot = leaf
        forged.logIndex = 0
        forged.inclusionProof = []
        #expect(code(forged) == "proof.certificate")
    }

    // MARK: The certificate

    @Test func aCertificateWithTooFewSignaturesFails() {
        for bundle in [Self.early, Self.late] {
            #expect(bundle.certificate.signatures.count == 3)
            #expect(code(tampered(bundle) { $0.certificate.signatures.removeLast() }) == "proof.certificate")
            #expect(code(tampered(bundle) { $0.certificate.signatures = [] }) == "proof.certificate")
        }
    }

    @Test func aSignatureFromANonValidatorFails() {
        let chain = Self.chain
        for bundle in [Self.early, Self.late] {
            let outsider = chain.precommit(bundle.header, by: chain.id("firmA"))
            #expect(code(tampered(bundle) { $0.certificate.signatures.append(outsider) }) == "proof.certificate")
            var replaced = bundle
            replaced.certificate = CommitCertificate(
                height: bundle.header.height, round: 0, blockID: bundle.header.id,
                signatures: Array(bundle.certificate.signatures.dropLast()) + [outsider])
            #expect(code(replaced) == "proof.certificate")
        }
        // v1 left the set at block 13: its precommit no longer counts.
        let late = Self.late
        let retired = chain.precommit(late.header, by: chain.id("v1"))
        var withRetired = late
        withRetired.certificate = CommitCertificate(
            height: late.header.height, round: 0, blockID: late.header.id,
            signatures: Array(late.certificate.signatures.dropLast()) + [retired])
        #expect(code(withRetired) == "proof.certificate")
    }

    @Test func aSignatureOverAnotherBlockFails() {
        let chain = Self.chain
        for bundle in [Self.early, Self.late] {
            let previous = chain.headers[Int(bundle.header.height) - 2]
            let member = bundle.certificate.signatures[0].validator
            let stale = chain.precommit(previous, by: member)
            var swapped = bundle
            swapped.certificate.signatures[0] = CommitSignature(validator: member, signature: stale.signature)
            #expect(code(swapped) == "proof.certificate")
            #expect(
                code(tampered(bundle) { $0.certificate = chain.certificates[Int(previous.height) - 1] })
                    == "proof.certificate")
            #expect(code(tampered(bundle) { $0.certificate.round += 1 }) == "proof.certificate")
            #expect(code(tampered(bundle) { $0.certificate.height += 1 }) == "proof.certificate")
        }
    }

    // MARK: The validator chain

    @Test func aForgedValidatorTransitionFails() {
        let chain = Self.chain
        let late = Self.late
        let forgers = ["firmA", "firmB", "firmC", "lender"].map {
            Validator(member: chain.id($0), publicKey: chain.actor($0).key.publicKey)
        }
        let forgedSet = ValidatorSet(forgers)
        // A new set that is not the one the header announced.
        #expect(code(tampered(late) { $0.validatorChain[0].validators = forgedSet }) == "proof.validator_chain")
        // A whole forged announcing header, certified by the forged set itself.
        var header = late.validatorChain[0].header
        header.nextValidatorsHash = forgedSet.hash
        let forgedLink = ValidatorTransition(
            header: header, certificate: chain.certificate(for: header, signers: forgers), validators: forgedSet)
        var forged = late
        forged.validatorChain = [forgedLink]
        forged.header.validatorsHash = forgedSet.hash
        forged.certificate = chain.certificate(for: forged.header, signers: forgers)
        #expect(code(forged) == "proof.validator_chain")
        // The same forged header, but with the genesis set's real certificate for the real header.
        #expect(code(tampered(late) { $0.validatorChain[0].header = header }) == "proof.validator_chain")
        // The transition left out, repeated, or moved after the header.
        #expect(code(tampered(late) { $0.validatorChain = [] }) == "proof.validator_chain")
        #expect(code(tampered(late) { $0.validatorChain += $0.validatorChain }) == "proof.validator_chain")
        let early = Self.early
        #expect(code(tampered(early) { $0.validatorChain = late.validatorChain }) == "proof.validator_chain")
        // A header that announces nothing is not a transition.
        let quiet = ValidatorTransition(
            header: chain.headers[4], certificate: chain.certificates[4], validators: chain.genesis.validatorSet)
        #expect(code(tampered(late) { $0.validatorChain.insert(quiet, at: 0) }) == "proof.validator_chain")
    }

    // MARK: The genesis

    @Test func aDifferentGenesisFails() {
        let genesis = Self.chain.genesis
        var otherChain = genesis
        otherChain.params.chainID = .facet("facet-other")
        #expect(code(Self.early, genesis: otherChain) == "proof.wrong_chain")
        #expect(code(Self.late, genesis: otherChain) == "proof.wrong_chain")
        let otherValidators = ChainFixture(seed: 99).genesis
        #expect(otherValidators.params.chainID == genesis.params.chainID)
        #expect(code(Self.early, genesis: otherValidators) == "proof.validator_chain")
        #expect(code(Self.late, genesis: otherValidators) == "proof.validator_chain")
        var withoutOneValidator = genesis
        withoutOneValidator.members.removeAll { $0.name == "v4" }
        #expect(code(Self.early, genesis: withoutOneValidator) == "proof.validator_chain")
    }

    // MARK: The file

    @Test func malformedFilesFail() throws {
        let json = Self.late.jsonData()
        func parse(_ edit: (inout [String: Any]) -> Void) -> String? {
            guard var object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else { return "bad" }
            edit(&object)
            guard let data = try? JSONSerialization.data(withJSONObject: object) else { return "bad" }
            do {
                _ = try ProofBundle(json: data)
                return nil
            } catch {
                return error.code.rawValue
            }
        }
        #expect(parse { _ in } == nil)
        #expect(parse { $0["version"] = 2 } == "proof.malformed")
        #expect(parse { $0["comment"] = "x" } == "proof.malformed")
        #expect(parse { $0["header"] = nil } == "proof.malformed")
        #expect(parse { $0["logIndex"] = "3" } == "proof.malformed")
        #expect(parse { $0["transaction"] = "zz" } == "proof.malformed")
        #expect(parse { $0["signerPublicKey"] = "00" } == "proof.malformed")
        #expect(parse { $0["header"] = ($0["header"] as? String ?? "") + "00" } == "proof.malformed")
        #expect(
            parse { $0["certificate"] = String(($0["certificate"] as? String ?? "").dropLast(2)) } == "proof.malformed")
        #expect(parse { $0["inclusionProof"] = ["00"] } == "proof.malformed")
        #expect(
            parse { $0["validatorChain"] = [["header": "00", "certificate": "00", "validators": "00"]] }
                == "proof.malformed")
        do {
            _ = try ProofBundle(json: Data("not json".utf8))
            Issue.record("parsed garbage")
        } catch {
            #expect(error.code == .malformed)
        }
    }
}

extension Label {
    /// A label known to be valid, for tests.
    fileprivate static func facet(_ text: String) -> Label {
        guard let label = try? Label(text) else { preconditionFailure("\(text) is not a label") }
        return label
    }
}
