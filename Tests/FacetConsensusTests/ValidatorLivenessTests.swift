import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// The liveness rules the simulation's last failing seeds needed, each on one machine with the time passed in
/// (validator 0 of four, f = 1, quorum 3; the proposer of (1, 0) is validator 1, and validator 3 misbehaves).
@Suite struct ValidatorLivenessTests {
    let cast = ConsensusCast()
    let a = ConsensusCast.block("A")
    let junk = ConsensusCast.block("junk")

    /// Sim seed 4189 (equivocation): validator 3 sent nil, a junk value and A at one slot. Only the first vote
    /// and the first conflicting one were kept, so its vote for A never counted here while another validator
    /// locked on A counting it: that one re-proposed A with its valid round, which this one could not check.
    @Test func anEquivocatorsThirdVoteCountsOnceAProposalNamesItsValue() {
        var machine = cast.machine(0)
        _ = machine.start(height: 1, validators: cast.validators)
        _ = machine.handle(.timeout(.propose, height: 1, round: 0))
        _ = machine.feed([cast.vote(.prevote, 3, round: 0, nil), cast.vote(.prevote, 3, round: 0, junk)])
        _ = machine.handle(cast.vote(.prevote, 3, round: 0, a))
        #expect(machine.unkept, "no proposal names A yet: not kept, and it may come again")
        _ = machine.handle(.proposal(cast.proposal(round: 0, a), valid: true))
        _ = machine.handle(cast.vote(.prevote, 3, round: 0, a))
        #expect(!machine.unkept, "A is a proposed value now: kept")
        _ = machine.handle(cast.vote(.prevote, 1, round: 0, a))
        #expect(machine.validValue == nil, "two prevotes for A (1 and 3) are no polka")
        let actions = machine.handle(cast.vote(.prevote, 2, round: 0, a))
        #expect(machine.validValue == a && machine.validRound == 0, "1, 2 and 3's third vote: a polka for A")
        #expect(machine.lockedValue == a && actions.votes.map(\.blockID) == [a], "locked at prevote: precommit A")
        // Further junk at the same slot is not kept: the log stays bounded.
        for label in ["x", "y", "z"] {
            _ = machine.handle(cast.vote(.prevote, 3, round: 0, ConsensusCast.block(label)))
            #expect(machine.unkept)
        }
    }

    /// The same through the machine: a vote the log did not keep is not marked seen, so its relay counts later.
    @Test func aVoteTheLogDidNotKeepIsReadAgainWhenRelayed() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(run.vote(.prevote, by: 3, nil), from: 3)
        run.deliver(run.vote(.prevote, by: 3, junk), from: 3)
        run.deliver(run.vote(.prevote, by: 3, good.id), from: 3)
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        #expect(run.sentVotes.map(\.blockID) == [good.id], "its own prevote for the proposal")
        run.deliver(run.vote(.prevote, by: 3, good.id), from: 2)
        run.deliver(run.vote(.prevote, by: 1, good.id), from: 1)
        #expect(run.machine.tendermint.lockedValue == good.id, "0, 1 and 3 (relayed by 2): a polka")
        let own = run.sentVotes.filter { $0.validator == run.member }
        #expect(own.map(\.kind) == [.prevote, .precommit] && own.last?.blockID == good.id)
    }

    /// Sim seed 3704 (head-poisoning): a validator that decided a block it never executed (it restarted) waits for
    /// sync, but the two others still lack its precommit; had it stopped sending, nobody would decide or serve.
    @Test func aDecidedBlockThatCouldNotBeCommittedKeepsItsPrecommitGoingOut() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        run.commitResult = .notExecuted
        for index in 1...3 { run.deliver(run.vote(.prevote, by: index, good.id), from: index) }
        for index in 1...2 { run.deliver(run.vote(.precommit, by: index, good.id), from: index) }
        #expect(run.machine.tendermint.decision?.blockID == good.id && run.machine.head?.height == 0)
        let precommits = { (run: MachineRun) in
            run.sentVotes.filter { $0.validator == run.member && $0.kind == .precommit }.count
        }
        #expect(precommits(run) == 1)
        run.tick(at: .seconds(1))
        #expect(precommits(run) == 2, "decided but not committed: its precommit goes out again")
        run.commitResult = nil
        let synced = run.head(1)
        run.syncResult = { _ in SyncResult(applied: 1, head: synced) }
        run.deliver(.status(height: 1, blockID: .zero), from: 2)
        run.tick(at: .seconds(4))
        run.deliver(.syncBlocks([]), from: 2)
        #expect(run.machine.head?.height == 1 && run.machine.tendermint.height == 2, "sync brought the block")
    }

    /// Sim seed 7249 (head-poisoning): this validator missed the proposal but holds precommits of a quorum; the
    /// validators holding the block lack one of them (it went to one that committed and moved on). Relayed, the
    /// certificate lets them decide.
    @Test func aStalledHeightRelaysTheCommitCertificateItHolds() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        for index in 1...3 { run.deliver(run.vote(.precommit, by: index, good.id), from: index) }
        #expect(run.machine.tendermint.decision == nil, "no proposal, no block: nothing to decide here")
        let relayed = { (run: MachineRun) in
            run.sentVotes.filter { $0.validator != run.member && $0.kind == .precommit }.map(\.validator)
        }
        run.tick(at: .milliseconds(500))
        #expect(relayed(run).isEmpty, "not while the height is young")
        run.tick(at: .seconds(1))
        #expect(relayed(run) == Array(run.cast.members[1...3]), "the three precommits of the certificate")
        run.deliver(run.vote(.precommit, by: 1, round: 1, junk), from: 1)
        run.tick(at: .seconds(2))
        #expect(relayed(run).count == 6, "again while it stands still, and only a quorum's precommits")
    }
}
