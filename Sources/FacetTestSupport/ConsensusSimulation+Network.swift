import FacetConsensus
import FacetCore
import FacetLedger

/// The simulated network: faults on send, delivery on the event queue, gossip and block sync.
extension ConsensusSimulation {
    /// Sends one message: before GST it may be cut by the partition or dropped; it may be duplicated; its delay is
    /// random, which reorders messages.
    mutating func send(_ message: SimulatedMessage, from: Int, to: Int) {
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
        let maxDelay = healed ? faults.healedMaxDelayMillis : faults.maxDelayMillis
        let delay = Int64.random(in: faults.minDelayMillis...maxDelay, using: &rng)
        queue.schedule(.deliver(to: to, from: from, message), at: now + delay)
        if Int.random(in: 0...99, using: &rng) < faults.duplicatePercent {
            report.messagesDuplicated += 1
            let again = Int64.random(in: faults.minDelayMillis...maxDelay, using: &rng)
            queue.schedule(.deliver(to: to, from: from, message), at: now + again)
        }
    }

    mutating func broadcast(_ message: SimulatedMessage, from: Int) {
        for peer in nodes.indices where peer != from { send(message, from: from, to: peer) }
    }

    /// Sends a signed record to every peer: a Byzantine validator sends its twin to the peers of the other half.
    mutating func broadcast(_ record: SignedRecord, from: Int) {
        for peer in nodes.indices where peer != from {
            if let twin = record.twin, !halves[peer] {
                send(.consensus(twin, block: record.twinBlock), from: from, to: peer)
            } else if case .proposal = record.message {
                send(.consensus(record.message, block: record.block), from: from, to: peer)
            } else {
                send(.consensus(record.message, block: nil), from: from, to: peer)
            }
        }
    }

    /// Each tick: tell peers the committed height (so laggards sync), and, if the height has not moved since the
    /// last tick, re-send this height's own messages to all and everything received to one random peer (what a
    /// gossip layer guarantees: every message a correct validator received eventually reaches the others).
    mutating func gossip(_ node: Int) {
        broadcast(.status(height: nodes[node].state.height), from: node)
        if nodes[node].heightAtLastGossip == nodes[node].state.height {
            for record in nodes[node].signed { broadcast(record, from: node) }
            if !nodes[node].byzantine, nodes.count > 1 {
                var peer = Int.random(in: 0...nodes.count - 1, using: &rng)
                if peer == node { peer = (peer + 1) % nodes.count }
                for (message, block) in nodes[node].received {
                    send(.consensus(message, block: block), from: node, to: peer)
                }
            }
        }
        nodes[node].heightAtLastGossip = nodes[node].state.height
    }

    mutating func receive(_ node: Int, from: Int, _ message: SimulatedMessage) {
        switch message {
        case .consensus(let consensus, let block):
            let next = nodes[node].nextHeight
            if consensus.height == next + 1 {
                if nodes[node].nextHeightBuffer.count < SimulatedValidator.nextHeightBufferLimit {
                    nodes[node].nextHeightBuffer.append((consensus, block))
                }
            } else if consensus.height == next {
                accept(node, consensus, block: block, from: from)
            }
        case .status(let height):
            let validator = nodes[node]
            guard height > validator.state.height,
                now - validator.lastSyncRequestMillis >= ConsensusSimulation.syncRetryMillis
            else { return }
            nodes[node].lastSyncRequestMillis = now
            send(.syncRequest(height: validator.nextHeight), from: node, to: from)
        case .syncRequest(let height):
            let chain = nodes[node].chain
            guard height >= 1, height <= UInt64(chain.count) else { return }
            let stored = chain[Int(height - 1)]
            send(.syncResponse(stored.block, stored.certificate), from: node, to: from)
        case .syncResponse(let block, let certificate):
            applySynced(node, block: block, certificate: certificate, from: from)
        }
    }

    /// A signature check done once per distinct message across the whole simulated network.
    mutating func verify(_ message: ConsensusMessage, validators: ValidatorSet) -> Bool {
        if let known = verified[message] { return known }
        let valid =
            validators.validator(message.sender).map { message.hasValidSignature(key: $0.publicKey, chainID: chainID) }
            ?? false
        verified[message] = valid
        return valid
    }

    /// A block executed once per (block, state) across the simulated validators: every correct validator at a
    /// height holds the same state, which the agreement check confirms at each commit.
    mutating func validate(_ node: Int, _ block: ProposedBlock) -> Result<BlockOutcome, BlockRejection> {
        let validator = nodes[node]
        let previous = validator.lastBlockID(genesis: genesis.hash)
        let key = ExecutionKey(blockID: block.id, stateRoot: validator.state.stateRoot, previousBlockID: previous)
        if let known = executions[key] { return known }
        let result = builder.validate(block, on: validator.state, previousBlockID: previous, now: timestamp)
        executions[key] = result
        return result
    }

    var timestamp: Timestamp { Timestamp(uncheckedMillis: genesis.time.millis + now) }
}
