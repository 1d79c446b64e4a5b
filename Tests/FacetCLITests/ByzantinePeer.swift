import FacetConsensus
import FacetCore
import FacetLedger
import FacetNode
import FacetPeer
import Foundation
import Logging
import Synchronization

/// A Byzantine validator in the test's process, against `facet node start` processes: one validator's key behind a
/// real `PeerTransport`, so it passes the signed handshake and speaks `contracts/peer-protocol.md` like any validator.
/// Once `attack()` starts it, every 100 ms it announces a head a million heights up (and never serves a block), and
/// at each height whose round 0 it leads it proposes an invalid block and re-proposes that id at each of its rounds.
/// Meanwhile it votes at every slot, once: for the block an honest proposer proposes, else as the first honest vote it
/// sees there (nil after a timeout). So two honest validators and it are still a quorum that can time rounds out and
/// decide: with the third one down the chain goes on, and the restarted one has something to catch up on.
/// It lives in the test target: nothing of it is linked into the `facet` binary.
final class ByzantinePeer: Sendable {
    let key: SigningKey
    let member: MemberID
    let chainID: Label
    let validators: ValidatorSet
    let transport: PeerTransport
    /// The highest head an honest validator announced, and its block id (the invalid blocks build on it).
    private let head = Mutex<(height: UInt64, blockID: Hash256)>((0, .zero))
    /// Heights it proposed an invalid block at, and how many proposals it sent.
    let attackedHeights = Mutex<Set<UInt64>>([])
    let proposals = Mutex(0)
    /// The slots (height, round, kind) it voted at, for the last few heights: it never signs two votes at one.
    private let voted = Mutex<Set<Slot>>([])
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(key: SigningKey, genesis: Genesis, listen: PeerAddress, peers: [MemberID: PeerAddress]) {
        self.key = key
        member = MemberID(initialKey: key.publicKey)
        chainID = genesis.params.chainID
        validators = genesis.validatorSet
        var allowed = [MemberID: PublicKey]()
        for validator in validators.validators { allowed[validator.member] = validator.publicKey }
        var logger = Logger(label: "facet.test.byzantine")
        logger.logLevel = .critical
        transport = PeerTransport(
            member: member, key: key, chainID: chainID,
            config: PeerConfig(
                listen: listen, peers: peers, handshakeTimeout: .seconds(5), connectTimeout: .seconds(2),
                backoff: PeerBackoff(initial: .milliseconds(100), maximum: .seconds(1))),
            allowed: allowed, logger: logger)
    }

    var highestHonestHead: UInt64 { head.withLock { $0.height } }

    /// Listens, dials, and reads what the honest validators send (their heads, their proposals to vote for).
    func start() async throws {
        try await transport.start()
        let listener = Task { [self] in
            for await message in transport.inbound {
                guard
                    let decoded = try? ValidatorMessage(
                        canonicalBytes: message.payload, limit: ValidatorMessage.maxBytes)
                else { continue }
                receive(decoded)
            }
        }
        tasks.withLock { $0.append(listener) }
    }

    func attack() {
        let attacker = Task { [self] in
            var invalid: ProposedBlock?
            while !Task.isCancelled {
                _ = transport.broadcast(ValidatorMessage.status(height: 1_000_000, blockID: .zero).canonicalBytes)
                let (height, previous) = head.withLock { ($0.height + 1, $0.blockID) }
                let rounds = (UInt32(0)...8).filter {
                    Tendermint.proposer(height: height, round: $0, validators: validators) == member
                }
                if height > 1, rounds.first == 0 {
                    if invalid?.header.height != height { invalid = invalidBlock(at: height, after: previous) }
                    if let invalid { propose(invalid, rounds: rounds) }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        tasks.withLock { $0.append(attacker) }
    }

    func stop() async {
        for task in tasks.withLock({ $0 }) { task.cancel() }
        await transport.stop()
    }

    private func receive(_ message: ValidatorMessage) {
        switch message {
        case .status(let height, let blockID):
            head.withLock { if height > $0.height { $0 = (height, blockID) } }
        case .proposal(let proposal, _) where proposal.proposer != member:
            for kind in [VoteKind.prevote, .precommit] {
                vote(kind, height: proposal.height, round: proposal.round, for: proposal.blockID)
            }
        case .vote(let honest) where honest.validator != member:
            vote(honest.kind, height: honest.height, round: honest.round, for: honest.blockID)
        default:
            break
        }
    }

    struct Slot: Hashable {
        var height: UInt64
        var round: UInt32
        var kind: VoteKind
    }

    /// Signs and sends a vote unless it already voted at the slot; forgets slots four heights below.
    private func vote(_ kind: VoteKind, height: UInt64, round: UInt32, for blockID: Hash256?) {
        let first = voted.withLock { slots in
            slots = slots.filter { $0.height + 4 > height }
            return slots.insert(Slot(height: height, round: round, kind: kind)).inserted
        }
        guard first else { return }
        let vote = Vote.sign(
            kind, height: height, round: round, blockID: blockID, chainID: chainID, validator: member, key: key)
        _ = transport.broadcast(ValidatorMessage.vote(vote).canonicalBytes)
    }

    /// A block at `height` on the announced head whose header claims a state no execution gives.
    private func invalidBlock(at height: UInt64, after previous: Hash256) -> ProposedBlock {
        let empty = MerkleTree.root(leafHashes: [])
        let header = BlockHeader(
            chainID: chainID, height: height,
            time: Timestamp(uncheckedMillis: Int64(Date().timeIntervalSince1970 * 1000)),
            previousBlockID: previous, transactionRoot: empty, transactionCount: 0, resultsRoot: empty, logSize: 0,
            logRoot: empty, stateRoot: SHA256Hash.digest(Array("not the state at \(height)".utf8)),
            validatorsHash: validators.hash, nextValidatorsHash: validators.hash, proposer: member)
        return ProposedBlock(header: header, transactions: [])
    }

    /// Proposes the block at each round it leads, with the block and bare (an id it hopes is executed again).
    private func propose(_ block: ProposedBlock, rounds: [UInt32]) {
        attackedHeights.withLock { _ = $0.insert(block.header.height) }
        for round in rounds {
            let proposal = Proposal.sign(
                height: block.header.height, round: round, validRound: nil, blockID: block.id, chainID: chainID,
                proposer: member, key: key)
            _ = transport.broadcast(ValidatorMessage.proposal(proposal, block).canonicalBytes)
            _ = transport.broadcast(ValidatorMessage.proposal(proposal, nil).canonicalBytes)
            proposals.withLock { $0 += 2 }
        }
    }
}
