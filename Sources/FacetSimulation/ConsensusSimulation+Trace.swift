import FacetConsensus
import FacetCore
import FacetLedger

/// A readable trace of a run (`facet sim --trace`): every event a machine handles and every action it returns
/// (counting observations left out), with the machine's Tendermint state after it, validators named v0…vn-1.
extension ConsensusSimulation {
    func traceLine(_ node: Int, _ text: String) {
        guard let tracer else { return }
        tracer("\(now)ms v\(node)\(nodes[node].byzantine ? "B" : ""): \(text)")
    }

    func traceState(_ node: Int) {
        guard tracer != nil else { return }
        let tendermint = nodes[node].machine.tendermint
        let locked = tendermint.lockedValue.map { "\(short($0))@\(tendermint.lockedRound ?? 0)" } ?? "-"
        let valid = tendermint.validValue.map { "\(short($0))@\(tendermint.validRound ?? 0)" } ?? "-"
        let decided = tendermint.decision.map { " decided=\(short($0.blockID))@\($0.round)" } ?? ""
        traceLine(
            node,
            "  = h=\(tendermint.height) r=\(tendermint.round) \(tendermint.step) locked=\(locked) valid=\(valid)"
                + "\(decided) head=\(nodes[node].state.height)")
    }

    func name(_ member: MemberID) -> String {
        nodes.firstIndex { $0.identity == member }.map { "v\($0)" } ?? String(member.hex.prefix(8))
    }

    func short(_ id: Hash256?) -> String { id.map { String($0.hex.prefix(6)) } ?? "nil" }

    func describe(_ message: ValidatorMessage) -> String {
        switch message {
        case .proposal(let proposal, let block):
            "proposal(h=\(proposal.height) r=\(proposal.round) vr=\(proposal.validRound.map(String.init) ?? "-")"
                + " \(short(proposal.blockID)) by \(name(proposal.proposer))\(block == nil ? " no block" : ""))"
        case .vote(let vote):
            "\(vote.kind)(h=\(vote.height) r=\(vote.round) \(short(vote.blockID)) by \(name(vote.validator)))"
        case .transactions(let transactions): "transactions(\(transactions.count))"
        case .status(let height, _): "status(\(height))"
        case .syncRequest(let from, let limit): "syncRequest(\(from), \(limit))"
        case .syncBlocks(let certified): "syncBlocks(\(certified.map(\.block.height)))"
        case .snapshotRequest: "snapshotRequest"
        case .snapshotManifest: "snapshotManifest"
        case .chunkRequest(_, let index): "chunkRequest(\(index))"
        case .chunk(_, let index, let bytes): "chunk(\(index), \(bytes.count) bytes)"
        }
    }

    func describe(_ event: ValidatorEvent) -> String {
        switch event {
        case .start(let head, let lastSigned, let signed):
            "start head=\(head.height) lastSigned=\(lastSigned.map { "\($0)" } ?? "-") signed=\(signed.count)"
        case .peer(let member, let message, _): "<- \(name(member)) \(describe(message))"
        case .timer(let timer): "timer \(timer)"
        case .tick: "tick"
        case .built(let block): "built \(short(block.id))"
        case .executed(let id, let rejection): "executed \(short(id)) \(rejection.map { "\($0)" } ?? "valid")"
        case .stored(let ok): "stored \(ok)"
        case .committed(.committed(let head)): "committed head=\(head.height)"
        case .committed(let result): "committed \(result)"
        case .synced(let result): "synced applied=\(result.applied) head=\(result.head.height)"
        }
    }

    func describe(_ action: ValidatorAction) -> String? {
        switch action {
        case .send(let message, let member): "-> \(name(member)) \(describe(message))"
        case .broadcast(let message): "-> all \(describe(message))"
        case .schedule(let timer, let after): "schedule \(timer) after \(after)"
        case .allow, .admit: nil
        case .buildProposal(let height, let round): "build h=\(height) r=\(round)"
        case .execute(let block): "execute \(short(block.id))"
        case .storeSigned(let slot, _): "store \(slot)"
        case .commit(let decision): "commit h=\(decision.height) r=\(decision.round) \(short(decision.blockID))"
        case .applySynced(let certified, let member): "apply \(certified.map(\.block.height)) from \(name(member))"
        case .serveSync(let from, let limit, let member): "serve \(from)+\(limit) to \(name(member))"
        case .serveSnapshot(_, let member): "serve a snapshot to \(name(member))"
        case .reportEvidence: "evidence"
        case .observe(.handled): nil
        case .observe(let observation): "observe \(observation)"
        }
    }
}
