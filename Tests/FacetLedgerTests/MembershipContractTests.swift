import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@Suite struct MembershipContractTests {
    @Test func adminRegistersAMemberWhoCanThenSign() {
        var f = LedgerFixture()
        let newcomer = f.addOutsider("newFirm", roles: .firm)
        let result = f.submit(
            "admin",
            .registerMember(
                .init(
                    name: "Shuibei Gold Co.", roles: .firm,
                    publicKey: newcomer.key.publicKey)))
        #expect(result.accepted)
        #expect(f.state.record(Member.self, newcomer.id.hash)?.status == .active)
        let registered = f.submit("newFirm", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
        #expect(registered.error?.code != .unknownSigner)
    }

    @Test func registrationRefusals() {
        var f = LedgerFixture()
        let newcomer = f.addOutsider("newFirm", roles: .firm)
        let body = RegisterMember(name: "X", roles: .firm, publicKey: newcomer.key.publicKey)
        var r = f.refusal("firmA", .registerMember(body))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal("admin", .registerMember(.init(name: "X", roles: [], publicKey: newcomer.key.publicKey)))
        #expect(r.code == .invalidRoles && r.unchanged)
        r = f.refusal("admin", .registerMember(.init(name: "", roles: .firm, publicKey: newcomer.key.publicKey)))
        #expect(r.code == .invalidRoles && r.unchanged)
        r = f.refusal(
            "admin",
            .registerMember(
                .init(
                    name: "Dup", roles: .firm,
                    publicKey: f.actor("firmA").key.publicKey)))
        #expect(r.code == .memberExists && r.unchanged)
        #expect(f.submit("admin", .registerMember(body)).accepted)
        r = f.refusal("admin", .registerMember(body))
        #expect(r.code == .memberExists && r.unchanged)
    }

    @Test func twoAdminApprovalsWhenTheConsortiumRequiresThem() {
        var f = LedgerFixture(params: LedgerParams(chainID: LedgerFixture.chainID, memberApprovals: 2))
        let newcomer = f.addOutsider("newFirm", roles: .firm)
        #expect(
            f.submit(
                "admin",
                .registerMember(
                    .init(
                        name: "N", roles: .firm,
                        publicKey: newcomer.key.publicKey))
            ).accepted)
        #expect(f.state.record(Member.self, newcomer.id.hash)?.status == .pending)
        var r = f.refusal("newFirm", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
        #expect(r.code == .signerNotActive && r.unchanged)
        r = f.refusal("admin", .approveMember(.init(member: newcomer.id)))
        #expect(r.code == .alreadyApproved && r.unchanged)
        r = f.refusal("firmA", .approveMember(.init(member: newcomer.id)))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal("admin2", .approveMember(.init(member: MemberID(SHA256Hash.digest([1, 2, 3])))))
        #expect(r.code == .unknownMember && r.unchanged)
        #expect(f.submit("admin2", .approveMember(.init(member: newcomer.id))).accepted)
        #expect(f.state.record(Member.self, newcomer.id.hash)?.status == .active)
        r = f.refusal("admin2", .approveMember(.init(member: newcomer.id)))
        #expect(r.code == .memberNotPending && r.unchanged)
    }

    @Test func envelopeRefusals() {
        var f = LedgerFixture()
        let body = TransactionBody.grantConsent(.init(lender: f.id("lender"), expiresAt: nil))
        let before = f.state.stateRoot

        let otherChain = Transaction.signed(
            chainID: try! Label("other-chain"), signer: f.id("firmA"), nonce: 1,
            body: body, key: f.actor("firmA").key)
        #expect(f.run([otherChain]).results[0].error?.code == .wrongChain)

        let outsider = f.addOutsider("stranger", roles: .firm)
        let unknown = f.sign("stranger", body)
        #expect(f.run([unknown]).results[0].error?.code == .unknownSigner)
        _ = outsider

        let forged = f.sign("firmA", body, key: f.actor("firmB").key)
        #expect(f.run([forged]).results[0].error?.code == .badSignature)
        #expect(f.state.stateRoot == before)

        let good = f.sign("firmA", body)
        #expect(f.run([good]).results[0].accepted)
        let afterGood = f.state.stateRoot
        let replay = f.run([good]).results[0]
        #expect(replay.error?.code == .nonceReplay)
        #expect(f.state.stateRoot == afterGood)
    }

    @Test func suspendedMembersSignNothingUntilReinstated() {
        var f = LedgerFixture()
        let consent = TransactionBody.grantConsent(.init(lender: f.id("lender"), expiresAt: nil))
        var r = f.refusal("firmA", .suspendMember(.init(member: f.id("firmB"), reason: "fraud")))
        #expect(r.code == .missingRole && r.unchanged)
        r = f.refusal("admin", .suspendMember(.init(member: f.id("admin"), reason: "self")))
        #expect(r.code == .notAuthorized && r.unchanged)
        #expect(f.submit("admin", .suspendMember(.init(member: f.id("firmB"), reason: "audit"))).accepted)
        r = f.refusal("firmB", consent)
        #expect(r.code == .signerSuspended && r.unchanged)
        r = f.refusal("admin", .suspendMember(.init(member: f.id("firmB"), reason: "again")))
        #expect(r.code == .memberNotActive && r.unchanged)
        r = f.refusal("admin", .reinstateMember(.init(member: f.id("firmA"))))
        #expect(r.code == .memberNotSuspended && r.unchanged)
        r = f.refusal("firmA", .reinstateMember(.init(member: f.id("firmB"))))
        #expect(r.code == .missingRole && r.unchanged)
        #expect(f.submit("admin", .reinstateMember(.init(member: f.id("firmB")))).accepted)
        #expect(f.submit("firmB", consent).accepted)
    }

    @Test func keyRotationNeedsProofOfTheNewKey() throws {
        var f = LedgerFixture()
        let firm = f.actor("firmA")
        let newKey = LedgerFixture.key(seed: 99, name: "firmA-rotated")
        let payload = MembershipRotation.payload(member: firm.id, newKey: newKey.publicKey)
        let proof = newKey.sign(purpose: .keyRotation, chainID: LedgerFixture.chainID, payload: payload)
        let wrongProof = firm.key.sign(purpose: .keyRotation, chainID: LedgerFixture.chainID, payload: payload)
        let wrongPurpose = newKey.sign(purpose: .transaction, chainID: LedgerFixture.chainID, payload: payload)

        var r = f.refusal("firmA", .rotateKey(.init(newKey: newKey.publicKey, proof: wrongProof)))
        #expect(r.code == .badKeyProof && r.unchanged)
        r = f.refusal("firmA", .rotateKey(.init(newKey: newKey.publicKey, proof: wrongPurpose)))
        #expect(r.code == .badKeyProof && r.unchanged)
        let taken = f.actor("firmB").key.publicKey
        r = f.refusal("firmA", .rotateKey(.init(newKey: taken, proof: proof)))
        #expect(r.code == .keyInUse && r.unchanged)

        #expect(f.submit("firmA", .rotateKey(.init(newKey: newKey.publicKey, proof: proof))).accepted)
        #expect(f.state.record(Member.self, firm.id.hash)?.publicKey == newKey.publicKey)
        // The old key no longer signs for the member; the new one does.
        let consent = TransactionBody.grantConsent(.init(lender: f.id("lender"), expiresAt: nil))
        let old = f.sign("firmA", consent)
        #expect(f.run([old]).results[0].error?.code == .badSignature)
        let new = f.sign("firmA", consent, key: newKey)
        #expect(f.run([new]).results[0].accepted)
    }

    @Test func validatorSetChangeNeedsAQuorumAndTakesEffectLater() {
        var f = LedgerFixture()
        let current = f.state.validators.current
        #expect(current.count == 4 && current.quorum == 3 && current.faultTolerance == 1)
        // Replace v4 by a new validator member.
        let v5 = f.addOutsider("v5", roles: .validator)
        #expect(
            f.submit(
                "admin",
                .registerMember(
                    .init(
                        name: "v5", roles: .validator,
                        publicKey: v5.key.publicKey))
            ).accepted)
        let newSet = ValidatorSet(
            ["v1", "v2", "v3"].map { Validator(member: f.id($0), publicKey: f.actor($0).key.publicKey) }
                + [Validator(member: v5.id, publicKey: v5.key.publicKey)])
        let effective = f.state.height + 1 + f.state.params.validatorChangeDelay + 100
        let payload = ValidatorChangePayload.bytes(validators: newSet, effectiveHeight: effective)
        func approval(_ name: String, purpose: SignaturePurpose = .validatorSetChange) -> ValidatorApproval {
            ValidatorApproval(
                validator: f.id(name),
                signature: f.actor(name).key.sign(
                    purpose: purpose, chainID: LedgerFixture.chainID, payload: payload))
        }
        let two = ChangeValidators(
            validators: newSet, effectiveHeight: effective,
            approvals: [approval("v1"), approval("v2")])
        var r = f.refusal("v1", .changeValidators(two))
        #expect(r.code == .validatorQuorum && r.unchanged)
        let duplicated = ChangeValidators(
            validators: newSet, effectiveHeight: effective + 1,
            approvals: [approval("v1"), approval("v2"), approval("v1")])
        r = f.refusal("v1", .changeValidators(duplicated))
        #expect(r.code == .badSignature || r.code == .validatorQuorum)
        #expect(r.unchanged)
        let wrongPurpose = ChangeValidators(
            validators: newSet, effectiveHeight: effective,
            approvals: [approval("v1"), approval("v2"), approval("v3", purpose: .precommit)])
        r = f.refusal("v1", .changeValidators(wrongPurpose))
        #expect(r.code == .badSignature && r.unchanged)
        let outsiderApproval = ChangeValidators(
            validators: newSet, effectiveHeight: effective,
            approvals: [approval("v1"), approval("v2"), approval("firmA")])
        r = f.refusal("v1", .changeValidators(outsiderApproval))
        #expect(r.code == .validatorQuorum && r.unchanged)
        r = f.refusal("firmA", .changeValidators(two))
        #expect(r.code == .missingRole && r.unchanged)
        let tooSoon = ChangeValidators(
            validators: newSet, effectiveHeight: f.state.height + 1,
            approvals: [approval("v1"), approval("v2"), approval("v3")])
        r = f.refusal("v1", .changeValidators(tooSoon))
        #expect(r.code == .validatorEffectiveHeight && r.unchanged)

        let effectiveNow = f.state.height + 1 + f.state.params.validatorChangeDelay
        let payloadNow = ValidatorChangePayload.bytes(validators: newSet, effectiveHeight: effectiveNow)
        let approvals = ["v1", "v2", "v3"].map { name in
            ValidatorApproval(
                validator: f.id(name),
                signature: f.actor(name).key.sign(
                    purpose: .validatorSetChange, chainID: LedgerFixture.chainID, payload: payloadNow))
        }
        #expect(
            f.submit(
                "v1",
                .changeValidators(
                    .init(
                        validators: newSet, effectiveHeight: effectiveNow,
                        approvals: approvals))
            ).accepted)
        #expect(f.state.validators.next == newSet)
        r = f.refusal(
            "v2",
            .changeValidators(
                .init(
                    validators: newSet, effectiveHeight: effectiveNow + 5,
                    approvals: approvals)))
        #expect(r.code == .validatorChangePending && r.unchanged)
        while f.state.height + 1 < effectiveNow { f.run([]) }
        #expect(f.state.validators.current == current)
        f.run([])
        #expect(f.state.height == effectiveNow)
        #expect(f.state.validators.current == newSet && f.state.validators.next == nil)
    }

    @Test func validatorSetChangesMustNameARealNewSet() {
        var f = LedgerFixture()
        let current = f.state.validators.current
        let effective = f.state.height + 100
        func change(_ set: ValidatorSet) -> ChangeValidators {
            let payload = ValidatorChangePayload.bytes(validators: set, effectiveHeight: effective)
            return ChangeValidators(validators: set, effectiveHeight: effective, approvals: ["v1", "v2", "v3"].map {
                ValidatorApproval(validator: f.id($0), signature: f.actor($0).key.sign(
                    purpose: .validatorSetChange, chainID: LedgerFixture.chainID, payload: payload))
            })
        }
        var r = f.refusal("v1", .changeValidators(change(current)))
        #expect(r.code == .validatorSetInvalid && r.unchanged)
        let wrongKey = ValidatorSet(current.validators.dropLast() + [
            Validator(member: current.validators.last!.member, publicKey: f.actor("firmA").key.publicKey)
        ])
        r = f.refusal("v1", .changeValidators(change(wrongKey)))
        #expect(r.code == .validatorSetInvalid && r.unchanged)
        let notValidator = ValidatorSet(current.validators.dropLast() + [
            Validator(member: f.id("firmA"), publicKey: f.actor("firmA").key.publicKey)
        ])
        r = f.refusal("v1", .changeValidators(change(notValidator)))
        #expect(r.code == .missingRole && r.unchanged)
        #expect(f.submit("admin", .suspendMember(.init(member: f.id("v4"), reason: "offline"))).accepted)
        r = f.refusal("v1", .changeValidators(change(ValidatorSet(current.validators.filter { $0.member != f.id("v1") }))))
        #expect(r.code == .memberNotActive && r.unchanged)
    }
}
