import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// Algorithm 1's cases, driving one machine (validator 0 of four, f = 1, quorum 3) with messages signed by the
/// fixture's real keys. At height 1 the proposer of round r is validator (1 + r) mod 4: 1, 2, 3, then 0.
@Suite struct TendermintTests {
    let cast = ConsensusCast()
    let a = ConsensusCast.block("A")
    let b = ConsensusCast.block("B")

    func started(_ index: Int = 0, lastSigned: ConsensusSlot? = nil) -> (Tendermint, [ConsensusAction]) {
        var machine = cast.machine(index, lastSigned: lastSigned)
        let actions = machine.start(height: 1, validators: cast.validators)
        return (machine, actions)
    }

    @Test func proposerRotatesByHeightAndRoundInMemberOrder() throws {
        let validators = cast.validators
        #expect(cast.members == cast.members.sorted())
        for height in UInt64(0)...9 {
            for round in UInt32(0)...9 {
                let expected = cast.members[Int((height + UInt64(round)) % 4)]
                #expect(Tendermint.proposer(height: height, round: round, validators: validators) == expected)
            }
        }
        let firstRounds = (UInt32(0)...3).map { Tendermint.proposer(height: 5, round: $0, validators: validators) }
        #expect(Set(firstRounds).count == 4, "every validator proposes once in four rounds")
        #expect(cast.members.contains(Tendermint.proposer(height: .max, round: .max, validators: validators)))
    }

    @Test func commitsInRoundZeroInTheNormalCase() throws {
        var (machine, actions) = started()
        #expect(actions.timeouts.map(\.kind) == [.propose])
        #expect(actions.votes.isEmpty)
        actions = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        #expect(actions.persisted == [ConsensusSlot(height: 1, round: 0, step: .prevote)])
        #expect(actions.votes.map(\.blockID) == [a])
        #expect(actions.first == .persist(ConsensusSlot(height: 1, round: 0, step: .prevote)), "persist comes first")
        #expect(machine.step == .prevote)
        actions = machine.feed([cast.vote(.prevote, 1, round: 0, a), cast.vote(.prevote, 2, round: 0, a)])
        #expect(actions.votes.map(\.kind) == [.precommit])
        #expect(actions.votes.map(\.blockID) == [a])
        #expect(machine.lockedValue == a && machine.lockedRound == 0)
        #expect(machine.validValue == a && machine.validRound == 0)
        actions = machine.feed([cast.vote(.precommit, 1, round: 0, a)])
        #expect(actions.decisions.isEmpty, "two precommits are not a quorum")
        actions = machine.feed([cast.vote(.precommit, 3, round: 0, a)])
        let decision = try #require(actions.decisions.first)
        #expect(decision.height == 1 && decision.round == 0 && decision.blockID == a)
        #expect(decision.precommits.count == 3)
        let certificate = decision.certificate
        #expect(certificate.signatures.count == 3)
        for precommit in decision.precommits {
            let key = cast.validators.validator(precommit.validator)!.publicKey
            #expect(precommit.hasValidSignature(key: key, chainID: cast.chainID))
        }
        #expect(machine.decision == decision)
        #expect(machine.handle(cast.vote(.precommit, 2, round: 0, a)).isEmpty, "a decided height is closed")
    }

    @Test func theProposerAsksForAValueAndProposesItWithValidRoundMinusOne() throws {
        var machine = cast.machine(1)
        var actions = machine.start(height: 1, validators: cast.validators)
        #expect(actions == [.requestProposalValue(height: 1, round: 0)])
        #expect(machine.handle(.proposalValue(a, height: 1, round: 1)).isEmpty, "a stale answer is ignored")
        actions = machine.handle(.proposalValue(a, height: 1, round: 0))
        #expect(actions.persisted.first == ConsensusSlot(height: 1, round: 0, step: .propose))
        let proposal = try #require(actions.proposals.first)
        #expect(proposal.validRound == nil && proposal.blockID == a && proposal.proposer == cast.members[1])
        #expect(proposal.hasValidSignature(key: cast.validators.validators[1].publicKey, chainID: cast.chainID))
        #expect(actions.votes.map(\.blockID) == [a], "its own proposal reaches it: it prevotes")
    }

    @Test func anInvalidProposalGetsANilPrevote() throws {
        var (machine, _) = started()
        let actions = machine.handle(.proposal(cast.proposal(round: 0, a), valid: false))
        #expect(actions.votes.count == 1)
        #expect(actions.votes.first?.kind == .prevote && actions.votes.first?.blockID == nil)
    }

    @Test func aProposalFromAnotherValidatorThanTheProposerIsIgnored() throws {
        var (machine, _) = started()
        let wrong = Proposal.sign(
            height: 1, round: 0, validRound: nil, blockID: a, chainID: cast.chainID, proposer: cast.members[2],
            key: cast.keys[cast.members[2]]!)
        #expect(machine.handle(.proposal(wrong, valid: true)).isEmpty)
        #expect(machine.step == .propose)
    }

    @Test func eachTimeoutMovesTheRoundOnAndTimeoutsGrowPerRound() throws {
        var (machine, actions) = started()
        let proposeTimeout = try #require(actions.timeouts.first)
        #expect(proposeTimeout.kind == .propose && proposeTimeout.after == .milliseconds(400))
        actions = machine.handle(.timeout(.propose, height: 1, round: 0))
        #expect(actions.votes.map(\.kind) == [.prevote] && actions.votes.first?.blockID == nil)
        actions = machine.feed([cast.vote(.prevote, 1, round: 0, a)])
        #expect(actions.timeouts.isEmpty)
        actions = machine.feed([cast.vote(.prevote, 2, round: 0, b)])
        #expect(actions.timeouts.map(\.kind) == [.prevote], "2f+1 prevotes of any kind start the prevote timeout")
        #expect(actions.timeouts.first?.after == .milliseconds(200))
        #expect(machine.feed([cast.vote(.prevote, 3, round: 0, b)]).timeouts.isEmpty, "only the first time")
        #expect(machine.handle(.timeout(.prevote, height: 1, round: 7)).isEmpty, "another round's timeout")
        actions = machine.handle(.timeout(.prevote, height: 1, round: 0))
        #expect(actions.votes.map(\.kind) == [.precommit] && actions.votes.first?.blockID == nil)
        #expect(machine.step == .precommit)
        actions = machine.feed([cast.vote(.precommit, 1, round: 0, a), cast.vote(.precommit, 2, round: 0, nil)])
        #expect(actions.timeouts.map(\.kind) == [.precommit])
        #expect(actions.timeouts.first?.after == .milliseconds(300))
        actions = machine.handle(.timeout(.precommit, height: 1, round: 0))
        #expect(machine.round == 1 && machine.step == .propose)
        #expect(actions.timeouts.map(\.kind) == [.propose])
        #expect(actions.timeouts.first?.after == .milliseconds(500), "round 1 waits one increment longer")
        #expect(ConsensusCast.timeouts.duration(.prevote, round: 5) == .milliseconds(700))
    }

    /// Locked on A in round 0, the machine prevotes nil for B in round 1 (line 22), then unlocks and prevotes B
    /// in round 2 when B is proposed with valid round 1 and it has seen 2f+1 prevotes for B in round 1 (line 28),
    /// and relocks on B (line 36).
    @Test func aLockHoldsUntilALaterPolkaThenRelocks() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        var actions = machine.feed([cast.vote(.prevote, 1, round: 0, a), cast.vote(.prevote, 2, round: 0, a)])
        #expect(actions.votes.map(\.blockID) == [a])
        #expect(machine.lockedValue == a && machine.lockedRound == 0)
        _ = machine.feed([cast.vote(.precommit, 1, round: 0, nil), cast.vote(.precommit, 2, round: 0, nil)])
        _ = machine.handle(.timeout(.precommit, height: 1, round: 0))
        #expect(machine.round == 1)

        actions = machine.handle(.proposal(cast.proposal(round: 1, b), valid: true))
        #expect(actions.votes.count == 1 && actions.votes.first?.blockID == nil, "locked on A: nil for B")
        _ = machine.feed([cast.vote(.prevote, 1, round: 1, b), cast.vote(.prevote, 2, round: 1, b)])
        #expect(machine.lockedValue == a, "two prevotes for B are not a polka")
        _ = machine.handle(.timeout(.prevote, height: 1, round: 1))
        _ = machine.feed([cast.vote(.precommit, 1, round: 1, nil), cast.vote(.precommit, 2, round: 1, nil)])
        _ = machine.handle(.timeout(.precommit, height: 1, round: 1))
        #expect(machine.round == 2 && machine.step == .propose)

        actions = machine.handle(.proposal(cast.proposal(round: 2, validRound: 1, b), valid: true))
        #expect(actions.votes.isEmpty, "line 28 waits for 2f+1 prevotes at the valid round")
        actions = machine.handle(cast.vote(.prevote, 3, round: 1, b))
        #expect(actions.votes.map(\.kind) == [.prevote] && actions.votes.first?.blockID == b)
        #expect(machine.lockedValue == a, "prevoting B does not yet move the lock")
        actions = machine.feed([cast.vote(.prevote, 1, round: 2, b), cast.vote(.prevote, 3, round: 2, b)])
        #expect(actions.votes.map(\.kind) == [.precommit] && actions.votes.first?.blockID == b)
        #expect(machine.lockedValue == b && machine.lockedRound == 2)
    }

    @Test func aValidRoundOlderThanTheLockGetsNilForAnotherValue() throws {
        var (machine, _) = started()
        // Round 0: a polka for B exists (seen late); round 1: lock on A.
        _ = machine.handle(.timeout(.propose, height: 1, round: 0))
        _ = machine.feed([cast.vote(.prevote, 1, round: 0, b), cast.vote(.prevote, 2, round: 0, b)])
        _ = machine.handle(.timeout(.prevote, height: 1, round: 0))
        _ = machine.feed([cast.vote(.precommit, 1, round: 0, nil), cast.vote(.precommit, 2, round: 0, nil)])
        _ = machine.handle(.timeout(.precommit, height: 1, round: 0))
        _ = machine.handle(.proposal(cast.proposal(round: 1, a), valid: true))
        _ = machine.feed([cast.vote(.prevote, 1, round: 1, a), cast.vote(.prevote, 2, round: 1, a)])
        #expect(machine.lockedValue == a && machine.lockedRound == 1)
        _ = machine.feed([cast.vote(.precommit, 1, round: 1, nil), cast.vote(.precommit, 2, round: 1, nil)])
        _ = machine.handle(.timeout(.precommit, height: 1, round: 1))
        // Round 2 proposes B with valid round 0 < locked round 1.
        let actions = machine.feed([
            .proposal(cast.proposal(round: 2, validRound: 0, b), valid: true), cast.vote(.prevote, 3, round: 0, b),
        ])
        #expect(actions.votes.count == 1 && actions.votes.first?.blockID == nil)
    }

    /// Line 36 after the machine already precommitted nil: it records the valid value without locking, and when
    /// it becomes proposer it re-proposes that value with its valid round instead of asking for a new one.
    @Test func aValidValueIsRecordedAndReproposed() throws {
        var (machine, _) = started()
        _ = machine.handle(.timeout(.propose, height: 1, round: 0))
        _ = machine.feed([cast.vote(.prevote, 1, round: 0, a), cast.vote(.prevote, 3, round: 0, a)])
        _ = machine.handle(.timeout(.prevote, height: 1, round: 0))
        #expect(machine.step == .precommit)
        var actions = machine.feed([
            .proposal(cast.proposal(round: 0, a), valid: true), cast.vote(.prevote, 2, round: 0, a),
        ])
        #expect(actions.votes.isEmpty, "already precommitted")
        #expect(machine.validValue == a && machine.validRound == 0)
        #expect(machine.lockedValue == nil && machine.lockedRound == nil)
        // f+1 validators are in round 3, where validator 0 proposes.
        actions = machine.feed([cast.vote(.prevote, 1, round: 3, nil), cast.vote(.precommit, 2, round: 3, nil)])
        #expect(machine.round == 3)
        #expect(!actions.contains(.requestProposalValue(height: 1, round: 3)))
        let proposal = try #require(actions.proposals.first)
        #expect(proposal.round == 3 && proposal.blockID == a && proposal.validRound == 0)
    }

    @Test func fPlusOneMessagesOfAHigherRoundSkipToIt() throws {
        var (machine, _) = started()
        _ = machine.feed([cast.vote(.prevote, 1, round: 5, a)])
        #expect(machine.round == 0, "one validator (f) is not enough")
        _ = machine.feed([cast.vote(.precommit, 1, round: 5, a)])
        #expect(machine.round == 0, "two messages from one validator count once")
        let actions = machine.handle(.proposal(cast.proposal(round: 5, a), valid: true))
        #expect(machine.round == 5, "the proposer of round 5 (validator 2) is a second sender")
        #expect(actions.votes.map(\.blockID) == [a], "and its proposal is then acted upon")
        // Far beyond the stored window (8 rounds): remembered per validator, jump when f+1 are there.
        _ = machine.feed([cast.vote(.prevote, 1, round: 40, nil)])
        #expect(machine.round == 5)
        _ = machine.feed([cast.vote(.prevote, 3, round: 30, nil)])
        #expect(machine.round == 30, "f+1 validators are at round 30 or beyond")
    }

    @Test func pastAndFutureHeightsAreIgnored() throws {
        var (machine, _) = started()
        #expect(machine.handle(cast.vote(.prevote, 1, height: 2, round: 0, a)).isEmpty)
        #expect(machine.handle(cast.vote(.prevote, 1, height: 0, round: 0, a)).isEmpty)
        _ = machine.feed([cast.vote(.prevote, 2, height: 2, round: 3, a)])
        #expect(machine.round == 0 && machine.height == 1)
    }

    @Test func equivocationIsReportedOnceAndCountedOnce() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, b), valid: true))
        var actions = machine.handle(cast.vote(.prevote, 1, round: 0, a))
        #expect(actions.evidence.isEmpty)
        actions = machine.handle(cast.vote(.prevote, 1, round: 0, b))
        let evidence = try #require(actions.evidence.first)
        #expect(evidence.offender == cast.members[1])
        #expect(evidence.slot == ConsensusSlot(height: 1, round: 0, step: .prevote))
        #expect(evidence.isProven(key: cast.validators.validators[1].publicKey, chainID: cast.chainID))
        #expect(actions.timeouts.isEmpty, "validator 1 counts once among prevotes of any value (2 of 3)")
        #expect(machine.handle(cast.vote(.prevote, 1, round: 0, b)).evidence.isEmpty, "reported once")
        #expect(machine.handle(cast.vote(.prevote, 1, round: 0, nil)).evidence.isEmpty, "once per slot")
        actions = machine.handle(cast.vote(.prevote, 2, round: 0, nil))
        #expect(actions.timeouts.map(\.kind) == [.prevote], "three validators prevoted")
        #expect(actions.votes.isEmpty, "B has two prevotes (0, and 1's second), nil one: no quorum")
        actions = machine.handle(cast.vote(.precommit, 1, round: 0, a))
        actions += machine.handle(cast.vote(.precommit, 1, round: 0, b))
        #expect(actions.evidence.count == 1, "another slot is another offense")
    }

    /// As in the paper, every received message counts toward its value: an equivocator's second vote counts for
    /// the second value (once), so the correct validators that saw both can still form the quorum.
    @Test func anEquivocatorsSecondVoteCountsForItsOwnValueOnly() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, b), valid: true))
        _ = machine.feed([cast.vote(.prevote, 1, round: 0, a), cast.vote(.prevote, 1, round: 0, b)])
        let actions = machine.handle(cast.vote(.prevote, 2, round: 0, b))
        #expect(actions.votes.map(\.kind) == [.precommit] && actions.votes.first?.blockID == b)
        #expect(machine.feed([cast.vote(.prevote, 1, round: 0, b)]).isEmpty, "a repeat changes nothing")
    }

    @Test func conflictingProposalsAreEvidence() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        let actions = machine.handle(.proposal(cast.proposal(round: 0, b), valid: true))
        #expect(actions.evidence.count == 1)
        let proposals = try #require(actions.evidence.first)
        if case .conflictingProposals = proposals {} else { Issue.record("expected conflicting proposals") }
        #expect(actions.votes.isEmpty, "it prevoted for the first proposal only")
    }

    @Test func aDecisionInAnEarlierRoundIsRecognised() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        _ = machine.feed([cast.vote(.precommit, 1, round: 2, nil), cast.vote(.precommit, 2, round: 2, nil)])
        #expect(machine.round == 2)
        let actions = machine.feed([
            cast.vote(.precommit, 1, round: 0, a), cast.vote(.precommit, 2, round: 0, a),
            cast.vote(.precommit, 3, round: 0, a),
        ])
        #expect(actions.decisions.map(\.round) == [0])
        #expect(actions.decisions.first?.blockID == a)
    }

    @Test func afterARestartItNeverSignsAtOrBelowItsLastSlot() throws {
        // Before the crash: prevoted A in round 0.
        var (machine, _) = started()
        let before = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        let prevote = try #require(before.votes.first)
        #expect(machine.lastSigned == ConsensusSlot(height: 1, round: 0, step: .prevote))
        // Restart from the persisted slot, without the stored prevote: it must not sign a nil prevote now.
        var restarted = cast.machine(0, lastSigned: machine.lastSigned)
        var actions = restarted.start(height: 1, validators: cast.validators)
        actions += restarted.handle(.timeout(.propose, height: 1, round: 0))
        #expect(actions.votes.isEmpty && actions.persisted.isEmpty)
        #expect(restarted.step == .prevote, "the step moves on even though nothing is signed")
        // With its stored prevote handed back, the precommit (a later slot) is signed.
        var recovered = cast.machine(0, lastSigned: machine.lastSigned)
        _ = recovered.start(height: 1, validators: cast.validators, recovered: [.vote(prevote)])
        actions = recovered.feed([
            .proposal(cast.proposal(round: 0, a), valid: true), cast.vote(.prevote, 1, round: 0, a),
            cast.vote(.prevote, 2, round: 0, a),
        ])
        #expect(actions.persisted == [ConsensusSlot(height: 1, round: 0, step: .precommit)])
        #expect(actions.votes.map(\.kind) == [.precommit])
    }

    @Test func aRestartRestoresTheLockFromItsOwnPrecommit() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        let locked = machine.feed([cast.vote(.prevote, 1, round: 0, a), cast.vote(.prevote, 2, round: 0, a)])
        let precommit = try #require(locked.votes.first)
        var restarted = cast.machine(0, lastSigned: machine.lastSigned)
        var actions = restarted.start(height: 1, validators: cast.validators, recovered: [.vote(precommit)])
        #expect(restarted.lockedValue == a && restarted.lockedRound == 0)
        #expect(actions.votes.isEmpty)
        actions = restarted.feed([
            cast.vote(.precommit, 1, round: 0, nil), cast.vote(.precommit, 2, round: 0, nil),
            .timeout(.precommit, height: 1, round: 0), .proposal(cast.proposal(round: 1, b), valid: true),
        ])
        #expect(actions.votes.count == 1 && actions.votes.first?.blockID == nil, "still locked on A")
    }

    @Test func aRestartedProposerDoesNotProposeAgain() throws {
        var machine = cast.machine(1, lastSigned: ConsensusSlot(height: 1, round: 0, step: .propose))
        let actions = machine.start(height: 1, validators: cast.validators)
        #expect(!actions.contains(.requestProposalValue(height: 1, round: 0)))
        #expect(actions.timeouts.map(\.kind) == [.propose], "it waits like a non-proposer instead")
    }

    @Test func aNewHeightStartsFromAClearState() throws {
        var (machine, _) = started()
        _ = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        _ = machine.feed([cast.vote(.prevote, 1, round: 0, a), cast.vote(.prevote, 2, round: 0, a)])
        _ = machine.feed([cast.vote(.precommit, 1, round: 0, a), cast.vote(.precommit, 2, round: 0, a)])
        #expect(machine.decision?.blockID == a)
        let actions = machine.start(height: 2, validators: cast.validators)
        #expect(machine.height == 2 && machine.round == 0 && machine.decision == nil)
        #expect(machine.lockedValue == nil && machine.validValue == nil)
        // At height 2 the proposer of round 0 is validator 2, so validator 0 waits.
        #expect(actions.timeouts.map(\.kind) == [.propose])
        #expect(machine.handle(.proposal(cast.proposal(height: 2, round: 0, b), valid: true)).votes.count == 1)
    }
}
