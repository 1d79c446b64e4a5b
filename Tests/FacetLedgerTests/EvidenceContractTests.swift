import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// `report_evidence`: a validator records another validator's proven equivocation, once per (offender, slot).
@Suite struct EvidenceContractTests {
    /// Two precommits of `name` at (height, round 0) for different blocks, in canonical order.
    static func conflictingPrecommits(
        _ f: LedgerFixture, _ name: String, height: UInt64, key: SigningKey? = nil,
        chainID: Label = LedgerFixture.chainID
    ) -> Misbehavior {
        let signer = key ?? f.actor(name).key
        func vote(_ block: UInt8) -> Vote {
            Vote.sign(
                .precommit, height: height, round: 0, blockID: SHA256Hash.digest([block]), chainID: chainID,
                validator: f.id(name), key: signer)
        }
        guard let pair = Misbehavior.votes(vote(1), vote(2)) else { preconditionFailure("the votes conflict") }
        return pair
    }

    static func conflictingProposals(_ f: LedgerFixture, _ name: String, height: UInt64, round: UInt32) -> Misbehavior {
        func proposal(_ block: UInt8) -> Proposal {
            Proposal.sign(
                height: height, round: round, validRound: nil, blockID: SHA256Hash.digest([block]),
                chainID: LedgerFixture.chainID, proposer: f.id(name), key: f.actor(name).key)
        }
        guard let pair = Misbehavior.proposals(proposal(1), proposal(2)) else { preconditionFailure("they conflict") }
        return pair
    }

    @Test func aValidatorRecordsAnotherValidatorsConflictingVotes() {
        var f = LedgerFixture()
        f.run([])
        let misbehavior = Self.conflictingPrecommits(f, "v2", height: f.state.height)
        let transaction = f.sign("v1", .reportEvidence(.init(misbehavior: misbehavior)))
        let outcome = f.run([transaction])
        #expect(outcome.results[0].accepted, "refused: \(String(describing: outcome.results[0].error))")
        let id = EvidenceRecord.id(offender: f.id("v2"), slot: misbehavior.slot)
        let record = f.state.record(EvidenceRecord.self, id)
        #expect(record?.id == id)
        #expect(record?.offender == f.id("v2") && record?.reporter == f.id("v1"))
        #expect(record?.slot == ConsensusSlot(height: 1, round: 0, step: .precommit))
        #expect(record?.kind == .conflictingVotes)
        #expect(record?.height == outcome.height && record?.time == outcome.time)
        #expect(outcome.touched[0].contains(StateKey(.evidence, id)))
        #expect(transaction.body.kind.description == "report_evidence" && transaction.body.tag == 7)
    }

    @Test func conflictingProposalsAtTheCurrentHeightAreRecorded() {
        var f = LedgerFixture()
        let misbehavior = Self.conflictingProposals(f, "v3", height: f.state.height + 1, round: 2)
        #expect(f.submit("v4", .reportEvidence(.init(misbehavior: misbehavior))).accepted)
        let id = EvidenceRecord.id(offender: f.id("v3"), slot: ConsensusSlot(height: 1, round: 2, step: .propose))
        #expect(f.state.record(EvidenceRecord.self, id)?.kind == .conflictingProposals)
    }

    @Test func aValidatorOfTheScheduledSetCanBeReported() {
        var f = LedgerFixture()
        let newcomer = f.addOutsider("v5", roles: .validator)
        var schedule = f.state.validators
        schedule.next = ValidatorSet(
            schedule.current.validators + [Validator(member: newcomer.id, publicKey: newcomer.key.publicKey)])
        schedule.nextEffectiveHeight = 50
        f.inject([.validators: .validators(schedule)])
        let misbehavior = Self.conflictingPrecommits(f, "v5", height: 1)
        #expect(f.submit("v1", .reportEvidence(.init(misbehavior: misbehavior))).accepted)
        #expect(
            f.state.record(EvidenceRecord.self, EvidenceRecord.id(offender: newcomer.id, slot: misbehavior.slot)) != nil
        )
    }

    @Test func refusalsKeepTheStateAndSayWhy() {
        var f = LedgerFixture()
        f.run([])
        let height = f.state.height
        let proven = Self.conflictingPrecommits(f, "v2", height: height)

        var r = f.refusal("firmA", .reportEvidence(.init(misbehavior: proven)))
        #expect(r.code == .missingRole && r.unchanged)

        let outsider = Self.conflictingPrecommits(f, "firmA", height: height)
        r = f.refusal("v1", .reportEvidence(.init(misbehavior: outsider)))
        #expect(r.code == .evidenceUnknownOffender && r.unchanged)

        let future = Self.conflictingPrecommits(f, "v2", height: f.state.height + 2)
        r = f.refusal("v1", .reportEvidence(.init(misbehavior: future)))
        #expect(r.code == .evidenceFutureSlot && r.unchanged)

        let forged = Self.conflictingPrecommits(f, "v2", height: height, key: f.actor("v3").key)
        r = f.refusal("v1", .reportEvidence(.init(misbehavior: forged)))
        #expect(r.code == .evidenceNotProven && r.unchanged)

        let otherChain = Self.conflictingPrecommits(f, "v2", height: height, chainID: try! Label("facet-other"))
        r = f.refusal("v1", .reportEvidence(.init(misbehavior: otherChain)))
        #expect(r.code == .evidenceNotProven && r.unchanged)

        guard case .conflictingVotes(let first, let second) = proven else { preconditionFailure() }
        r = f.refusal("v1", .reportEvidence(.init(misbehavior: .conflictingVotes(second, first))))
        #expect(r.code == .evidenceNotProven && r.unchanged, "messages out of canonical order")
        r = f.refusal("v1", .reportEvidence(.init(misbehavior: .conflictingVotes(first, first))))
        #expect(r.code == .evidenceNotProven && r.unchanged, "a message does not conflict with itself")

        #expect(f.submit("v1", .reportEvidence(.init(misbehavior: proven))).accepted)
        // The same slot again, even through other conflicting messages or from another reporter.
        let again = Self.conflictingPrecommits(f, "v2", height: height, key: nil)
        r = f.refusal("v3", .reportEvidence(.init(misbehavior: again)))
        #expect(r.code == .evidenceDuplicate && r.unchanged)
        func vote(_ block: UInt8) -> Vote {
            Vote.sign(
                .precommit, height: height, round: 0, blockID: SHA256Hash.digest([block, block]),
                chainID: LedgerFixture.chainID, validator: f.id("v2"), key: f.actor("v2").key)
        }
        r = f.refusal("v4", .reportEvidence(.init(misbehavior: Misbehavior.votes(vote(7), vote(8))!)))
        #expect(r.code == .evidenceDuplicate && r.unchanged)
        // Another round of the same height is another slot.
        let nextRound = Vote.sign(
            .precommit, height: height, round: 1, blockID: SHA256Hash.digest([1]), chainID: LedgerFixture.chainID,
            validator: f.id("v2"), key: f.actor("v2").key)
        let nextRoundOther = Vote.sign(
            .precommit, height: height, round: 1, blockID: nil, chainID: LedgerFixture.chainID,
            validator: f.id("v2"), key: f.actor("v2").key)
        #expect(
            f.submit("v4", .reportEvidence(.init(misbehavior: Misbehavior.votes(nextRound, nextRoundOther)!)))
                .accepted)
    }

    @Test func anEvidenceRecordRoundTripsAndChecksItsID() throws {
        let record = EvidenceRecord(
            offender: MemberID(SHA256Hash.digest([1])), slot: ConsensusSlot(height: 9, round: 1, step: .prevote),
            kind: .conflictingVotes, reporter: MemberID(SHA256Hash.digest([2])), height: 10,
            time: Timestamp(uncheckedMillis: 1_767_225_600_000))
        let value = StateValue.evidence(record)
        #expect(try StateValue(canonicalBytes: value.canonicalBytes) == value)
        var bytes = record.canonicalBytes
        bytes[0] ^= 1
        #expect(throws: CoreError.self) { try EvidenceRecord(canonicalBytes: bytes) }
    }
}
