import FacetCore
import FacetLedger

/// Peer messages: consensus messages checked and handed to Tendermint (or buffered for the next height),
/// forwarded transactions, status, and sync requests, each under its peer's quota.
extension ValidatorMachine {
    static var forwardedQuota: TokenBucket { TokenBucket(burst: forwardedBurst, perSecond: forwardedPerSecond) }
    static var syncQuota: TokenBucket { TokenBucket(burst: syncRequestBurst, perSecond: syncRequestsPerSecond) }
    static var snapshotQuota: TokenBucket {
        TokenBucket(burst: snapshotRequestBurst, perSecond: snapshotRequestsPerSecond)
    }

    mutating func receive(_ message: ValidatorMessage, from member: MemberID, bytes: Int) {
        // A peer that started the height this validator is holding back had a transaction to order.
        if let idle, message.consensusHeight == idle.height {
            push([.startHeight(recovered: []), .peer(member, message, bytes: bytes)])
            return
        }
        switch message {
        case .proposal(let proposal, let block):
            guard admit(height: proposal.height, message, from: member, bytes: bytes) else { return }
            receive(proposal, block: block, bytes: bytes)
        case .vote(let vote):
            guard admit(height: vote.height, message, from: member, bytes: bytes) else { return }
            receive(vote)
        case .transactions(let transactions):
            guard gossipQuotas[member, default: Self.forwardedQuota].take(transactions.count, at: now) else {
                out.append(.observe(.dropped("gossip_quota")))
                return
            }
            out.append(.observe(.handled("transactions")))
            out.append(.admit(transactions))
        case .status(let height, _):
            heads.claim(height, by: member)
            push([.requestSync(force: false)])
        case .syncRequest(let from, let limit):
            guard syncQuotas[member, default: Self.syncQuota].take(at: now) else {
                out.append(.observe(.dropped("sync_quota")))
                return
            }
            out.append(.serveSync(from: from, limit: min(limit, Self.syncBatch), to: member))
        case .syncBlocks(let certified):
            applySync(certified, from: member)
        case .snapshotRequest, .chunkRequest:
            // Each answer may be a chunk of up to 1 MiB: a peer gets a few a second.
            guard snapshotQuotas[member, default: Self.snapshotQuota].take(at: now) else {
                out.append(.observe(.dropped("snapshot_quota")))
                return
            }
            if case .chunkRequest(let manifest, let index) = message {
                out.append(.serveSnapshot(.chunk(manifest: manifest, index: Int(index)), to: member))
            } else {
                out.append(.serveSnapshot(.manifest, to: member))
            }
        case .snapshotManifest, .chunk:
            // A validator that runs consensus asked for none (state sync runs before it starts).
            out.append(.observe(.dropped("unsolicited_snapshot")))
        }
    }

    /// Whether a consensus message is for the current height; the next height's are kept for later. A message for
    /// the current height once it is decided (a late vote, while the commit interval runs) is stale like an older
    /// height's: Tendermint would ignore it, so it is dropped and observed.
    mutating func admit(height: UInt64, _ message: ValidatorMessage, from member: MemberID, bytes: Int) -> Bool {
        if height == tendermint.height && tendermint.decision == nil && tendermint.validators != nil { return true }
        if height == tendermint.height + 1 {
            // Each validator gets an equal share of the buffer, so one cannot crowd out the others' messages.
            let share = Self.maxBufferedMessages / max(tendermint.validators?.count ?? 1, 1)
            if nextHeight.count < Self.maxBufferedMessages && (bufferedBy[member] ?? 0) < share {
                nextHeight.append((member, message, bytes))
                bufferedBy[member, default: 0] += 1
            } else {
                out.append(.observe(.dropped("buffer_full")))
            }
            return false
        }
        out.append(.observe(.dropped(height > tendermint.height ? "future_height" : "stale_height")))
        return false
    }

    mutating func receive(_ proposal: Proposal, block: ProposedBlock?, bytes: Int) {
        guard !seen.contains(.proposal(proposal)) else { return }
        guard let validators = tendermint.validators, let proposer = validators.validator(proposal.proposer) else {
            out.append(.observe(.dropped("not_validator")))
            return
        }
        guard
            Tendermint.proposer(height: proposal.height, round: proposal.round, validators: validators)
                == proposer.member
        else {
            out.append(.observe(.dropped("not_proposer")))
            return
        }
        guard proposal.hasValidSignature(key: proposer.publicKey, chainID: chainID) else {
            out.append(.observe(.dropped("bad_signature")))
            return
        }
        if let block, block.id != proposal.blockID {
            out.append(.observe(.dropped("block_mismatch")))
            return
        }
        if let verdict = blocks.verdict(proposal.blockID) {
            // Judged before at this height (a re-proposal, or this node's own block): never executed again.
            hand(proposal, valid: verdict == .valid)
        } else if block != nil, bytes > ValidatorMessage.maxProposalBytes {
            // Over the block limit: a quorum deciding it would leave a block sync cannot serve. Refused unread, and
            // not remembered against the block's id: the size is this message's, not the block's. A Byzantine
            // proposer can re-propose a correct validator's block (its valid value) in a frame counted over the
            // limit; were that a verdict on the block, the correct proposers' later proposals of it would be refused
            // too, and a correct validator locked on it would prevote nil for every other value: no round decides.
            out.append(.observe(.refused(proposal, .tooLarge)))
            hand(proposal, valid: false)
        } else if let candidate = block ?? blocks[proposal.blockID] {
            check(candidate, proposal: proposal, bytes: bytes)
        } else {
            out.append(.observe(.dropped("unknown_block")))
        }
    }

    /// Asks for a proposed block's execution once, unless Tendermint would not keep the proposal (a third block in
    /// one round, a far-ahead round) or the proposer's share of blocks is full.
    mutating func check(_ candidate: ProposedBlock, proposal: Proposal, bytes: Int) {
        let executions = executedRounds[proposal.round] ?? 0
        let ahead = proposal.round > tendermint.round && proposal.round - tendermint.round > tendermint.roundsAhead
        guard executions < Self.maxExecutionsPerRound, !ahead else {
            out.append(.observe(.dropped("unexecuted_proposal")))
            if ahead { hand(proposal, valid: false) }
            return
        }
        let pinned = Set([tendermint.lockedValue, tendermint.validValue].compactMap { $0 })
        guard blocks.insert(candidate, bytes: bytes, proposer: proposal.proposer, pinned: pinned) else {
            out.append(.observe(.dropped("block_quota")))
            return
        }
        executedRounds[proposal.round] = executions + 1
        ask(.execute(candidate), .executed(proposal))
    }

    /// Records a block's rejection (unless it depends on this node's clock, which may judge it again) and says the
    /// proposal is invalid.
    mutating func refuse(_ proposal: Proposal, _ rejection: BlockRejection) -> Bool {
        if rejection != .timeTooFarAhead { blocks.judge(proposal.blockID, .invalid(rejection)) }
        out.append(.observe(.refused(proposal, rejection)))
        return false
    }

    /// Hands a checked proposal to Tendermint.
    mutating func hand(_ proposal: Proposal, valid: Bool) {
        out.append(.observe(.handled("proposal")))
        remember(.proposal(proposal))
        push(consensus: tendermint.handle(.proposal(proposal, valid: valid)))
    }

    mutating func receive(_ vote: Vote) {
        guard !seen.contains(.vote(vote)) else { return }
        guard let validators = tendermint.validators, let validator = validators.validator(vote.validator) else {
            out.append(.observe(.dropped("not_validator")))
            return
        }
        guard vote.hasValidSignature(key: validator.publicKey, chainID: chainID) else {
            out.append(.observe(.dropped("bad_signature")))
            return
        }
        // Observed, and still handed in: Tendermint's "2f+1 votes for anything" rules need every signed vote, and a
        // vote for a block this node has not seen is legitimate when the proposal reached others first.
        if let blockID = vote.blockID, blocks[blockID] == nil {
            out.append(.observe(.dropped("unknown_block")))
        }
        out.append(.observe(.handled("vote")))
        push(consensus: tendermint.handle(.vote(vote)))
        // A conflicting vote the log had no room for is not marked seen: once a proposal names its value, a relay of
        // it is read again.
        if !tendermint.unkept { remember(.vote(vote)) }
    }

    mutating func remember(_ message: ConsensusMessage) {
        if seen.count < Self.maxSeenMessages, seen.insert(message).inserted { received.append(message) }
    }
}
