import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
import FacetStore
import FacetTestSupport
import Synchronization
import Testing

@testable import FacetNode

/// Seven validators over real TCP (f = 2): six honest drivers and a key in the test's hands that attacks as the
/// live Byzantine validator did. Serialized with the other network suites' habits: one network at a time.
@Suite(.serialized) struct ConsensusByzantineNetworkTests {
    /// Heights the attacker proposed an invalid block at (it leads round 0 there), and how many proposals it sent.
    final class AttackLog: Sendable {
        let heights = Mutex<Set<UInt64>>([])
        let proposals = Mutex(0)
    }

    /// Every 100 ms: announces a head a million heights up, and at a height whose round 0 it leads, proposes an
    /// invalid block and re-proposes its id at each of its rounds the honest validators keep.
    static func attack(_ raw: RawValidator, watching honest: NetworkValidator, log: AttackLog) -> Task<Void, Never> {
        Task {
            let chainID = raw.chainID
            var invalid: ProposedBlock?
            while !Task.isCancelled {
                _ = raw.transport.broadcast(ValidatorMessage.status(height: 1_000_000, blockID: .zero).canonicalBytes)
                let head = await honest.node.head
                let height = head.height + 1
                let validators = await honest.node.validators(at: height)
                let rounds = (UInt32(0)...8).filter {
                    Tendermint.proposer(height: height, round: $0, validators: validators) == raw.member
                }
                if rounds.first == 0 {
                    // One invalid block per height, its id re-proposed again and again.
                    if invalid?.height != height {
                        let built = await honest.node.proposal(
                            now: SystemNodeClock().now(), maxTransactions: 1, maxBytes: 1 << 16,
                            builder: BlockBuilder(time: BlockTimeBounds(maxDriftMillis: 5_000)))
                        var header = built.header
                        header.proposer = raw.member
                        header.stateRoot = SHA256Hash.digest(Array("not the state at \(height)".utf8))
                        invalid = ProposedBlock(header: header, transactions: built.transactions)
                    }
                    guard let invalid else { continue }
                    log.heights.withLock { _ = $0.insert(height) }
                    for round in rounds {
                        let proposal = Proposal.sign(
                            height: height, round: round, validRound: nil, blockID: invalid.id, chainID: chainID,
                            proposer: raw.member, key: raw.key)
                        _ = raw.transport.broadcast(ValidatorMessage.proposal(proposal, invalid).canonicalBytes)
                        _ = raw.transport.broadcast(ValidatorMessage.proposal(proposal, nil).canonicalBytes)
                        log.proposals.withLock { $0 += 2 }
                    }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func honestValidatorsKeepCommittingAndARestartedOneCatchesUpUnderHeadPoisoningAndInvalidBlockReplay()
        async throws
    {
        let fixture = LedgerFixture(validators: 7)
        let names = (1...6).map { "v\($0)" }
        let paths = ConsensusNetworkTests.paths(6)
        let raw = try await RawValidator.start("v7", fixture: fixture)
        try await withNetwork(paths, raw: raw) { honest in
            honest = try await ConsensusNetworkTests.start(names, fixture, paths: paths)
            connect(honest.map(\.transport) + [raw.transport])
            try await waitForHeight(2, honest)
            try await waitUntil("the attacker is connected to all six") { raw.transport.connectedPeers.count == 6 }
            let log = AttackLog()
            let attack = Self.attack(raw, watching: honest[0], log: log)
            defer { attack.cancel() }
            let attackStart = await ConsensusNetworkTests.maxHeight(honest)

            // Five of seven are a quorum: one honest validator stops, the others go on, and it falls behind.
            let victim = honest[5]
            let port = victim.address.port
            await victim.stop()
            let others = Array(honest.prefix(5))
            let stoppedAt = await victim.height
            try await waitForHeight(stoppedAt + 8, others, within: .seconds(120))
            let restarted = try await NetworkValidator.start(
                victim.name, fixture: fixture, path: victim.path, port: port, safety: victim.safety)
            honest[5] = restarted
            connect(honest.map(\.transport) + [raw.transport])
            let othersAtRestart = await ConsensusNetworkTests.maxHeight(others)
            try await waitUntil("the restarted validator catches up and votes", within: .seconds(120)) {
                let status = await restarted.driver.status()
                return await restarted.height >= othersAtRestart && status.mode == .voting
            }
            let target = await ConsensusNetworkTests.maxHeight(honest) + 3
            try await waitForHeight(target, honest, within: .seconds(120))
            attack.cancel()

            #expect(try await expectSameChain(honest) >= target)
            #expect(target > attackStart + 8, "the chain went on during the attack")
            let attacked = log.heights.withLock { $0 }
            #expect(restarted.metric(NodeMetrics.syncBlocksTotal) >= 1, "it fetched blocks by block sync")
            for validator in honest {
                let status = await validator.driver.status()
                #expect(status.bestPeerHeight < 1_000_000, "\(validator.name) never counted the lie")
                let executions = validator.metric(NodeMetrics.blockRejectedTotal, #"code="block.header_mismatch""#)
                #expect(
                    executions <= Double(attacked.count),
                    "\(validator.name) executed \(executions) invalid blocks for \(attacked.count) attacked heights")
            }
            #expect(log.proposals.withLock { $0 } > attacked.count * 2, "ids were re-proposed")
        }
    }
}
