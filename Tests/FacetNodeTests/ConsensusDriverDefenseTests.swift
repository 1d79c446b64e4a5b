import FacetConsensus
import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport
import Testing

@testable import FacetNode

/// One driver fed by the test in the place of its three peers (no network): a Byzantine proposer's invalid,
/// re-proposed and oversized blocks, a lying head, floods, and its own store going away and coming back. Timeouts
/// are long, so the machine stays where the test puts it; waits are bounded by generous deadlines.
@Suite(.serialized) struct ConsensusDriverDefenseTests {
    @Test(.timeLimit(.minutes(3)))
    func anInvalidBlockIsExecutedOnceHoweverOftenItIsReproposed() async throws {
        try await withDriver { harness in
            let byzantine = harness.proposer(round: 0)
            #expect(harness.proposer(round: 4) == byzantine)
            let (_, invalid) = harness.blocks(proposer: byzantine)
            harness.deliver(.proposal(harness.proposal(round: 0, invalid.id), invalid), from: byzantine)
            // The same id again: a copy, then a re-proposal at its next round, without and with the block.
            harness.deliver(.proposal(harness.proposal(round: 0, invalid.id), invalid), from: byzantine)
            harness.deliver(.proposal(harness.proposal(round: 4, invalid.id), nil), from: byzantine)
            harness.deliver(.proposal(harness.proposal(round: 4, invalid.id), invalid), from: byzantine)
            try await waitUntil("both distinct proposals handled") { harness.proposalsHandled >= 2 }
            try await waitUntil("every copy handled") { harness.driver.inboxEmpty }
            #expect(harness.rejected(.headerMismatch) == 1, "executed once, answered from memory after")
            let prevotes = harness.link.votes.filter { $0.vote.kind == .prevote && $0.vote.round == 0 }
            #expect(prevotes.map(\.vote.blockID) == [nil], "it prevotes nil for the invalid block")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aProposalOverTheBlockLimitIsRefusedBeforeExecution() async throws {
        try await withDriver { harness in
            let byzantine = harness.proposer(round: 0)
            let (valid, _) = harness.blocks(proposer: byzantine)
            // An audit of 256 pieces is about 8.3 KiB; 1,100 copies make a block over 8 MiB (still decodable).
            let firm = harness.fixture.id("v1")
            let pieces = (0..<Limits.maxPiecesPerAudit).map { PieceID(SHA256Hash.digest(Array("piece \($0)".utf8))) }
            let audit = Transaction.signed(
                chainID: harness.chainID, signer: byzantine, nonce: 1,
                body: .stockAudit(StockAudit(firm: firm, pieces: pieces)), key: harness.key(of: byzantine))
            var header = valid.header
            header.transactionCount = 1_100
            let huge = ProposedBlock(header: header, transactions: Array(repeating: audit, count: 1_100))
            let message = ValidatorMessage.proposal(harness.proposal(round: 0, huge.id), huge)
            #expect(message.canonicalBytes.count > ValidatorMessage.maxProposalBytes)
            #expect(message.canonicalBytes.count < ValidatorMessage.maxBytes, "it fits a frame, as in the attack")
            harness.deliver(message, from: byzantine)
            harness.deliver(.proposal(harness.proposal(round: 4, huge.id), nil), from: byzantine)
            try await waitUntil("the oversized proposal is refused") { harness.rejected(.tooLarge) >= 1 }
            // The refusal is about that frame, not the block's id (a Byzantine proposer could send a correct
            // validator's block over the limit): the re-proposal without it names a block this node never held.
            try await waitUntil("its re-proposal is dropped") { harness.dropped("unknown_block") >= 1 }
            #expect(harness.rejected(.tooLarge) == 1)
            #expect(harness.rejected(.headerMismatch) == 0, "never executed")
            let prevotes = harness.link.votes.filter { $0.vote.kind == .prevote && $0.vote.round == 0 }
            #expect(prevotes.map(\.vote.blockID) == [nil])
        }
    }

    @Test func aDecidedBlockAtTheLimitFitsASyncAnswer() {
        // The certificate of a full validator set, as encoded.
        let key = LedgerFixture(validators: 4).actor("v1").key
        let signature = key.sign(purpose: .transaction, chainID: LedgerFixture.chainID, payload: [1])
        let signatures = (0..<Limits.maxValidators).map {
            CommitSignature(
                validator: MemberID(SHA256Hash.digest([UInt8(truncatingIfNeeded: $0)])), signature: signature)
        }
        let certificate = CommitCertificate(height: 1, round: 0, blockID: .zero, signatures: signatures)
        #expect(ValidatorMessage.maxProposalBytes + certificate.canonicalBytes.count + 16
            <= ValidatorMessage.maxSyncAnswerBytes)
        #expect(ValidatorMessage.maxSyncAnswerBytes <= ValidatorMessage.maxBytes)
        #expect(Limits.maxBlockBytes < ValidatorMessage.maxProposalBytes)
    }

    @Test(.timeLimit(.minutes(3)))
    func aFloodOfSyncRequestsIsServedOnlyUpToTheQuota() async throws {
        try await withDriver { harness in
            let flooder = harness.others[0]
            let started = ContinuousClock.now
            for _ in 0..<200 { harness.deliver(.syncRequest(from: 1, limit: 32), from: flooder) }
            func served() -> Int {
                harness.link.messages.filter {
                    if case .syncBlocks = $0.message { return $0.to == flooder }
                    return false
                }.count
            }
            // Every request is either served or dropped (by the quota, or by the full inbox). Wait for all 200: how
            // many are served depends on how long a loaded machine takes, so a fixed count of drops is not a bound.
            try await waitUntil("every request of the flood is served or dropped") {
                Double(served()) + Double(harness.dropped("sync_quota")) + Double(harness.dropped("inbox_full")) >= 200
            }
            let answers = served()
            // The quota refills while a loaded machine works through the flood: the burst, plus what the real time
            // it took refilled (rounded up), plus slack; without a quota all 200 would be served.
            let elapsed = ContinuousClock.now - started
            let refilled = (Int(elapsed.components.seconds) + 1) * ValidatorMachine.syncRequestsPerSecond
            #expect(
                answers <= ValidatorMachine.syncRequestBurst + refilled + 2,
                "served \(answers) of 200 in \(elapsed)")
            #expect(answers >= 1)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func unsolicitedSyncAnswersAndAnUnbackedHeadAreIgnored() async throws {
        try await withDriver { harness in
            let liar = harness.others[0]
            harness.deliver(.status(height: 1_000_000, blockID: .zero), from: liar)
            try await waitUntil("the liar is asked") {
                harness.link.messages.contains { entry in
                    if case .syncRequest = entry.message { return entry.to == liar }
                    return false
                }
            }
            harness.deliver(.syncBlocks([]), from: harness.others[1])
            try await waitUntil("an answer nobody asked for is dropped") { harness.dropped("unsolicited_sync") >= 1 }
            harness.deliver(.syncBlocks([]), from: liar)
            // The liar answered nothing: its claim never counts, and the node is voting, not syncing.
            try await waitUntil("the status settles") {
                let status = await harness.driver.status()
                return status.mode == .voting && status.bestPeerHeight == 0
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aFailedSafetyWriteSendsNothingRetriesAndResumesWhenTheStoreReturns() async throws {
        try await withDriver { harness in
            let proposer = harness.proposer(round: 0)
            let (valid, _) = harness.blocks(proposer: proposer)
            harness.store.failing = true
            harness.deliver(.proposal(harness.proposal(round: 0, valid.id), valid), from: proposer)
            try await waitUntil("the driver reports its store unavailable") {
                await harness.driver.status().mode == .storeUnavailable && harness.store.refusedWrites >= 2
            }
            #expect(harness.link.votes.isEmpty, "nothing it could not store left the process")
            try await waitUntil("the unhealthy mode is counted and reported") {
                let info = await harness.node.status().consensus
                return harness.metric(NodeMetrics.consensusDegradedTotal, #"reason="store_unavailable""#) >= 1
                    && info?.unhealthy?.code == NodeError.Code.storeUnavailable.rawValue
            }
            // The retry is counted as it is scheduled, which can trail the refused write it follows: wait for it.
            try await waitUntil("the retries are counted") { harness.metric(NodeMetrics.storeRetriesTotal) >= 2 }
            harness.store.failing = false
            try await waitUntil("the prevote goes out once stored") { !harness.link.votes.isEmpty }
            for (vote, stored) in harness.link.votes {
                #expect(stored.map { vote.slot <= $0 } == true, "\(vote.slot) was stored before it was sent")
            }
            #expect(harness.link.votes.first?.vote.blockID == valid.id)
            // The other validators prevote and precommit the block: the driver commits height 1.
            for member in harness.others {
                harness.deliver(.vote(harness.vote(.prevote, by: member, round: 0, valid.id)), from: member)
                harness.deliver(.vote(harness.vote(.precommit, by: member, round: 0, valid.id)), from: member)
            }
            try await waitUntil("height 1 is committed") { await harness.node.head.height == 1 }
            try await waitUntil("the status is healthy again") {
                await harness.node.status().consensus?.unhealthy == nil
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aFailedBlockCommitIsRetriedUntilTheStoreReturns() async throws {
        try await withDriver { harness in
            let proposer = harness.proposer(round: 0)
            let (valid, _) = harness.blocks(proposer: proposer)
            harness.deliver(.proposal(harness.proposal(round: 0, valid.id), valid), from: proposer)
            try await waitUntil("it prevotes") { !harness.link.votes.isEmpty }
            for member in harness.others {
                harness.deliver(.vote(harness.vote(.prevote, by: member, round: 0, valid.id)), from: member)
            }
            try await waitUntil("it precommits") { harness.link.votes.contains { $0.vote.kind == .precommit } }
            harness.store.failing = true
            for member in harness.others {
                harness.deliver(.vote(harness.vote(.precommit, by: member, round: 0, valid.id)), from: member)
            }
            try await waitUntil("the commit fails and is retried") {
                let mode = await harness.driver.status().mode
                return harness.store.refusedWrites >= 3 && mode == .storeUnavailable
            }
            #expect(await harness.node.head.height == 0)
            harness.store.failing = false
            try await waitUntil("height 1 is committed after the store returns") {
                await harness.node.head.height == 1
            }
            try await waitUntil("and height 2 starts") { await harness.driver.status().height == 2 }
            #expect(await harness.driver.status().mode == .voting)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aValidatorWhoseHeightStandsStillWhileAPeerMovesReportsStalled() async throws {
        var settings = DriverHarness.slow
        settings.stallAfter = .seconds(1)
        try await withDriver(settings: settings) { harness in
            // A peer one height ahead needs no proof; this node has no block to show for it (nobody answers its
            // sync requests) and its height stands still.
            let peer = harness.others[0]
            harness.deliver(.status(height: 1, blockID: .zero), from: peer)
            try await waitUntil("the validator reports itself stalled") {
                await harness.node.status().consensus?.unhealthy?.code == NodeError.Code.stalled.rawValue
            }
            #expect(await harness.driver.status().mode == .stalled)
            #expect(harness.metric(NodeMetrics.consensusDegradedTotal, #"reason="stalled""#) == 1)
        }
    }
}
