import FacetConsensus
import FacetCore
import FacetLedger

/// The simulated network: faults on send, delivery on the event queue, and what the Byzantine validators make of
/// the messages their machines send.
extension ConsensusSimulation {
    /// Sends one message: before GST it may be cut by the partition or dropped; it may be duplicated; its delay is
    /// random, which reorders messages. The frame's size travels with it, as the transport counts it.
    mutating func send(_ message: ValidatorMessage, from: Int, to: Int) {
        if nodes[from].byzantine, parameters.attack == .silence { return }
        report.messagesSent += 1
        let faults = parameters.faults
        if !healed {
            if let partition, partition[from] != partition[to] {
                report.messagesDropped += 1
                return
            }
            if Int.random(in: 0...99, using: &rng) < faults.dropPercent {
                report.messagesDropped += 1
                return
            }
        }
        let bytes = size(of: message, from: from)
        let maxDelay = healed ? faults.healedMaxDelayMillis : faults.maxDelayMillis
        let delay = Int64.random(in: faults.minDelayMillis...maxDelay, using: &rng)
        queue.schedule(.deliver(to: to, from: from, message, bytes: bytes), at: now + delay)
        if Int.random(in: 0...99, using: &rng) < faults.duplicatePercent {
            report.messagesDuplicated += 1
            let again = Int64.random(in: faults.minDelayMillis...maxDelay, using: &rng)
            queue.schedule(.deliver(to: to, from: from, message, bytes: bytes), at: now + again)
        }
    }

    /// The encoded size of a message as the machine is told it: a proposal's with its block is measured once per
    /// block; an `oversize` attacker's proposals arrive over the limit.
    mutating func size(of message: ValidatorMessage, from: Int) -> Int {
        guard case .proposal(_, let block?) = message else { return 256 }
        if nodes[from].byzantine, parameters.attack == .oversize { return ValidatorMessage.maxProposalBytes + 1 }
        if let known = proposalBytes[block.id] { return known }
        let bytes = message.canonicalBytes.count
        proposalBytes[block.id] = bytes
        return bytes
    }

    /// Sends a machine's broadcast to every other node, as its attack rewrites it: an equivocator sends a
    /// conflicting twin to the peers of the other half, and both versions to one witness.
    mutating func broadcast(_ message: ValidatorMessage, from node: Int) {
        if nodes[node].byzantine, parameters.attack == .equivocation, let twin = twin(node, message) {
            let witness = correct.first { halves[$0] }
            for peer in nodes.indices where peer != node {
                send(halves[peer] ? message : twin, from: node, to: peer)
                if peer == witness { send(twin, from: node, to: peer) }
            }
            return
        }
        let sent = outgoing(node, message)
        for peer in nodes.indices where peer != node { send(sent, from: node, to: peer) }
    }

    /// What a Byzantine node sends in the place of its machine's message.
    mutating func outgoing(_ node: Int, _ message: ValidatorMessage) -> ValidatorMessage {
        guard nodes[node].byzantine else { return message }
        switch (parameters.attack, message) {
        case (.headPoisoning, .status(let height, let blockID)):
            return .status(height: height + 1_000_000, blockID: blockID)
        case (.invalidBlocks, .proposal(let proposal, _)):
            return invalidProposal(node, proposal)
        default:
            return message
        }
    }

    /// An equivocator's conflicting message for the same slot, made once per message it signed.
    mutating func twin(_ node: Int, _ message: ValidatorMessage) -> ValidatorMessage? {
        let signed: ConsensusMessage
        switch message {
        case .proposal(let proposal, _): signed = .proposal(proposal)
        case .vote(let vote): signed = .vote(vote)
        default: return nil
        }
        if let known = nodes[node].twins[signed] { return known }
        let validator = nodes[node]
        let twin: ValidatorMessage
        switch message {
        case .vote(let vote):
            let other: Hash256? = vote.blockID == nil ? Hash256(bytes: rng.bytes(32)) : nil
            twin = .vote(
                Vote.sign(
                    vote.kind, height: vote.height, round: vote.round, blockID: other, chainID: chainID,
                    validator: validator.identity, key: validator.key))
        case .proposal(let proposal, _):
            let built = builder.propose(
                [], on: validator.state, previousBlockID: validator.lastBlockID(genesis: genesis.hash),
                proposer: validator.identity, now: Timestamp(uncheckedMillis: timestamp.millis + 1))
            twin = .proposal(
                Proposal.sign(
                    height: proposal.height, round: proposal.round, validRound: proposal.validRound,
                    blockID: built.block.id, chainID: chainID, proposer: validator.identity, key: validator.key),
                built.block)
        default:
            return nil
        }
        nodes[node].twins[signed] = twin
        report.equivocations += 1
        return twin
    }

    /// An `invalidBlocks` attacker's proposal: a block whose state root is wrong (it decodes and passes every
    /// check but execution), signed for the same slot and sent again unchanged on every re-broadcast.
    mutating func invalidProposal(_ node: Int, _ proposal: Proposal) -> ValidatorMessage {
        if let known = nodes[node].twins[.proposal(proposal)] { return known }
        let validator = nodes[node]
        let built = builder.propose(
            [], on: validator.state, previousBlockID: validator.lastBlockID(genesis: genesis.hash),
            proposer: validator.identity, now: timestamp)
        var header = built.block.header
        header.stateRoot = SHA256Hash.digest(Array("not the state \(proposal.round)".utf8))
        let block = ProposedBlock(header: header, transactions: built.block.transactions)
        let invalid = ValidatorMessage.proposal(
            Proposal.sign(
                height: proposal.height, round: proposal.round, validRound: proposal.validRound, blockID: block.id,
                chainID: chainID, proposer: validator.identity, key: validator.key),
            block)
        nodes[node].twins[.proposal(proposal)] = invalid
        return invalid
    }

    /// A `syncFlood` attacker's tick: sync requests from the first height to every peer, many times over.
    mutating func flood(_ node: Int) {
        for peer in nodes.indices where peer != node {
            for _ in 0..<16 { send(.syncRequest(from: 1, limit: ValidatorMachine.syncBatch), from: node, to: peer) }
        }
    }
}
