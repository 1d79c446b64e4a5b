import FacetCore
import FacetLedger

/// The `upon` rules of Algorithm 1 and its timeout functions. Rules are conditions on the state and the log, so
/// after every event they are tried until none fires; each firing changes the step, the round, a "for the first
/// time" flag or the decision, so the loop ends.
extension Tendermint {
    mutating func evaluate() {
        while decision == nil, applyRule() {}
    }

    private mutating func applyRule() -> Bool {
        if commitIfDecided() { return true }  // line 49
        if skipRound() { return true }  // line 55
        if step == .propose, prevoteOnProposal() { return true }  // lines 22 and 28
        if step >= .prevote, !lockOrValidUpdated, lockOrUpdateValid() { return true }  // line 36
        let messages = log![round]
        if step == .prevote, messages.count(.prevote, for: nil) >= quorum {  // line 44
            vote(.precommit, nil)
            step = .precommit
            return true
        }
        if step == .prevote, !prevoteTimeoutScheduled, messages.count(.prevote) >= quorum {  // line 34
            prevoteTimeoutScheduled = true
            schedule(.prevote)
            return true
        }
        if !precommitTimeoutScheduled, messages.count(.precommit) >= quorum {  // line 47
            precommitTimeoutScheduled = true
            schedule(.precommit)
            return true
        }
        return false
    }

    /// Line 49: a proposal of any round with 2f+1 precommits for its valid block decides the height.
    private mutating func commitIfDecided() -> Bool {
        guard let log else { return false }
        for number in log.roundNumbers {
            let messages = log[number]
            for entry in messages.proposals where entry.valid {
                let blockID = entry.proposal.blockID
                guard messages.count(.precommit, for: blockID) >= quorum else { continue }
                let precommits = messages.votes(.precommit, for: blockID)
                let decided = Decision(height: height, round: number, blockID: blockID, precommits: precommits)
                decision = decided
                actions.append(.commit(decided))
                return true
            }
        }
        return false
    }

    /// Line 55: f+1 validators sent messages for a higher round of this height: jump to it. Far-ahead rounds (not
    /// stored) count a validator as being at its highest far round, so the jump is to the (f+1)-th highest.
    private mutating func skipRound() -> Bool {
        guard let log, let validators else { return false }
        let needed = faultTolerance + 1
        let far = farRounds.compactMap { $0 }.sorted(by: >)
        if far.count >= needed, far[needed - 1] > round {
            startRound(far[needed - 1])
            return true
        }
        for number in log.roundNumbers.reversed() where number > round {
            let proposer = Tendermint.proposer(height: height, round: number, validators: validators)
            if log[number].senders(proposerIndex: index(of: proposer) ?? -1) >= needed {
                startRound(number)
                return true
            }
        }
        return false
    }

    /// Lines 22 and 28, while the step is propose.
    private mutating func prevoteOnProposal() -> Bool {
        let messages = log![round]
        for entry in messages.proposals {
            let blockID = entry.proposal.blockID
            if let proposedValidRound = entry.proposal.validRound {
                guard proposedValidRound < round,
                    log![proposedValidRound].count(.prevote, for: blockID) >= quorum
                else { continue }
                let acceptable = (lockedRound.map { $0 <= proposedValidRound } ?? true) || lockedValue == blockID
                vote(.prevote, entry.valid && acceptable ? blockID : nil)
            } else {
                let acceptable = lockedRound == nil || lockedValue == blockID
                vote(.prevote, entry.valid && acceptable ? blockID : nil)
            }
            step = .prevote
            return true
        }
        return false
    }

    /// Line 36: the proposal of this round has 2f+1 prevotes: lock on it (if still at prevote) and remember it as
    /// the valid value.
    private mutating func lockOrUpdateValid() -> Bool {
        let messages = log![round]
        for entry in messages.proposals where entry.valid {
            let blockID = entry.proposal.blockID
            guard messages.count(.prevote, for: blockID) >= quorum else { continue }
            lockOrValidUpdated = true
            if step == .prevote {
                lockedValue = blockID
                lockedRound = round
                vote(.precommit, blockID)
                step = .precommit
            }
            validValue = blockID
            validRound = round
            return true
        }
        return false
    }

    /// OnTimeoutPropose, OnTimeoutPrevote and OnTimeoutPrecommit (lines 57–67), for the current height and round.
    mutating func onTimeout(_ kind: TimeoutKind) {
        switch kind {
        case .propose:
            guard step == .propose else { return }
            awaitingValue = false
            vote(.prevote, nil)
            step = .prevote
        case .prevote:
            guard step == .prevote else { return }
            vote(.precommit, nil)
            step = .precommit
        case .precommit:
            precondition(round < UInt32.max, "rounds are bounded by 32 bits")
            startRound(round + 1)
        }
    }
}
