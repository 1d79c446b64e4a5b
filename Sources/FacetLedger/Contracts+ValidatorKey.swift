import FacetCore

extension MembershipContracts {
    /// A validator replaces its consensus key, keeping its seat. The member signs it with its member key, not with
    /// the consensus key it replaces: whoever steals a consensus key (the hot key on the validator's machine) can then
    /// sign votes until the rotation, but cannot move the seat to a key of its own choosing and lock the member out.
    /// The new key proves it is held (so no validator can adopt another's key and sign for two seats), is reserved to
    /// the member like a rotated member key, and signs from the next height: the change is scheduled like a set
    /// change, so the header of this block announces the new set and a verifier follows it (`ValidatorTransition`).
    static func rotateValidatorKey(_ body: RotateValidatorKey, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.validator, "rotating a consensus key")
        let schedule = state.validators
        guard let seat = schedule.current.validator(context.signer.id) else {
            throw LedgerError(.notAuthorized, "\(context.signer.id) has no seat in the current validator set")
        }
        try check(schedule.next == nil, .validatorChangePending, "a validator-set change is already scheduled")
        try check(
            state[StateKey(.publicKeyIndex, body.newKey.raw)] == nil
                && !schedule.current.validators.contains { $0.publicKey == body.newKey },
            .keyInUse, "the new key already belongs to a member or a validator")
        let payload = ValidatorKeyRotation.payload(member: seat.member, newKey: body.newKey)
        try check(
            body.newKey.verify(body.proof, purpose: .validatorKeyRotation, chainID: context.chainID, payload: payload),
            .badKeyProof, "the proof is not the new key's signature over the rotation")
        let rotated = ValidatorSet(
            schedule.current.validators.map {
                $0.member == seat.member ? Validator(member: seat.member, publicKey: body.newKey) : $0
            })
        state.set(StateKey(.publicKeyIndex, body.newKey.raw), .publicKeyIndex(seat.member))
        state.set(
            .validators,
            .validators(
                ValidatorSchedule(current: schedule.current, next: rotated, nextEffectiveHeight: context.height + 1)))
    }
}
