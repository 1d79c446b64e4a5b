import FacetCore
import FacetLedger

/// Attestors in good standing. The admins' quorum suspends a member (`suspend_member`); from the block that
/// suspends it on, everything it attested before weighs as if only the firm had signed it (`EvidenceWeights
/// .selfIssued`):
///
/// - a buyer's confirmation of an invoice, and its payments of it;
/// - a bank's payments of an invoice;
/// - a platform's settlement of a seller's sales;
/// - a lab's certification of a piece, and a warehouse's stock audit (the piece is no longer certified, or audited).
///
/// Voiding is for good: reinstatement (`reinstate_member`) does not restore what the member attested before its
/// suspension, which the admins found reason to doubt; what it attests after reinstatement counts in full. A
/// suspended member signs nothing, so nothing is attested while it is suspended. Features at a height before the
/// suspension are unchanged: the index voids at the suspending block, never before.
///
/// The index counts the admins' votes exactly as the ledger does (`MembershipContracts`): a vote lapses when its
/// admin is no longer an active admin, and a change takes effect when `memberApprovals` such admins voted for it.
/// A suspension costs one pass over the retained invoices, settlements and pieces, sorted, so every node sums in
/// the same order; reports read the buckets as before, nothing per attestor.
extension FeatureIndex {
    /// Whether the index holds `member` suspended now.
    public func isSuspended(_ member: MemberID) -> Bool { members[member]?.suspended ?? false }

    /// Records an accepted vote; when it completes the quorum the member's status changes.
    mutating func vote(_ change: StatusChange, on member: MemberID, by admin: MemberID) {
        guard var tracked = members[member] else { return }
        var voters = (tracked.votes[change] ?? []).filter(isActiveAdmin)
        voters.append(admin)
        guard voters.count >= memberApprovals else {
            tracked.votes[change] = voters
            members[member] = tracked
            return
        }
        tracked.votes = [:]
        tracked.suspended = change == .suspend
        members[member] = tracked
        if change == .suspend { voidAttestations(of: member) }
    }

    /// Lists a voided record in its month, for the firm's `suspended_attestors` warning.
    private mutating func markVoided(
        _ firm: MemberID, month: Int64, record: Hash256, amount: Double, by member: MemberID
    ) {
        update(firm, month: month) { bucket in
            bucket.voided.set(record, max(amount, Double.leastNonzeroMagnitude))
            bucket.voidedBy.insert(member)
        }
    }

    /// An admin whose vote still counts: active, not suspended.
    private func isActiveAdmin(_ member: MemberID) -> Bool {
        guard let tracked = members[member] else { return false }
        return tracked.roles.contains(.admin) && tracked.inGoodStanding
    }

    /// Reweighs, as self-issued, every retained record `member` attested.
    private mutating func voidAttestations(of member: MemberID) {
        for id in invoices.keys.sorted() {
            guard var invoice = invoices[id] else { continue }
            var changed = false
            if invoice.buyer == member, invoice.confirmed, !invoice.confirmationVoided {
                invoice.confirmationVoided = true
                changed = true
            }
            if let amount = invoice.paidBy.removeValue(forKey: member) {
                if member == invoice.buyer { invoice.voidedByBuyer += amount } else { invoice.voidedByBank += amount }
                changed = true
            }
            guard changed else { continue }
            invoices[id] = invoice
            reweigh(id)
            let month = FeatureIndex.month(of: invoice.issuedAt)
            if let time, month >= FeatureIndex.month(of: time) - FeatureIndex.retainedMonths + 1 {
                markVoided(invoice.seller, month: month, record: id.hash, amount: invoice.amount, by: member)
            }
        }
        for id in settlements.keys.sorted() {
            guard let settlement = settlements[id], settlement.platform == member else { continue }
            settlements[id] = nil
            let selfIssued = settlement.net * settings.weights.selfIssued
            update(settlement.seller, month: settlement.month) { bucket in
                bucket.platformNet -= settlement.net
                bucket.platformVoided += settlement.net
                bucket.largest.set(id, selfIssued)
            }
            markVoided(settlement.seller, month: settlement.month, record: id, amount: settlement.net, by: member)
        }
        for id in pieces.keys.sorted() {
            guard var piece = pieces[id], piece.certifier == member || piece.auditor == member else { continue }
            if piece.certifier == member {
                piece.certified = false
                piece.certifier = nil
            }
            if piece.auditor == member {
                piece.lastAudit = nil
                piece.auditor = nil
            }
            pieces[id] = piece
        }
    }
}
