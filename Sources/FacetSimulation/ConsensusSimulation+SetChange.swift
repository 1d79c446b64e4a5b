import FacetConsensus
import FacetCore
import FacetLedger

/// Where an accepted transaction sits in the transparency log: what a proof bundle for it needs.
struct LogEntry: Sendable {
    var bytes: [UInt8]
    var signerKey: PublicKey
    var index: UInt64
    var height: UInt64
    var id: TransactionID
}

/// A planned validator-set change (`SimulationParameters.setChange`): proposers put the approved
/// `change_validators` transaction in their blocks, and the run checks that every decided block is signed by the set
/// of its height, that only that set signs, that the joining validators take part, and that a proof bundle crosses
/// the change.
extension ConsensusSimulation {
    /// The set that must sign the block at `height`: the planned set from the effective height of a scheduled change.
    func expectedSet(at height: UInt64) -> ValidatorSet {
        if let setChange, let plannedSet, height >= setChange.effectiveHeight { return plannedSet }
        return genesisSet
    }

    /// The change a proposer puts in its block on `state`: once the announce height is reached, while no change is
    /// scheduled, the planned set is not in force and all its members are active validators (the joining ones were
    /// registered by the pool). The approvals are by the first quorum of the current set, effective as early as the
    /// consortium allows.
    mutating func changeTransaction(on state: WorldState) -> Transaction? {
        guard let change = parameters.setChange, let plannedSet else { return nil }
        let height = state.height + 1
        let schedule = state.validators
        guard height >= change.announceHeight, schedule.next == nil, schedule.current != plannedSet,
            plannedSet.validators.allSatisfy({ isActiveValidator($0.member, in: state) })
        else { return nil }
        if let signed = changeTransactions[height] { return signed }
        let effective = height + change.delay
        let payload = ValidatorChangePayload.bytes(validators: plannedSet, effectiveHeight: effective)
        let approvals = schedule.current.validators.prefix(schedule.current.quorum).map { validator in
            ValidatorApproval(
                validator: validator.member,
                signature: key(of: validator.member).sign(
                    purpose: .validatorSetChange, chainID: chainID, payload: payload))
        }
        // v1 proposes every version; the height is its nonce, which only has to increase.
        let proposer = nodes[0]
        let signed = Transaction.signed(
            chainID: chainID, signer: proposer.identity, nonce: height,
            body: .changeValidators(.init(validators: plannedSet, effectiveHeight: effective, approvals: approvals)),
            key: proposer.key)
        changeTransactions[height] = signed
        return signed
    }

    func isActiveValidator(_ member: MemberID, in state: WorldState) -> Bool {
        guard let record = state.record(Member.self, member.hash) else { return false }
        return record.status == .active && record.roles.contains(.validator)
    }

    func key(of member: MemberID) -> SigningKey {
        guard let node = nodes.first(where: { $0.identity == member }) else {
            preconditionFailure("no simulated validator \(member)")
        }
        return node.key
    }

    /// After a commit: the first state that schedules a change must schedule the planned set, effective `delay`
    /// heights after the block that carried it; every correct validator must then reach `heightsAfter` beyond it.
    mutating func noteScheduledChange(_ node: Int, block: ProposedBlock) {
        guard let change = parameters.setChange, let next = nodes[node].state.validators.next else { return }
        let effective = nodes[node].state.validators.nextEffectiveHeight
        guard next == plannedSet, effective == block.height + change.delay,
            block.transactions.contains(where: \.isValidatorChange)
        else {
            fail("block \(block.height) schedules \(next.validators.map(\.member)) at \(effective), not the plan")
            return
        }
        setChange = (effective, nil)
        report.setChangeHeight = effective
        target = max(target, effective + change.heightsAfter - 1)
    }

    /// The first correct commit of a height: its header names the set of the height (and of the next one), its
    /// certificate verifies against that set (the new one from the effective height on), and its accepted
    /// transactions extend the log.
    mutating func checkDecided(
        _ node: Int, block: ProposedBlock, outcome: BlockOutcome, certificate: CommitCertificate
    ) {
        let header = block.header
        let expected = expectedSet(at: header.height)
        guard header.validatorsHash == expected.hash,
            header.nextValidatorsHash == expectedSet(at: header.height + 1).hash
        else {
            fail("block \(header.height) names the wrong validator sets")
            return
        }
        let check = certificate.verify(header: header, validators: expected)
        guard check == .valid else {
            fail("the certificate of block \(header.height) does not verify against the set of its height: \(check)")
            return
        }
        for (transaction, result) in zip(block.transactions, outcome.results) where result.accepted {
            guard let signer = nodes[node].state.record(Member.self, transaction.signer.hash) else {
                fail("an accepted transaction's signer is no member")
                return
            }
            let bytes = transaction.canonicalBytes
            let entry = LogEntry(
                bytes: bytes, signerKey: signer.publicKey, index: UInt64(acceptedLog.size), height: header.height,
                id: result.id)
            acceptedLog.append(leafHash: MerkleTree.leafHash(bytes))
            if transaction.isValidatorChange { setChange?.entry = entry }
        }
        if UInt64(acceptedLog.size) != header.logSize || acceptedLog.root != header.logRoot {
            fail("the log of the decided blocks left the header's at \(header.height)")
        }
    }

    /// Done when the change took effect and every correct validator of the new set signed at or after the effective
    /// height: a joining validator took part, not only followed.
    var setChangeSettled: Bool {
        guard parameters.setChange != nil else { return true }
        guard let setChange, let plannedSet else { return false }
        return correct.allSatisfy { index in
            plannedSet.validator(nodes[index].identity) == nil
                || (nodes[index].lastSigned?.height ?? 0) >= setChange.effectiveHeight
        }
    }

    /// At the end of a set-change run: a proof bundle for the change transaction against the last decided header
    /// (signed by the new set) verifies from the genesis through the transition at the announcing height, whose
    /// certificate is the outgoing set's; without that transition it must not verify.
    mutating func checkProofAcrossChange() {
        guard let setChange, let entry = setChange.entry else {
            fail("the planned validator-set change never took effect")
            return
        }
        guard let plannedSet, let holder = correct.max(by: { nodes[$0].chain.count < nodes[$1].chain.count }),
            nodes[holder].chain.count >= Int(setChange.effectiveHeight)
        else {
            fail("no correct validator committed the effective height \(setChange.effectiveHeight)")
            return
        }
        let chain = nodes[holder].chain
        let announcing = chain[Int(setChange.effectiveHeight) - 2]
        let last = chain[chain.count - 1]
        guard last.block.header.logSize <= UInt64(acceptedLog.size) else {
            fail("the log does not reach the last header")
            return
        }
        let bundle = ProofBundle(
            transaction: entry.bytes, signerPublicKey: entry.signerKey, logIndex: entry.index,
            inclusionProof: acceptedLog.inclusionProof(index: Int(entry.index), size: Int(last.block.header.logSize)),
            header: last.block.header, certificate: last.certificate,
            validatorChain: [
                ValidatorTransition(
                    header: announcing.block.header, certificate: announcing.certificate, validators: plannedSet)
            ])
        switch bundle.verify(genesis: genesis) {
        case .success(let proven):
            if proven.transactionID != entry.id { fail("the bundle proves \(proven.transactionID), not the change") }
        case .failure(let failure):
            fail("a proof across the validator-set change does not verify: \(failure)")
        }
        var unchained = bundle
        unchained.validatorChain = []
        if case .success = unchained.verify(genesis: genesis) {
            fail("a header of the new set verifies without the transition from the genesis set")
        }
    }
}

extension Transaction {
    var isValidatorChange: Bool {
        if case .changeValidators = body { return true }
        return false
    }
}
