import FacetConsensus
import FacetCore
import FacetLedger

/// What a simulated validator does with messages, actions, commits, restarts and synced blocks.
extension ConsensusSimulation {
    /// A consensus message of the validator's current height: verify, relay once to a random peer (epidemic
    /// gossip, which also lets equivocation surface), check the block, hand it to the machine.
    mutating func accept(_ node: Int, _ message: ConsensusMessage, block: ProposedBlock?, from: Int) {
        let validators = nodes[node].state.validators.set(at: message.height)
        guard verify(message, validators: validators) else { return }
        guard nodes[node].seen.insert(message).inserted else { return }
        nodes[node].received.append((message, block))
        if nodes.count > 2 {
            var peer = Int.random(in: 0...nodes.count - 1, using: &rng)
            while peer == node || peer == from { peer = (peer + 1) % nodes.count }
            send(.consensus(message, block: block), from: node, to: peer)
        }
        switch message {
        case .proposal(let proposal):
            var valid = false
            if let block, block.id == proposal.blockID {
                nodes[node].blocks[block.id] = block
                if case .success = validate(node, block) { valid = true }
            }
            perform(node, nodes[node].machine.handle(.proposal(proposal, valid: valid)))
        case .vote(let vote):
            perform(node, nodes[node].machine.handle(.vote(vote)))
        }
    }

    /// Carries out a machine's actions in order, with what they lead to (a requested value's answer).
    mutating func perform(_ node: Int, _ actions: [ConsensusAction]) {
        var pending = actions
        var position = 0
        while position < pending.count, report.violation == nil {
            let action = pending[position]
            position += 1
            switch action {
            case .persist(let slot):
                if let last = nodes[node].lastSigned, slot <= last {
                    fail("validator \(node) signs at \(slot) after \(last)")
                }
                if parameters.setChange != nil, expectedSet(at: slot.height).validator(nodes[node].identity) == nil {
                    fail("validator \(node) signs at \(slot) outside the set of that height")
                }
                nodes[node].lastSigned = slot
            case .broadcastProposal(let proposal):
                signAndSend(node, .proposal(proposal), block: nodes[node].blocks[proposal.blockID])
            case .broadcastVote(let vote):
                // The block voted for is stored with the vote: after a restart the lock may re-propose it.
                signAndSend(node, .vote(vote), block: vote.blockID.flatMap { nodes[node].blocks[$0] })
            case .scheduleTimeout(let kind, let height, let round, let after):
                let millis = after.components.seconds * 1_000 + after.components.attoseconds / 1_000_000_000_000_000
                queue.schedule(
                    .timeout(node: node, incarnation: nodes[node].incarnation, kind, height: height, round: round),
                    at: now + millis)
            case .requestProposalValue(let height, let round):
                let blockID = buildBlock(node)
                pending += nodes[node].machine.handle(.proposalValue(blockID, height: height, round: round))
            case .commit(let decision):
                commitDecided(node, decision)
            case .evidence(let misbehavior):
                recordEvidence(node, misbehavior)
            }
        }
    }

    /// Stores the signed message (the persist before it recorded the slot), then sends it; a Byzantine validator
    /// signs a conflicting twin for half of the network.
    mutating func signAndSend(_ node: Int, _ message: ConsensusMessage, block: ProposedBlock?) {
        if case .proposal = message, block == nil {
            fail("validator \(node) proposes a block it does not hold")
            return
        }
        var record = SignedRecord(message: message, block: block)
        if nodes[node].byzantine { (record.twin, record.twinBlock) = twin(node, message, block: block) }
        if record.twin != nil { report.equivocations += 1 }
        nodes[node].signed.append(record)
        broadcast(record, from: node)
    }

    /// A Byzantine validator's conflicting message for the same slot.
    mutating func twin(_ node: Int, _ message: ConsensusMessage, block: ProposedBlock?) -> (
        ConsensusMessage?, ProposedBlock?
    ) {
        let validator = nodes[node]
        switch message {
        case .vote(let vote):
            let other: Hash256? = vote.blockID == nil ? Hash256(bytes: rng.bytes(32)) : nil
            let twin = Vote.sign(
                vote.kind, height: vote.height, round: vote.round, blockID: other, chainID: chainID,
                validator: validator.identity, key: validator.key)
            return (.vote(twin), nil)
        case .proposal(let proposal):
            guard let block else { return (nil, nil) }
            let later = Timestamp(uncheckedMillis: block.header.time.millis + 1)
            let built = builder.propose(
                [], on: validator.state, previousBlockID: validator.lastBlockID(genesis: genesis.hash),
                proposer: validator.identity, now: later)
            nodes[node].blocks[built.block.id] = built.block
            let twin = Proposal.sign(
                height: proposal.height, round: proposal.round, validRound: proposal.validRound,
                blockID: built.block.id, chainID: chainID, proposer: validator.identity, key: validator.key)
            return (.proposal(twin), built.block)
        }
    }

    /// getValue(): a block of the next pool transactions on the validator's state, at the virtual time.
    mutating func buildBlock(_ node: Int) -> Hash256 {
        let validator = nodes[node]
        let start = min(validator.committedTransactions, pool.count)
        let end = min(start + parameters.blockSize, pool.count)
        let previous = validator.lastBlockID(genesis: genesis.hash)
        var transactions = Array(pool[start..<end])
        if let change = changeTransaction(on: validator.state) { transactions.insert(change, at: 0) }
        let built = builder.propose(
            transactions, on: validator.state, previousBlockID: previous, proposer: validator.identity,
            now: timestamp)
        nodes[node].blocks[built.block.id] = built.block
        let key = ExecutionKey(blockID: built.block.id, stateRoot: validator.state.stateRoot, previousBlockID: previous)
        executions[key] = .success(built.outcome)
        return built.block.id
    }

    mutating func commitDecided(_ node: Int, _ decision: Decision) {
        guard let block = nodes[node].blocks[decision.blockID], case .success(let outcome) = validate(node, block)
        else {
            fail("validator \(node) decided \(decision) without a valid block")
            return
        }
        let validators = nodes[node].state.validators.set(at: decision.height)
        let signers = Set(decision.precommits.map(\.validator))
        guard signers.count >= validators.quorum,
            decision.precommits.allSatisfy({ $0.blockID == decision.blockID && $0.kind == .precommit })
        else {
            fail("validator \(node) decided \(decision) without a quorum of precommits")
            return
        }
        let certificate = decision.certificate
        if certificateChecked.insert(decision.height).inserted {
            let check = certificate.verify(header: block.header, validators: validators)
            guard check == .valid else {
                fail("the certificate of \(decision) does not verify: \(check)")
                return
            }
        }
        commit(node, block: block, outcome: outcome, certificate: certificate)
    }

    /// Applies a block, checks agreement, and starts the next height (replaying its buffered messages).
    mutating func commit(_ node: Int, block: ProposedBlock, outcome: BlockOutcome, certificate: CommitCertificate) {
        nodes[node].state.commit(outcome)
        nodes[node].chain.append(CommittedBlock(block: block, certificate: certificate))
        nodes[node].committedTransactions += block.transactions.count { !$0.isValidatorChange }
        nodes[node].signed = []
        nodes[node].blocks = [:]
        nodes[node].seen = []
        nodes[node].received = []
        let height = block.height
        let root = nodes[node].state.stateRoot
        trace.mix(9, UInt64(now), UInt64(node), height)
        trace.mix(block.id)
        if parameters.setChange != nil, setChange == nil { noteScheduledChange(node, block: block) }
        if !nodes[node].byzantine {
            if let agreed = decided[height] {
                if agreed.blockID != block.id { fail("validators disagree at height \(height)") }
                if agreed.stateRoot != root { fail("state roots differ at height \(height)") }
            } else {
                decided[height] = (block.id, root)
                if parameters.setChange != nil {
                    checkDecided(node, block: block, outcome: outcome, certificate: certificate)
                }
                if healed, height > heightAtGST, report.commitAfterHealMillis == nil {
                    report.commitAfterHealMillis = now - gst
                }
            }
        }
        let next = nodes[node].nextHeight
        let actions = nodes[node].machine.start(height: next, validators: nodes[node].state.validators.set(at: next))
        perform(node, actions)
        let buffered = nodes[node].nextHeightBuffer
        nodes[node].nextHeightBuffer = []
        for (message, block) in buffered where message.height == next && nodes[node].nextHeight == next {
            accept(node, message, block: block, from: node)
        }
    }

    /// Block sync: a committed block from a peer, accepted when its certificate verifies against this
    /// validator's set and it re-executes to its header.
    mutating func applySynced(_ node: Int, block: ProposedBlock, certificate: CommitCertificate, from: Int) {
        let validator = nodes[node]
        guard block.height == validator.nextHeight, certificate.blockID == block.id else { return }
        let validators = validator.state.validators.set(at: block.height)
        guard certificate.verify(header: block.header, validators: validators) == .valid else { return }
        let previous = validator.lastBlockID(genesis: genesis.hash)
        switch builder.checkExecution(block, on: validator.state, previousBlockID: previous) {
        case .success(let outcome):
            report.blocksSynced += 1
            commit(node, block: block, outcome: outcome, certificate: certificate)
            nodes[node].lastSyncRequestMillis = now
            send(.syncRequest(height: nodes[node].nextHeight), from: node, to: from)
        case .failure(let rejection):
            fail("a certified block at height \(block.height) does not re-execute: \(rejection)")
        }
    }

    /// A crashed validator comes back: a new machine from the persisted safety state, its own messages of the
    /// height handed back (the lock is re-derived from them) and re-broadcast.
    mutating func restart(_ node: Int) {
        let validator = nodes[node]
        var machine = Tendermint(
            identity: validator.identity, key: validator.key, chainID: chainID, timeouts: ConsensusSimulation.timeouts,
            lastSigned: validator.lastSigned)
        nodes[node].alive = true
        nodes[node].seen = []
        nodes[node].received = []
        nodes[node].nextHeightBuffer = []
        nodes[node].blocks = [:]
        for record in validator.signed {
            if let block = record.block { nodes[node].blocks[block.id] = block }
        }
        let next = validator.nextHeight
        let actions = machine.start(
            height: next, validators: validator.state.validators.set(at: next),
            recovered: validator.signed.map(\.message))
        nodes[node].machine = machine
        perform(node, actions)
        for record in validator.signed { broadcast(record, from: node) }
    }

    mutating func recordEvidence(_ node: Int, _ misbehavior: Misbehavior) {
        guard !nodes[node].byzantine else { return }
        report.evidence += 1
        guard let offender = nodes.first(where: { $0.identity == misbehavior.offender }) else {
            fail("evidence against a non-validator")
            return
        }
        if !offender.byzantine { fail("validator \(node) reports a correct validator: \(misbehavior)") }
        if !proofChecked {
            proofChecked = true
            if !misbehavior.isProven(key: offender.key.publicKey, chainID: chainID) {
                fail("evidence does not prove itself: \(misbehavior)")
            }
        }
    }
}
