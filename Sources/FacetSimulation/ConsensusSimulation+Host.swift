import FacetConsensus
import FacetCore
import FacetLedger

/// What a `ConsensusDriver` does with its machine's actions, done on the simulated node: the ledger is a
/// `WorldState` with its chain, the store a safety record that fails while the store is down, the link the
/// simulated network. The checks of the run sit where the node would write: every signature stored, every commit.
extension ConsensusSimulation {
    /// Hands an event to a node's machine and carries out its actions, handing each answer back before anything else.
    mutating func drive(_ node: Int, _ event: ValidatorEvent) {
        var event = event
        while true {
            let actions = nodes[node].machine.handle(event, at: .milliseconds(now))
            if tracer != nil {
                if case .tick = event, actions.allSatisfy({ describe($0) == nil }) {
                } else {
                    traceLine(node, describe(event))
                    for action in actions { if let text = describe(action) { traceLine(node, "  " + text) } }
                    traceState(node)
                }
            }
            var answer: ValidatorEvent?
            for action in actions {
                if let result = perform(node, action) { answer = result }
            }
            guard let answer else { return }
            event = answer
        }
    }

    mutating func perform(_ node: Int, _ action: ValidatorAction) -> ValidatorEvent? {
        switch action {
        case .send(let message, let member):
            for peer in nodes.indices where peer != node && nodes[peer].identity == member {
                send(outgoing(node, message), from: node, to: peer)
            }
        case .broadcast(let message):
            broadcast(message, from: node)
        case .schedule(let timer, let after):
            let millis = after.components.seconds * 1_000 + after.components.attoseconds / 1_000_000_000_000_000
            queue.schedule(.timer(node: node, incarnation: nodes[node].incarnation, timer), at: now + millis)
        case .allow, .admit:
            break
        case .buildProposal:
            return .built(buildBlock(node))
        case .execute(let block):
            switch validate(node, block) {
            case .success(let outcome):
                nodes[node].executed[block.id] = (block, outcome)
                return .executed(block.id, nil)
            case .failure(let rejection):
                return .executed(block.id, rejection)
            }
        case .storeSigned(let slot, let messages):
            return .stored(storeSigned(node, slot: slot, messages))
        case .commit(let decision):
            return .committed(commitDecided(node, decision))
        case .applySynced(let certified, let member):
            return .synced(applySynced(node, certified, from: member))
        case .serveSync(let from, let limit, let member):
            serveSync(node, from: from, limit: limit, to: member)
        case .serveSnapshot:
            break  // the simulation's validators take no snapshots (state sync is `StateSyncMachine`'s suite)
        case .reportEvidence(let misbehavior):
            recordEvidence(node, misbehavior)
        case .observe(let observation):
            if case .refused = observation, !nodes[node].byzantine { report.refusedProposals += 1 }
        }
        return nil
    }

    /// The safety state: refused while the store is down; otherwise the slot must be above the last one stored
    /// (or the same slot with the same messages, written again), and inside the set of its height.
    mutating func storeSigned(_ node: Int, slot: ConsensusSlot, _ messages: [ConsensusMessage]) -> Bool {
        guard !nodes[node].storeDown else { return false }
        if let last = nodes[node].lastSigned, slot < last || (slot == last && messages != nodes[node].signed) {
            fail("validator \(node) signs at \(slot) after \(last)")
        }
        if parameters.setChange != nil, expectedSet(at: slot.height).validator(nodes[node].identity) == nil {
            fail("validator \(node) signs at \(slot) outside the set of that height")
        }
        nodes[node].lastSigned = slot
        nodes[node].signed = messages
        return true
    }

    /// getValue(): a block of the next pool transactions on the validator's state, at the virtual time.
    mutating func buildBlock(_ node: Int) -> ProposedBlock {
        let validator = nodes[node]
        let start = min(validator.committedTransactions, pool.count)
        let end = min(start + parameters.blockSize, pool.count)
        let previous = validator.lastBlockID(genesis: genesis.hash)
        var transactions = Array(pool[start..<end])
        if let change = changeTransaction(on: validator.state) { transactions.insert(change, at: 0) }
        let built = builder.propose(
            transactions, on: validator.state, previousBlockID: previous, proposer: validator.identity,
            now: timestamp)
        nodes[node].executed[built.block.id] = (built.block, built.outcome)
        let key = ExecutionKey(blockID: built.block.id, stateRoot: validator.state.stateRoot, previousBlockID: previous)
        executions[key] = .success(built.outcome)
        return built.block
    }

    /// Commits a decided block as `LedgerNode.commitDecided` does: only a block executed here at the next height,
    /// and only while the store answers. The decision must carry a quorum and its certificate must verify.
    mutating func commitDecided(_ node: Int, _ decision: Decision) -> CommitResult {
        guard !nodes[node].storeDown else { return .storeFailed }
        guard let (block, outcome) = nodes[node].executed[decision.blockID], block.height == nodes[node].nextHeight
        else { return .notExecuted }
        let validators = nodes[node].state.validators.set(at: decision.height)
        let signers = Set(decision.precommits.map(\.validator))
        guard signers.count >= validators.quorum,
            decision.precommits.allSatisfy({ $0.blockID == decision.blockID && $0.kind == .precommit })
        else {
            fail("validator \(node) decided \(decision) without a quorum of precommits")
            return .notExecuted
        }
        let certificate = decision.certificate
        if certificateChecked.insert(decision.height).inserted {
            let check = certificate.verify(header: block.header, validators: validators)
            guard check == .valid else {
                fail("the certificate of \(decision) does not verify: \(check)")
                return .notExecuted
            }
        }
        commit(node, block: block, outcome: outcome, certificate: certificate)
        return .committed(nodes[node].head(genesis: genesis.hash))
    }

    /// Applies a block to the node's ledger and checks agreement among correct validators.
    mutating func commit(_ node: Int, block: ProposedBlock, outcome: BlockOutcome, certificate: CommitCertificate) {
        nodes[node].state.commit(outcome)
        nodes[node].chain.append(CertifiedBlock(block: block, certificate: certificate))
        nodes[node].committedTransactions += block.transactions.count { !$0.isValidatorChange }
        nodes[node].executed = [:]
        let height = block.height
        let root = nodes[node].state.stateRoot
        trace.mix(9, UInt64(now), UInt64(node), height)
        trace.mix(block.id)
        if parameters.setChange != nil, setChange == nil { noteScheduledChange(node, block: block) }
        guard !nodes[node].byzantine else { return }
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

    /// Block sync as `LedgerNode.applyCertified` does it: the blocks that follow the head, each with a certificate of
    /// the set of its height, re-executed to its header; the first that fails stops the answer. A correct peer never
    /// serves a block that fails.
    mutating func applySynced(_ node: Int, _ certified: [CertifiedBlock], from member: MemberID) -> SyncResult {
        var result = SyncResult(applied: 0, head: nodes[node].head(genesis: genesis.hash))
        for entry in certified {
            let validator = nodes[node]
            guard entry.block.height == validator.nextHeight else { continue }
            guard !validator.storeDown else {
                result.storeFailed = true
                break
            }
            let validators = validator.state.validators.set(at: entry.block.height)
            let previous = validator.lastBlockID(genesis: genesis.hash)
            guard entry.certificate.blockID == entry.block.id,
                entry.certificate.verify(header: entry.block.header, validators: validators) == .valid,
                case .success(let outcome) = builder.checkExecution(
                    entry.block, on: validator.state, previousBlockID: previous)
            else {
                if nodes.contains(where: { $0.identity == member && !$0.byzantine }) {
                    fail("a correct validator served block \(entry.block.height), which does not verify")
                }
                result.refused = true
                break
            }
            report.blocksSynced += 1
            commit(node, block: entry.block, outcome: outcome, certificate: entry.certificate)
            result.applied += 1
        }
        result.head = nodes[node].head(genesis: genesis.hash)
        return result
    }

    /// Serves committed blocks from the node's chain (nothing while its store is down; nothing from a poisoner).
    mutating func serveSync(_ node: Int, from height: UInt64, limit: UInt32, to member: MemberID) {
        guard !nodes[node].storeDown else { return }
        let chain = nodes[node].chain
        var answer = [CertifiedBlock]()
        let poisoner = nodes[node].byzantine && parameters.attack == .headPoisoning
        if height >= 1, height <= UInt64(chain.count), !poisoner {
            let end = min(UInt64(chain.count), height - 1 + UInt64(limit))
            answer = Array(chain[Int(height - 1)..<Int(end)])
        }
        for peer in nodes.indices where peer != node && nodes[peer].identity == member {
            send(.syncBlocks(answer), from: node, to: peer)
        }
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

    /// A block executed once per (block, state) across the simulated validators.
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
