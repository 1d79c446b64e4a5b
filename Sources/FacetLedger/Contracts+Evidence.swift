import FacetCore

/// Evidence: a validator records another validator's proven equivocation.
enum EvidenceContracts {
    /// Only validators report: they are the ones who receive consensus messages, and limiting the signers keeps
    /// the table from filling with reports nobody needed. The proof is checked against the offender's key in the
    /// current or scheduled set, so a report about a stranger, a forgery or a slot not yet reached is refused.
    static func report(_ body: ReportEvidence, _ context: TransactionContext, _ state: inout StateView)
        throws(LedgerError)
    {
        try context.require(.validator, "reporting evidence")
        let misbehavior = body.misbehavior
        let offender = misbehavior.offender
        let slot = misbehavior.slot
        let schedule = state.validators
        let keys = [schedule.current.validator(offender), schedule.next?.validator(offender)].compactMap {
            $0?.publicKey
        }
        try check(
            !keys.isEmpty, .evidenceUnknownOffender,
            "\(offender) is not a validator of the current or the scheduled set")
        try check(
            slot.height <= context.height, .evidenceFutureSlot,
            "slot \(slot) is above the block height \(context.height)")
        try check(
            keys.contains { misbehavior.isProven(key: $0, chainID: context.chainID) }, .evidenceNotProven,
            "the messages do not conflict, are not in canonical order, or do not verify under \(offender)'s key")
        let id = EvidenceRecord.id(offender: offender, slot: slot)
        try check(
            state.record(EvidenceRecord.self, id) == nil, .evidenceDuplicate,
            "misbehavior of \(offender) at \(slot) is already recorded")
        let record = EvidenceRecord(
            offender: offender, slot: slot, kind: misbehavior.kind, reporter: context.signer.id,
            height: context.height, time: context.time)
        state.put(record, id: id)
    }
}
