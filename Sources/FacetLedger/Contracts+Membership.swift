import FacetCore

/// Membership: admins admit, suspend and reinstate members, each by the same quorum (`memberApprovals`); members
/// rotate their own keys; a quorum of validators changes the validator set; a validator rotates its consensus key
/// (`Contracts+ValidatorKey.swift`).
enum MembershipContracts {
    static func register(_ body: RegisterMember, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.admin, "registering a member")
        try check(!body.roles.isEmpty, .invalidRoles, "a member needs at least one role")
        try check(!body.name.isEmpty, .invalidRoles, "a member needs a name")
        let id = MemberID(initialKey: body.publicKey)
        try check(state.record(Member.self, id.hash) == nil, .memberExists, "member \(id) already exists")
        try check(
            state[StateKey(.publicKeyIndex, body.publicKey.raw)] == nil, .keyInUse,
            "the key already belongs to a member")
        let approvals = [context.signer.id]
        let status: MemberStatus = approvals.count >= Int(context.params.memberApprovals) ? .active : .pending
        let member = Member(
            id: id, name: body.name, roles: body.roles, publicKey: body.publicKey, status: status,
            approvals: approvals, since: context.time)
        state.put(member, id: id.hash)
        state.set(StateKey(.publicKeyIndex, body.publicKey.raw), .publicKeyIndex(id))
    }

    static func approve(_ body: ApproveMember, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.admin, "approving a member")
        var member = try state.member(body.member)
        try check(member.status == .pending, .memberNotPending, "member \(member.id) is not pending")
        try check(
            !member.approvals.contains(context.signer.id), .alreadyApproved,
            "admin \(context.signer.id) already approved member \(member.id)")
        member.approvals = (member.approvals + [context.signer.id]).sorted()
        if member.approvals.count >= Int(context.params.memberApprovals) {
            member.status = .active
            member.since = context.time
        }
        state.put(member, id: member.id.hash)
    }

    static func rotateKey(_ body: RotateKey, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        var member = context.signer
        try check(
            state[StateKey(.publicKeyIndex, body.newKey.raw)] == nil, .keyInUse,
            "the new key already belongs to a member")
        let payload = MembershipRotation.payload(member: member.id, newKey: body.newKey)
        try check(
            body.newKey.verify(body.proof, purpose: .keyRotation, chainID: context.chainID, payload: payload),
            .badKeyProof, "the proof is not the new key's signature over the rotation")
        // The old key stays indexed to its member so it can never be registered to someone else.
        state.set(StateKey(.publicKeyIndex, body.newKey.raw), .publicKeyIndex(member.id))
        member.publicKey = body.newKey
        state.put(member, id: member.id.hash)
    }

    /// A vote to suspend an active member, by an admin other than the member. The member is suspended once
    /// `memberApprovals` distinct active admins voted, as admission needs; an admin is never suspended if that
    /// would leave fewer active admins than that quorum.
    static func suspend(_ body: SuspendMember, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.admin, "suspending a member")
        var member = try state.member(body.member)
        try check(member.status == .active, .memberNotActive, "member \(member.id) is not active")
        try check(member.id != context.signer.id, .notAuthorized, "an admin cannot suspend itself")
        if member.roles.contains(.admin) {
            let remaining = state.activeAdminCount() - 1
            try check(
                remaining >= Int(context.params.memberApprovals), .adminFloor,
                "suspending \(member.id) would leave \(remaining) active admins, fewer than the quorum of "
                    + "\(context.params.memberApprovals)")
        }
        guard try vote(.suspend, on: member.id, context, &state) else { return }
        member.status = .suspended
        state.put(member, id: member.id.hash)
    }

    /// A vote to lift a suspension; the member is active again once `memberApprovals` distinct active admins voted.
    static func reinstate(_ body: ReinstateMember, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.admin, "reinstating a member")
        var member = try state.member(body.member)
        try check(member.status == .suspended, .memberNotSuspended, "member \(member.id) is not suspended")
        guard try vote(.reinstate, on: member.id, context, &state) else { return }
        member.status = .active
        state.put(member, id: member.id.hash)
    }

    /// Records the signer's vote for `change`; true when the votes of still-active admins reach the quorum, the
    /// proposal (and any opposite one) then removed so the next change starts from no votes.
    private static func vote(
        _ change: StatusChange, on member: MemberID, _ context: TransactionContext, _ state: inout StateView
    ) throws(LedgerError) -> Bool {
        let key = StatusProposal.key(member: member, change: change)
        var proposal =
            state.record(StatusProposal.self, key) ?? StatusProposal(member: member, change: change, approvals: [])
        // A vote lapses when its admin is no longer an active admin.
        var voters = proposal.approvals.filter { state.isActiveAdmin($0) }
        try check(
            !voters.contains(context.signer.id), .alreadyApproved,
            "admin \(context.signer.id) already voted to \(change) member \(member)")
        voters = (voters + [context.signer.id]).sorted()
        guard voters.count >= Int(context.params.memberApprovals) else {
            proposal.approvals = voters
            state.put(proposal, id: key)
            return false
        }
        for each in StatusChange.allCases {
            let stale = StateKey(.statusProposal, StatusProposal.key(member: member, change: each))
            if state[stale] != nil { state.set(stale, nil) }
        }
        return true
    }

    static func changeValidators(_ body: ChangeValidators, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.validator, "proposing a validator-set change")
        let schedule = state.validators
        try check(schedule.next == nil, .validatorChangePending, "a validator-set change is already scheduled")
        try check(
            body.effectiveHeight >= context.height + context.params.validatorChangeDelay,
            .validatorEffectiveHeight,
            "the change takes effect at \(context.height + context.params.validatorChangeDelay) at the earliest")
        try check(body.validators != schedule.current, .validatorSetInvalid, "the new set equals the current one")
        for validator in body.validators.validators {
            let member = try state.activeMember(validator.member, roles: .validator)
            // A sitting validator keeps its consensus key (which `rotate_validator_key` may have set); a new one
            // starts with its member key.
            try check(
                member.publicKey == validator.publicKey
                    || schedule.current.validator(member.id)?.publicKey == validator.publicKey,
                .validatorSetInvalid, "validator \(member.id) must use its current member or consensus key")
        }
        let payload = ValidatorChangePayload.bytes(validators: body.validators, effectiveHeight: body.effectiveHeight)
        var approvers = Set<MemberID>()
        for approval in body.approvals {
            guard let validator = schedule.current.validator(approval.validator) else {
                throw LedgerError(.validatorQuorum, "\(approval.validator) is not a current validator")
            }
            try check(
                validator.publicKey.verify(
                    approval.signature, purpose: .validatorSetChange,
                    chainID: context.chainID, payload: payload),
                .badSignature, "approval by \(approval.validator) does not verify")
            approvers.insert(approval.validator)
        }
        try check(
            approvers.count >= schedule.current.quorum, .validatorQuorum,
            "\(approvers.count) approvals, a quorum is \(schedule.current.quorum)")
        let next = ValidatorSchedule(
            current: schedule.current, next: body.validators,
            nextEffectiveHeight: body.effectiveHeight)
        state.set(.validators, .validators(next))
    }
}
