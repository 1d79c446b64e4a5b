import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// Consensus among in-process validators over real TCP on 127.0.0.1, each with its own SQLite store: commits and
/// gossip, a validator key in the test's hands sending crafted messages, equivocation evidence, and a restart on
/// the same store. Serialized: each test runs a whole network, and the machine has few cores.
@Suite(.serialized) struct ConsensusNetworkTests {
    static let names = ["v1", "v2", "v3", "v4"]
    /// A block id no validator proposed.
    static let unknownBlock = SHA256Hash.digest(Array("a block nobody proposed".utf8))

    static func paths(_ count: Int) -> [String] { (0..<count).map { _ in APITestNode.temporaryPath() } }

    static func start(
        _ names: [String], _ fixture: LedgerFixture, paths: [String], settings: ConsensusSettings = networkSettings
    ) async throws -> [NetworkValidator] {
        var validators = [NetworkValidator]()
        for (name, path) in zip(names, paths) {
            validators.append(try await NetworkValidator.start(name, fixture: fixture, path: path, settings: settings))
        }
        connect(validators.map(\.transport))
        return validators
    }

    static func maxHeight(_ validators: [NetworkValidator]) async -> UInt64 {
        var best: UInt64 = 0
        for validator in validators { best = max(best, await validator.height) }
        return best
    }

    /// Waits until every validator committed the transaction, expects it accepted, and returns its heights.
    static func acceptedHeights(of id: TransactionID, on validators: [NetworkValidator]) async throws -> [UInt64] {
        var heights = [UInt64]()
        for validator in validators {
            try await waitUntil("\(validator.name) commits the transaction") {
                if case .committed = try await validator.node.transactionStatus(id) { return true }
                return false
            }
            guard case .committed(let height, _, let result)? = try await validator.node.transactionStatus(id) else {
                throw TestTimeout(description: "the transaction left \(validator.name)'s ledger")
            }
            #expect(result.accepted, "\(validator.name) accepted it")
            heights.append(height)
        }
        return heights
    }

    // MARK: Network

    @Test(.timeLimit(.minutes(5)))
    func fourValidatorsCommitAndGossipATransactionToEveryMempool() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(4)
        try await withNetwork(paths) { validators in
            validators = try await Self.start(Self.names, fixture, paths: paths)
            try await waitForHeight(3, validators)

            // Submitted to v2 just after it committed, while the next height waits out its commit interval: the
            // gossip (every 10 ms) leaves before any proposal can hold the transaction.
            let entry = validators[1]
            let before = await entry.height
            let deadline = ContinuousClock.now + .seconds(10)
            while await entry.height == before && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            var f = fixture
            let piece = f.sign(
                "firmA",
                .registerPiece(.init(card: IdentityCard(category: .gold, weight: 9, fineness: 999), certificate: nil)))
            _ = try await entry.node.submit(piece.canonicalBytes)

            let heights = try await Self.acceptedHeights(of: piece.id, on: validators)
            #expect(Set(heights).count == 1, "one height on every validator: \(heights)")

            for validator in validators {
                // Exactly one gossip message reached each other validator, and none came back to v2.
                let gossip = validator.metric(NodeMetrics.peerMessagesTotal, #"type="transactions""#)
                #expect(gossip == (validator.name == entry.name ? 0 : 1), "gossip messages at \(validator.name)")
                // Each admitted it to its mempool (a second copy, or one arriving after the commit, is refused).
                #expect(
                    validator.metricTotal(NodeMetrics.submitRefusedTotal) == 0, "refusals at \(validator.name)")
            }
            let common = try await expectSameChain(validators)
            #expect(common >= heights[0])
        }
    }

    /// With empty blocks off (`emptyBlockInterval`), a height waits for a transaction: no block while nothing is
    /// submitted (where the 80 ms commit interval would otherwise give several a second), then one block for a
    /// transaction submitted to a validator that is not the next proposer, then none again.
    @Test(.timeLimit(.minutes(5)))
    func withEmptyBlocksOffAHeightWaitsForATransaction() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(4)
        var settings = networkSettings
        settings.emptyBlockInterval = .seconds(3_600)
        try await withNetwork(paths) { validators in
            validators = try await Self.start(Self.names, fixture, paths: paths, settings: settings)
            // The first height starts at once (its block may be empty); after it, nothing moves.
            try await waitForHeight(1, validators)
            try await Task.sleep(for: .milliseconds(600))
            let idle = await Self.maxHeight(validators)
            try await Task.sleep(for: .milliseconds(600))
            #expect(await Self.maxHeight(validators) == idle, "no empty block while idle")

            var f = fixture
            let piece = f.sign(
                "firmA",
                .registerPiece(.init(card: IdentityCard(category: .gold, weight: 9, fineness: 999), certificate: nil)))
            let proposer = Tendermint.proposer(
                height: idle + 1, round: 0, validators: await validators[0].node.validators(at: idle + 1))
            let entry = try #require(validators.first { $0.member != proposer })
            _ = try await entry.node.submit(piece.canonicalBytes)
            let heights = try await Self.acceptedHeights(of: piece.id, on: validators)
            #expect(heights == Array(repeating: idle + 1, count: 4), "the transaction's block is the next one")
            try await Task.sleep(for: .milliseconds(600))
            #expect(await Self.maxHeight(validators) == idle + 1, "idle again after the transaction's block")
            _ = try await expectSameChain(validators)
        }
    }

    /// A block far larger than one transaction (the limit a peer message must not be decoded with): 300
    /// transactions queued on one validator are proposed together, decided, and committed on all four.
    @Test(.timeLimit(.minutes(5)))
    func aBlockOfHundredsOfTransactionsIsDecided() async throws {
        var fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(4)
        try await withNetwork(paths) { validators in
            validators = try await Self.start(Self.names, fixture, paths: paths)
            try await waitForHeight(2, validators)
            let pieces = (0..<300).map { index in
                fixture.sign(
                    ["firmA", "firmB", "firmC"][index % 3],
                    .registerPiece(
                        .init(
                            card: IdentityCard(category: .gold, weight: UInt64(1_000 + index), fineness: 999),
                            certificate: nil)))
            }
            // In one call, so they are all pending at once whatever the machine's load: submitted one by one they
            // may straddle a proposal, and then no block holds them all.
            let refused = await validators[0].node.submit(pieces, forward: true)
            #expect(refused.isEmpty, "\(refused.map(\.error))")
            var heights = Set<UInt64>()
            for validator in validators {
                for piece in pieces {
                    try await waitUntil("\(validator.name) commits all 300") {
                        if case .committed = try await validator.node.transactionStatus(piece.id) { return true }
                        return false
                    }
                    if case .committed(let height, _, _)? = try await validator.node.transactionStatus(piece.id) {
                        heights.insert(height)
                    }
                }
            }
            var largest = 0
            for height in heights {
                guard let block = try await validators[0].store.block(at: height) else { continue }
                let size = ProposedBlock(header: block.header, transactions: block.transactions).canonicalBytes.count
                largest = max(largest, size)
            }
            #expect(largest > Limits.maxTransactionBytes, "the largest block held \(largest) bytes")
            _ = try await expectSameChain(validators)
        }
    }

    // MARK: Bad peers

    /// Sends `payload(target)` to each honest validator until each counted a drop for `reason` (again every
    /// 100 ms: a message built for a height that was committed meanwhile is dropped for another reason).
    static func expectDropped(
        _ reason: String, from raw: RawValidator, at honest: [NetworkValidator],
        _ payload: (NetworkValidator) async -> [UInt8]
    ) async throws {
        let before = honest.map { $0.dropped(reason) }
        try await waitUntil("every honest validator drops \(reason)", within: .seconds(30)) {
            var pending = false
            for (validator, baseline) in zip(honest, before) where validator.dropped(reason) <= baseline {
                raw.send(await payload(validator), to: validator)
                pending = true
            }
            if pending { try await Task.sleep(for: .milliseconds(80)) }
            return !pending
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func craftedMessagesFromAValidatorKeyAreDroppedCountedAndHarmless() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(3)
        let raw = try await RawValidator.start("v4", fixture: fixture)
        try await withNetwork(paths, raw: raw) { honest in
            honest = try await Self.start(["v1", "v2", "v3"], fixture, paths: paths)
            connect(honest.map(\.transport) + [raw.transport])
            try await waitForHeight(2, honest)
            try await waitUntil("the raw validator is connected to all three") {
                raw.transport.connectedPeers.count == 3
            }
            // Honest traffic never trips these.
            for validator in honest {
                for reason in ["malformed", "bad_signature", "not_validator", "not_proposer", "future_height"] {
                    #expect(validator.dropped(reason) == 0, "\(reason) at \(validator.name) before the attack")
                }
            }
            let chainID = fixture.genesis.params.chainID
            let outsider = fixture.actor("admin")
            let attackStart = await Self.maxHeight(honest)

            try await Self.expectDropped("malformed", from: raw, at: honest) { _ in [0xEE, 0x01, 0x02, 0x03] }
            try await Self.expectDropped("bad_signature", from: raw, at: honest) { target in
                // Names the raw validator, signed by another key.
                let vote = Vote.sign(
                    .prevote, height: await target.height + 1, round: 0, blockID: nil, chainID: chainID,
                    validator: raw.member, key: outsider.key)
                return ValidatorMessage.vote(vote).canonicalBytes
            }
            try await Self.expectDropped("not_validator", from: raw, at: honest) { target in
                // A member that is not a validator, signing as itself.
                let vote = Vote.sign(
                    .prevote, height: await target.height + 1, round: 0, blockID: nil, chainID: chainID,
                    validator: outsider.id, key: outsider.key)
                return ValidatorMessage.vote(vote).canonicalBytes
            }
            try await Self.expectDropped("not_proposer", from: raw, at: honest) { target in
                let height = await target.height + 1
                let validators = await target.node.validators(at: height)
                let round = (UInt32(0)..<4).first {
                    Tendermint.proposer(height: height, round: $0, validators: validators) != raw.member
                }!
                let proposal = Proposal.sign(
                    height: height, round: round, validRound: nil, blockID: Self.unknownBlock, chainID: chainID,
                    proposer: raw.member, key: raw.key)
                return ValidatorMessage.proposal(proposal, nil).canonicalBytes
            }
            try await Self.expectDropped("unknown_block", from: raw, at: honest) { target in
                let vote = raw.prevote(height: await target.height + 1, round: 0, blockID: Self.unknownBlock)
                return ValidatorMessage.vote(vote).canonicalBytes
            }
            try await Self.expectDropped("future_height", from: raw, at: honest) { target in
                let vote = raw.prevote(height: await target.height + 1_000, round: 0, blockID: nil)
                return ValidatorMessage.vote(vote).canonicalBytes
            }
            try await Self.expectDropped("stale_height", from: raw, at: honest) { target in
                // The height the target committed last: decided, whether or not its next height started.
                let vote = raw.prevote(height: max(await target.height, 1), round: 0, blockID: nil)
                return ValidatorMessage.vote(vote).canonicalBytes
            }
            // An oversized frame: the honest transport closes the connection at the length header and counts it.
            let target = honest[0]
            raw.send([UInt8](repeating: 0, count: 2 * networkMaxFrameBytes), to: target)
            try await waitUntil("the oversized frame is counted") {
                target.metric("facet_peer_dropped_total", #"reason="oversized_frame""#) >= 1
            }

            // Three of four is a quorum: the honest validators keep committing the same chain.
            try await waitForHeight(attackStart + 4, honest)
            for validator in honest {
                let status = await validator.driver.status()
                #expect(status.mode != .storeUnavailable, "\(validator.name) still signs")
            }
            #expect(try await expectSameChain(honest) >= attackStart + 4)
        }
    }

    // MARK: Evidence

    @Test(.timeLimit(.minutes(5)))
    func anEquivocationIsReportedAndItsEvidenceCommitted() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(3)
        let raw = try await RawValidator.start("v4", fixture: fixture)
        try await withNetwork(paths, raw: raw) { honest in
            honest = try await Self.start(["v1", "v2", "v3"], fixture, paths: paths)
            connect(honest.map(\.transport) + [raw.transport])
            try await waitForHeight(2, honest)
            try await waitUntil("the raw validator is connected to all three") {
                raw.transport.connectedPeers.count == 3
            }
            #expect(honest.allSatisfy { $0.metric(NodeMetrics.consensusEvidenceTotal) == 0 })

            // Two prevotes at the slot the honest validators are in, for a block and for nil. Again at a later
            // slot if they committed the height before both arrived.
            var slots = [ConsensusSlot]()
            try await waitUntil("an honest validator detects the equivocation") {
                if honest.contains(where: { $0.metric(NodeMetrics.consensusEvidenceTotal) >= 1 }) { return true }
                let status = await honest[0].driver.status()
                let slot = ConsensusSlot(height: status.height, round: status.round, step: .prevote)
                if slots.last != slot {
                    slots.append(slot)
                    for vote in [
                        raw.prevote(height: slot.height, round: slot.round, blockID: Self.unknownBlock),
                        raw.prevote(height: slot.height, round: slot.round, blockID: nil),
                    ] {
                        for validator in honest { raw.send(.vote(vote), to: validator) }
                    }
                }
                return false
            }

            // The report (a `report_evidence` transaction) is committed, and every validator serves the record.
            var found: (slot: ConsensusSlot, record: EvidenceRecord)?
            try await waitUntil("the evidence is recorded on every honest validator") {
                for slot in slots {
                    let id = EvidenceRecord.id(offender: raw.member, slot: slot)
                    var records = [EvidenceRecord]()
                    for validator in honest {
                        if let record = await validator.node.record(EvidenceRecord.self, id) { records.append(record) }
                    }
                    if records.count == honest.count {
                        #expect(Set(records).count == 1, "the same record everywhere")
                        found = (slot, records[0])
                        return true
                    }
                }
                return false
            }
            let (slot, record) = try #require(found)
            #expect(record.offender == raw.member && record.kind == .conflictingVotes)
            #expect(honest.map(\.member).contains(record.reporter), "reported by an honest validator")
            #expect(record.height >= slot.height)
            let block = try #require(try await honest[0].store.block(at: record.height))
            let reports = zip(block.transactions, block.results).filter { transaction, result in
                guard case .reportEvidence(let report) = transaction.body else { return false }
                return result.accepted && report.misbehavior.offender == raw.member && report.misbehavior.slot == slot
            }
            #expect(reports.count == 1, "one accepted report_evidence transaction at height \(record.height)")
            #expect(reports.first?.0.signer == record.reporter)

            try await waitForHeight(record.height + 2, honest)
            _ = try await expectSameChain(honest)
        }
    }

    // MARK: Restart

    /// Three of four validators run, so all three are needed: stopping one stalls the height it signed at, and on
    /// restart it is still current. The validator must resume past its stored slot (the store would refuse a
    /// regression and the validator would halt), and the network must then commit again.
    @Test(.timeLimit(.minutes(5)))
    func aValidatorRestartedMidHeightSignsOnlyPastItsStoredSlot() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(3)
        try await withNetwork(paths) { validators in
            validators = try await Self.start(["v1", "v2", "v3"], fixture, paths: paths)
            try await waitForHeight(2, validators)

            let victim = validators[2]
            let port = victim.address.port
            // Stopped once it has voted at the height after its head, so that height is still current on restart.
            try await waitUntil("v3 votes at its next height") {
                guard let last = victim.safety.all.last else { return false }
                return last.height == (await victim.height) + 1 && last.step != .propose
            }
            await victim.stop()
            let stoppedAt = await victim.height
            let lastSigned = try #require(victim.safety.all.last, "v3 signed before it stopped")
            let signedBefore = victim.safety.all.count
            // Without v3 there is no quorum: the others stay at the height v3 last voted at. It restarts at once,
            // before their timeouts move them to a later round.
            let others = Array(validators.prefix(2))
            #expect(await Self.maxHeight(others) <= stoppedAt + 1, "no block without a quorum")

            let restarted = try await NetworkValidator.start(
                victim.name, fixture: fixture, path: victim.path, port: port, safety: victim.safety)
            validators[2] = restarted
            connect(validators.map(\.transport))
            try await waitForHeight(stoppedAt + 3, validators)

            let log = restarted.safety.all
            #expect(log.count > signedBefore, "v3 signed again")
            #expect(log.dropFirst(signedBefore).allSatisfy { $0 > lastSigned }, "never at or below \(lastSigned)")
            #expect(zip(log, log.dropFirst()).allSatisfy { $0 < $1 }, "every slot above the one before")
            #expect(await restarted.driver.status().mode != .storeUnavailable)
            #expect(try await expectSameChain(validators) >= stoppedAt + 3)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aRestartedValidatorResumesFromItsSafetyStateSyncsAndKeepsSigning() async throws {
        let fixture = LedgerFixture(validators: 4)
        let paths = Self.paths(4)
        try await withNetwork(paths) { validators in
            validators = try await Self.start(Self.names, fixture, paths: paths)
            try await waitForHeight(3, validators)

            let victim = validators[2]
            let port = victim.address.port
            await victim.stop()
            let stoppedAt = await victim.height
            let lastSigned = try #require(victim.safety.all.last, "v3 signed before it stopped")
            let signedBefore = victim.safety.all.count
            #expect(lastSigned.height >= stoppedAt, "it signed at the height after its head at least")

            // The others (a quorum of three) go on; v3 falls several heights behind.
            let others = validators.filter { $0.name != victim.name }
            try await waitForHeight(stoppedAt + 4, others)

            let restarted = try await NetworkValidator.start(
                victim.name, fixture: fixture, path: victim.path, port: port, safety: victim.safety)
            validators[2] = restarted
            connect(validators.map(\.transport))
            let othersAtRestart = await Self.maxHeight(others)

            // It catches up by block sync, then signs at heights it never reached before.
            try await waitUntil("v3 catches up and signs again") {
                let signed = restarted.safety.all.dropFirst(signedBefore)
                return await restarted.height >= othersAtRestart
                    && signed.contains { $0.height > othersAtRestart + 1 }
            }
            #expect(restarted.metric(NodeMetrics.syncBlocksTotal) >= 1, "it fetched blocks by block sync")
            let log = restarted.safety.all
            #expect(log.dropFirst(signedBefore).allSatisfy { $0 > lastSigned }, "never at or below \(lastSigned)")
            #expect(zip(log, log.dropFirst()).allSatisfy { $0 < $1 }, "every slot above the one before")
            #expect(await restarted.driver.status().mode != .storeUnavailable)

            let target = await Self.maxHeight(validators) + 2
            try await waitForHeight(target, validators)
            #expect(try await expectSameChain(validators) >= target)

            // The store's own guard, on the reopened store: a slot at or below the stored one is refused.
            do {
                try await restarted.store.saveSafetyState(SafetyRecord(slot: lastSigned, message: []))
                Issue.record("the store accepted a safety state at \(lastSigned), below the saved one")
            } catch let error as StoreError {
                #expect(error.code == .safetyRegression)
            }
        }
    }
}
