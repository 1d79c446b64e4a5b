import FacetConsensus
import FacetCore
import FacetLedger
import Logging

/// Carrying out the machine's actions with the node: the peer link, the ledger, the store, metrics and logs.
extension ConsensusDriver {
    /// Carries out one action; the answer to hand back when the action expects one.
    func perform(_ action: ValidatorAction) async -> ValidatorEvent? {
        switch action {
        case .send(let message, let member):
            await link.send(message.canonicalBytes, to: member)
        case .broadcast(let message):
            await link.broadcast(message.canonicalBytes)
        case .schedule(let timer, let after):
            timerInput.yield((timer, after))
        case .allow(let sets):
            await link.allow(sets)
        case .buildProposal:
            return .built(
                await node.proposal(
                    now: clock.now(), maxTransactions: settings.maxTransactions, maxBytes: settings.maxBytes,
                    builder: BlockBuilder(time: settings.time)))
        case .execute(let block):
            let rejection = await node.validate(block, now: clock.now(), builder: BlockBuilder(time: settings.time))
            return .executed(block.id, rejection)
        case .storeSigned(let slot, let messages):
            return .stored(await storeSigned(slot: slot, messages))
        case .commit(let decision):
            return .committed(await tryCommit(decision))
        case .applySynced(let certified, let member):
            return .synced(await applySynced(certified, from: member))
        case .serveSync(let from, let limit, let member):
            await serveSync(from: from, limit: limit, to: member)
        case .serveSnapshot(let query, let member):
            await serveSnapshot(query, to: member)
        case .admit(let transactions):
            if case .dropped = forwardedInput.yield(transactions) {
                node.metrics.droppedPeerMessage(reason: "admission_backlog")
            }
        case .reportEvidence(let misbehavior):
            await report(misbehavior)
        case .observe(let observation):
            observe(observation)
        }
        return nil
    }

    /// Reports a validator's equivocation as an evidence transaction, signed by this validator's member key.
    private func report(_ misbehavior: Misbehavior) async {
        let nonce = await node.nextNonce(for: identity)
        let transaction = Transaction.signed(
            chainID: chainID, signer: identity, nonce: nonce,
            body: .reportEvidence(ReportEvidence(misbehavior: misbehavior)), key: key)
        do {
            _ = try await node.submit(transaction.canonicalBytes)
        } catch {
            logger.warning("evidence transaction refused", metadata: ["node.error": "\(error)"])
        }
    }

    /// Metrics and logs for what the machine observed.
    private func observe(_ observation: ValidatorObservation) {
        switch observation {
        case .dropped(let reason):
            node.metrics.droppedPeerMessage(reason: reason)
        case .handled(let type):
            node.metrics.peerMessage(type)
        case .refused(let proposal, let rejection):
            node.metrics.rejectedBlock(code: rejection.code)
            logger.warning(
                "proposed block refused",
                metadata: [
                    "ledger.height": "\(proposal.height)", "consensus.round": "\(proposal.round)",
                    "block.error": "\(rejection.code)",
                ])
        case .syncing(let peer, let head, let claimed):
            logger.info(
                "syncing",
                metadata: [
                    "ledger.height": "\(head)", "sync.claimed": "\(claimed)", "sync.peer": "\(peer.hex.prefix(8))",
                ])
        case .synced(let applied, let head, let target):
            for _ in 0..<applied { node.metrics.synced(target: target) }
            logger.info(
                "synced blocks",
                metadata: ["ledger.height": "\(head)", "sync.target": "\(target)", "sync.blocks": "\(applied)"])
        case .storeRetry:
            node.metrics.storeRetry()
        case .storeRecovered(let height):
            logger.info("the store answers again; consensus resumes", metadata: ["consensus.height": "\(height)"])
        case .round(let round):
            node.metrics.consensus(round: round)
        case .equivocation(let misbehavior):
            node.metrics.evidence()
            logger.warning(
                "equivocation detected",
                metadata: [
                    "consensus.offender": "\(misbehavior.offender.hex)", "consensus.slot": "\(misbehavior.slot)",
                ])
        case .consensusKey(let key, let height):
            logger.notice(
                "signing with a new consensus key", metadata: ["consensus.height": "\(height)", "consensus.key": "\(key.hex)"])
        case .missingConsensusKey(let key, let height):
            logger.error(
                "this validator does not hold the consensus key its set names",
                metadata: ["consensus.height": "\(height)", "consensus.key": "\(key.hex)"])
        }
    }
}
