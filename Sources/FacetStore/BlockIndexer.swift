import FacetCore
import FacetLedger

/// Builds a block's history index: for each transaction, the subjects whose history it belongs to. Pure and
/// deterministic, so every node indexes the same block the same way.
///
/// A transaction's subjects are its signer; the id of every piece, invoice, loan, offer, dispute, member and
/// guarantee it wrote (and of every evidence record); and the parties of the records it wrote (an invoice's seller and buyer, a loan's borrower
/// and lender, an offer's firm and lender, a piece's owner, a consent's firm and lender, a settlement's platform
/// and seller, a price's publisher, a guarantee's guarantor and loan, an evidence record's offender and reporter). A refused transaction wrote nothing, so
/// it is indexed under its signer only: a firm still sees its own refusals.
public enum BlockIndexer {
    /// The subject every evidence record is also indexed under, so the evidence list is one history read (in a
    /// window of block time, like every other list) rather than a scan of the state.
    public static let evidenceSubject = SHA256Hash.digest(Array("facet/evidence".utf8))

    /// Entries for a whole block, ascending by (position, subject), one per (transaction, subject).
    ///
    /// `touched` is `BlockOutcome.touched`; `record` answers a key's value after the block (or before it, for a
    /// record the block removed), which is where the parties come from.
    public static func entries(
        transactions: [Transaction], results: [TransactionResult], touched: [[StateKey]],
        record: (StateKey) -> StateValue?
    ) -> [IndexEntry] {
        precondition(
            transactions.count == results.count && transactions.count == touched.count,
            "one result and one touched list per transaction")
        var entries = [IndexEntry]()
        for (position, transaction) in transactions.enumerated() {
            let keys = results[position].accepted ? touched[position] : []
            for subject in subjects(signer: transaction.signer, touched: keys, record: record) {
                entries.append(IndexEntry(position: position, subject: subject))
            }
        }
        return entries
    }

    /// One transaction's subjects, deduplicated and ascending.
    public static func subjects(signer: MemberID, touched: [StateKey], record: (StateKey) -> StateValue?)
        -> [Hash256]
    {
        var subjects: Set<Hash256> = [signer.hash]
        for key in touched {
            subjects.formUnion(self.subjects(of: key, value: record(key)))
        }
        return subjects.sorted()
    }

    /// The subjects one written record belongs to.
    static func subjects(of key: StateKey, value: StateValue?) -> [Hash256] {
        switch key.table {
        case .member, .piece, .invoice, .dispute, .offer, .loan, .guarantee, .model:
            return [key.id] + parties(value)
        case .evidence:
            return [key.id, evidenceSubject] + parties(value)
        case .publicKeyIndex, .certificateIndex, .settlement, .price, .consent, .repaymentClaim, .statusProposal:
            return parties(value)
        case .params, .validators, .nonce:
            // Parameters and the validator schedule belong to no one subject; a nonce is the signer's own.
            return []
        }
    }

    private static func parties(_ value: StateValue?) -> [Hash256] {
        switch value {
        case .none, .params, .validators, .nonce, .member, .dispute:
            return []
        case .publicKeyIndex(let member): return [member.hash]
        case .certificateIndex(let piece): return [piece.hash]
        case .piece(let piece): return [piece.owner.hash]
        case .invoice(let invoice): return [invoice.seller.hash] + (invoice.buyer.map { [$0.hash] } ?? [])
        case .settlement(let settlement): return [settlement.platform.hash, settlement.seller.hash]
        case .price(let price): return [price.publisher.hash]
        case .consent(let consent): return [consent.firm.hash, consent.lender.hash]
        case .offer(let offer): return [offer.firm.hash, offer.lender.hash]
        case .loan(let loan): return [loan.borrower.hash, loan.lender.hash]
        case .guarantee(let guarantee): return [guarantee.guarantor.hash, guarantee.loan.hash]
        case .evidence(let evidence): return [evidence.offender.hash, evidence.reporter.hash]
        case .model(let model): return [model.registeredBy.hash]
        case .repaymentClaim(let claim): return [claim.loan.hash, claim.claimant.hash]
        case .statusProposal(let proposal): return [proposal.member.hash] + proposal.approvals.map(\.hash)
        }
    }
}
