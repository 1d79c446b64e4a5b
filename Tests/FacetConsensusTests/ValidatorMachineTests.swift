import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// The validator machine's defenses, driven directly with the time passed in: no sockets, no clock, no waiting.
/// The machine is `members[0]`; the proposer of (1, 0) is `members[1]`.
@Suite struct ValidatorMachineTests {
    @Test func anInvalidBlockIsExecutedOnceHoweverOftenItIsReproposed() {
        var run = MachineRun()
        let bad = run.block("bad", proposer: run.cast.members[1])
        run.verdict = { _ in .headerMismatch }
        let proposal = run.cast.proposal(round: 0, bad.id)
        run.deliver(.proposal(proposal, bad), from: 1)
        run.deliver(.proposal(proposal, bad), from: 1)
        // A re-proposal of the same id at the proposer's next round, with and without the block.
        let again = run.cast.proposal(round: 4, bad.id)
        run.deliver(.proposal(again, nil), from: 1)
        run.deliver(.proposal(again, bad), from: 1)
        #expect(run.executed.map(\.id) == [bad.id], "executed once, answered from memory after")
        #expect(run.observed(.refused(proposal, .headerMismatch)) == 1)
        #expect(run.sentVotes.map(\.blockID) == [nil], "it prevotes nil for the invalid block")
        #expect(run.machine.blocks.verdict(bad.id) == .invalid(.headerMismatch))
    }

    @Test func aProposalOverTheBlockLimitIsRefusedBeforeExecution() {
        var run = MachineRun()
        let huge = run.block("huge", proposer: run.cast.members[1])
        let proposal = run.cast.proposal(round: 0, huge.id)
        run.deliver(.proposal(proposal, huge), from: 1, bytes: ValidatorMessage.maxProposalBytes + 1)
        #expect(run.executed.isEmpty, "never executed")
        #expect(run.observed(.refused(proposal, .tooLarge)) == 1)
        #expect(run.sentVotes.map(\.blockID) == [nil])
    }

    /// Seed 608 of `facet sim --attack oversize`: the correct proposer of round 0 crashed after a polka for its block
    /// X, which this validator never received; a correct validator is locked on X. The Byzantine proposer of round 1
    /// re-proposes X (its valid value) in a frame over the limit. That refusal is about the frame: when the locked
    /// correct validator proposes X at round 2 in a frame within the limit, X is executed, prevoted and decided.
    @Test func aBlockRefusedInAnOversizeFrameIsAcceptedFromAnotherProposer() {
        var run = MachineRun()
        let block = run.block("x", proposer: run.cast.members[1])
        let x = block.id
        for index in 1...3 { run.deliver(run.vote(.prevote, by: index, round: 0, x), from: index) }
        // Round 1: members[2] (Byzantine) re-proposes X with its polka round, over the limit.
        let oversize = run.cast.proposal(round: 1, validRound: 0, x)
        run.deliver(.proposal(oversize, block), from: 2, bytes: ValidatorMessage.maxProposalBytes + 1)
        run.deliver(run.vote(.prevote, by: 3, round: 1, x), from: 3)
        #expect(run.machine.tendermint.round == 1)
        #expect(run.observed(.refused(oversize, .tooLarge)) == 1)
        #expect(run.executed.isEmpty, "refused unread")
        #expect(run.machine.blocks.verdict(x) == nil, "no verdict on the block from the frame's size")
        #expect(run.sentVotes.map(\.blockID) == [nil])
        // Round 2: members[3] (correct, locked on X) proposes X with the same polka round, within the limit.
        let correct = run.cast.proposal(round: 2, validRound: 0, x)
        run.deliver(.proposal(correct, block), from: 3)
        run.deliver(run.vote(.prevote, by: 2, round: 2, x), from: 2)
        #expect(run.machine.tendermint.round == 2)
        #expect(run.executed.map(\.id) == [x], "executed once, from the correct proposer's frame")
        #expect(run.sentVotes.map(\.blockID) == [nil, x], "it prevotes X at round 2")
        run.deliver(run.vote(.prevote, by: 3, round: 2, x), from: 3)
        for index in 2...3 { run.deliver(run.vote(.precommit, by: index, round: 2, x), from: index) }
        #expect(run.machine.head?.height == 1, "X is decided and committed")
    }

    @Test func aValidBlockIsPrevotedAfterItsSignatureIsStored() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        #expect(run.sentVotes.map(\.blockID) == [good.id])
        let store = run.actions.firstIndex { action in
            guard case .storeSigned = action else { return false }
            return true
        }
        let send = run.actions.firstIndex { action in
            guard case .broadcast(.vote) = action else { return false }
            return true
        }
        #expect(store != nil && send != nil && store! < send!, "stored before it is sent")
    }

    @Test func aCopyIsHandedInOnce() {
        var run = MachineRun()
        let vote = run.vote(.prevote, by: 2, nil)
        for _ in 0..<5 { run.deliver(vote, from: 2) }
        #expect(run.observed(.handled("vote")) == 1)
    }

    @Test func conflictingVotesBecomeEvidence() {
        var run = MachineRun()
        run.deliver(run.vote(.prevote, by: 3, nil), from: 3)
        run.deliver(run.vote(.prevote, by: 3, ConsensusCast.block("x")), from: 3)
        let reports = run.actions.compactMap { action -> Misbehavior? in
            guard case .reportEvidence(let misbehavior) = action else { return nil }
            return misbehavior
        }
        #expect(reports.count == 1)
        #expect(reports.first?.offender == run.cast.members[3])
    }

    @Test func aFloodOfSyncRequestsIsServedOnlyUpToTheQuota() {
        var run = MachineRun()
        for _ in 0..<200 { run.deliver(.syncRequest(from: 1, limit: 500), from: 2) }
        let served = run.actions.compactMap { action -> UInt32? in
            guard case .serveSync(_, let limit, _) = action else { return nil }
            return limit
        }
        #expect(served.count == ValidatorMachine.syncRequestBurst)
        #expect(served.allSatisfy { $0 == ValidatorMachine.syncBatch }, "a request's limit is capped")
        #expect(run.dropped("sync_quota") == 200 - ValidatorMachine.syncRequestBurst)
        // Half a second later the bucket has refilled by one.
        run.now = .milliseconds(500)
        run.deliver(.syncRequest(from: 1, limit: 1), from: 2)
        #expect(run.dropped("sync_quota") == 200 - ValidatorMachine.syncRequestBurst)
    }

    @Test func unsolicitedSyncAnswersAndAnUnbackedHeadAreIgnored() {
        var run = MachineRun()
        run.deliver(.status(height: 1_000_000, blockID: .zero), from: 3)
        #expect(run.syncRequests == [run.cast.members[3]], "the liar is asked")
        run.deliver(.syncBlocks([]), from: 2)
        #expect(run.dropped("unsolicited_sync") == 1)
        run.deliver(.syncBlocks([]), from: 3)
        let status = run.machine.status(at: .seconds(60))
        #expect(status.mode == .voting && status.bestPeerHeight == 0, "the claim never counts")
        #expect(!run.machine.heads.isTrusted(run.cast.members[3], head: 0))
    }

    @Test func aFailedSafetyWriteSendsNothingRetriesWithBackoffAndResumes() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        run.storeWorks = false
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        #expect(run.sentVotes.isEmpty, "nothing it could not store left")
        #expect(run.machine.status(at: run.now).mode == .storeUnavailable)
        #expect(run.observed(.storeRetry) == 1)
        run.tick(at: .milliseconds(50))
        #expect(run.stores == 1, "not due yet: the first retry waits 100 ms")
        run.tick(at: .milliseconds(100))
        #expect(run.stores == 2 && run.observed(.storeRetry) == 2, "retried, failed again")
        run.tick(at: .milliseconds(250))
        #expect(run.stores == 2, "the second wait is 200 ms")
        run.storeWorks = true
        run.tick(at: .milliseconds(300))
        #expect(run.stores == 3)
        #expect(run.sentVotes.map(\.blockID) == [good.id], "sent once stored")
        #expect(run.machine.status(at: run.now).mode == .voting)
        #expect(run.observed(.storeRecovered(height: 1)) == 1)
    }

    /// Prevotes and precommits of the three others for `id` at (1, 0), after the proposal.
    func decide(_ run: inout MachineRun, _ id: Hash256) {
        for index in 1...3 { run.deliver(run.vote(.prevote, by: index, id), from: index) }
        for index in 1...3 { run.deliver(run.vote(.precommit, by: index, id), from: index) }
    }

    @Test func aFailedCommitIsRetriedUntilTheStoreReturnsThenTheNextHeightStarts() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        run.commitResult = .storeFailed
        decide(&run, good.id)
        #expect(run.machine.status(at: run.now).mode == .storeUnavailable)
        run.commitResult = nil
        run.tick(at: .milliseconds(100))
        #expect(run.machine.head?.height == 1)
        #expect(run.machine.status(at: run.now).mode == .voting)
        let scheduled = run.actions.compactMap { action -> ValidatorTimer? in
            guard case .schedule(let timer, _) = action, case .startHeight = timer else { return nil }
            return timer
        }
        #expect(scheduled == [.startHeight(2)])
        run.feed(.timer(.startHeight(2)))
        #expect(run.machine.tendermint.height == 2)
    }

    @Test func aDecidedBlockNeverExecutedHereIsFetchedBySync() {
        var run = MachineRun()
        run.deliver(.status(height: 1, blockID: .zero), from: 2)
        #expect(run.syncRequests.isEmpty, "one height ahead is a commit in flight")
        // The ledger no longer holds the executed block when the quorum decides it.
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        run.commitResult = .notExecuted
        decide(&run, good.id)
        #expect(run.syncRequests == [run.cast.members[2]], "forced: one height behind is enough")
        #expect(run.machine.head?.height == 0)
    }

    @Test func syncedBlocksMoveTheHeadAndStartTheNextHeight() {
        var run = MachineRun()
        run.deliver(.status(height: 5, blockID: .zero), from: 2)
        let head = run.head(5)
        run.syncResult = { _ in SyncResult(applied: 5, head: head) }
        run.deliver(.syncBlocks([]), from: 2)
        #expect(run.machine.head?.height == 5)
        #expect(run.machine.tendermint.height == 6)
        #expect(run.machine.heads.isTrusted(run.cast.members[2], head: 5))
        #expect(run.observed(.synced(applied: 5, head: 5, target: 5)) == 1)
    }

    @Test func aHeadThatStandsStillWhileAPeerMovesIsStalled() {
        var run = MachineRun()
        run.deliver(.status(height: 1, blockID: .zero), from: 2)
        #expect(run.machine.status(at: .seconds(9)).mode == .voting)
        #expect(run.machine.status(at: .seconds(10)).mode == .stalled)
    }

    @Test func theNextHeightsMessagesWaitInAShareOfTheBufferAndReplayAtItsStart() {
        var run = MachineRun()
        let share = ValidatorMachine.maxBufferedMessages / 4
        for round in 0..<UInt32(share + 10) {
            run.deliver(run.vote(.prevote, by: 3, height: 2, round: round, nil), from: 3)
        }
        #expect(run.dropped("buffer_full") == 10, "one validator fills only its share")
        run.deliver(run.vote(.prevote, by: 2, height: 2, nil), from: 2)
        #expect(run.machine.footprint.buffered == share + 1)
        run.deliver(run.vote(.prevote, by: 2, height: 3, nil), from: 2)
        #expect(run.dropped("future_height") == 1)
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        decide(&run, good.id)
        run.feed(.timer(.startHeight(2)))
        #expect(run.machine.tendermint.height == 2)
        #expect(run.machine.footprint.buffered == 0)
        #expect(run.observed(.handled("vote")) >= 2 + 6, "the buffered votes were handed in at height 2")
    }

    @Test func aHeightThatStandsStillIsSentAgain() {
        var run = MachineRun()
        run.deliver(run.vote(.prevote, by: 2, nil), from: 2)
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        #expect(run.sentVotes.count == 1)
        run.tick(at: .milliseconds(300))
        #expect(run.sentVotes.count == 1, "a young height is not resent")
        run.tick(at: .milliseconds(1_000))
        #expect(run.sentVotes.count == 2, "the prevote goes out again, exactly as signed")
        #expect(run.sentVotes[0] == run.sentVotes[1])
    }

    @Test func aNewPolkaIsRelayedAtOnceAndAgainWhileTheHeightStandsStill() {
        var run = MachineRun()
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        run.deliver(run.vote(.prevote, by: 1, good.id), from: 1)
        let relayed = { (run: MachineRun) in
            run.sentVotes.filter { $0.validator != run.member }.map(\.validator)
        }
        #expect(relayed(run).isEmpty, "two prevotes and its own are no polka")
        run.deliver(run.vote(.prevote, by: 2, good.id), from: 2)
        #expect(run.machine.tendermint.lockedRound == 0, "a polka of three: locked")
        let polka = [run.cast.members[1], run.cast.members[2]]
        #expect(relayed(run) == polka, "the polka's prevotes from the others, relayed once, at once")
        run.deliver(run.vote(.prevote, by: 3, nil), from: 3)
        run.tick(at: .milliseconds(500))
        #expect(relayed(run) == polka, "not again while the height moves")
        run.tick(at: .seconds(1))
        #expect(relayed(run) == polka + polka + [run.cast.members[3]], "and the lock's round once it stands still")
        let own = run.sentVotes.filter { $0.validator == run.member }
        #expect(own.count == 4, "its own prevote and precommit, twice")
    }

    /// A machine with empty blocks off that committed height 1 and whose commit interval has passed.
    func idleAtHeightTwo() -> MachineRun {
        var settings = MachineRun.settings
        settings.emptyBlockInterval = .seconds(5)
        var run = MachineRun(settings: settings)
        let good = run.block("good", proposer: run.cast.members[1])
        run.deliver(.proposal(run.cast.proposal(round: 0, good.id), good), from: 1)
        decide(&run, good.id)
        run.feed(.timer(.startHeight(2)))
        return run
    }

    @Test func anEmptyHeightWaitsForATransactionOrTheEmptyBlockInterval() {
        var run = idleAtHeightTwo()
        #expect(run.machine.tendermint.height == 1, "held back: nothing to order")
        run.tick(at: .seconds(1))
        #expect(run.machine.tendermint.height == 1)
        run.tick(at: .seconds(2), mempool: 1)
        #expect(run.machine.tendermint.height == 2, "a transaction waits")
    }

    @Test func anIdleHeightStartsWhenAPeerStartsIt() {
        var run = idleAtHeightTwo()
        #expect(run.machine.tendermint.height == 1)
        let before = run.observed(.handled("vote"))
        run.deliver(run.vote(.prevote, by: 3, height: 2, nil), from: 3)
        #expect(run.machine.tendermint.height == 2)
        #expect(run.observed(.handled("vote")) == before + 1, "and the peer's vote is handed in")
    }

    @Test func forwardedTransactionsGoOutInBatchesAndAPeersForwardingIsRateLimited() {
        var run = MachineRun()
        var fixture = LedgerFixture(seed: 3)
        let price = PublishPrice(
            category: .gold, band: try! Label("Au999"), pricePerUnit: try! Money(minorUnits: 1_000, currency: .cny))
        let transaction = fixture.sign("exchange", .publishPrice(price))
        run.tick(at: .milliseconds(10), gossip: Array(repeating: transaction, count: 5_000))
        let batches = run.sent.compactMap { entry -> Int? in
            guard case .transactions(let batch) = entry.message else { return nil }
            return batch.count
        }
        #expect(batches == [ValidatorMessage.maxGossipTransactions, 5_000 - ValidatorMessage.maxGossipTransactions])
        let big = Array(repeating: transaction, count: ValidatorMessage.maxGossipTransactions)
        for _ in 0..<5 { run.deliver(.transactions(big), from: 2) }
        #expect(run.dropped("gossip_quota") == 1, "four batches fit the burst, the fifth waits for the refill")
    }
}
