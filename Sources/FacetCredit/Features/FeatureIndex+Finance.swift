import FacetCore
import FacetLedger
import FacetScorecard

/// Finance: offers, loans and their outcomes, which also become training rows.
extension FeatureIndex {
    mutating func makeOffer(_ body: MakeOffer, id: OfferID, lender: MemberID, time: Timestamp) {
        guard let principal = major(body.principal) else { return }
        offers[id] = TrackedOffer(
            lender: lender, firm: body.firm, principal: principal, termDays: body.termDays,
            expiresAt: body.expiresAt, collateral: body.collateral)
        update(body.firm, month: FeatureIndex.month(of: time)) { $0.offers += 1 }
    }

    /// Opens a loan and snapshots the borrower's features as they stood just before it (the loan itself excluded,
    /// as a lender deciding on it saw them).
    mutating func acceptOffer(_ offerID: OfferID, id: LoanID, height: UInt64, time: Timestamp) {
        guard let offer = offers.removeValue(forKey: offerID) else { return }
        let snapshot = features(of: offer.firm, asOf: time).values
        loans[id] = TrackedLoan(
            id: id, borrower: offer.firm, lender: offer.lender, principal: offer.principal,
            outstanding: offer.principal, openedAt: time, openedHeight: height,
            dueAt: time.adding(days: offer.termDays), snapshot: snapshot)
        loanOrder.append(id)
        firms[offer.firm, default: FirmState(limit: settings.evidenceLimit)].activeLoans.insert(id)
        for item in offer.collateral { setPledged(item, true) }
    }

    /// A lender's receipt lowers what the loan owes; a borrower's claim waits for the lender's confirmation, as on
    /// the ledger.
    mutating func repay(_ body: Repay, id: TransactionID, signer: MemberID, time: Timestamp) {
        guard let loan = loans[body.loan], loan.status == .active, let amount = major(body.amount) else { return }
        guard signer == loan.lender else {
            claims[id] = (body.loan, amount)
            return
        }
        lower(body.loan, by: amount, time: time)
    }

    mutating func confirmRepayment(_ body: ConfirmRepayment, time: Timestamp) {
        guard let claim = claims.removeValue(forKey: body.claim) else { return }
        lower(claim.loan, by: claim.amount, time: time)
    }

    private mutating func lower(_ id: LoanID, by amount: Double, time: Timestamp) {
        guard var loan = loans[id], loan.status == .active else { return }
        loan.outstanding = max(0, loan.outstanding - amount)
        loans[id] = loan
        if loan.outstanding <= 1e-9 { close(id, as: .repaid, time: time) }
    }

    mutating func declareDefault(_ id: LoanID, time: Timestamp) {
        guard loans[id]?.status == .active else { return }
        close(id, as: .defaulted, time: time)
    }

    private mutating func close(_ id: LoanID, as status: TrackedLoanStatus, time: Timestamp) {
        guard var loan = loans[id] else { return }
        loan.status = status
        loan.closedAt = time
        loans[id] = loan
        var firm = firms[loan.borrower, default: FirmState(limit: settings.evidenceLimit)]
        firm.activeLoans.remove(id)
        if status == .repaid { firm.loansRepaid += 1 } else { firm.loansDefaulted += 1 }
        firm.closedLoans.set(id.hash, Double(time.millis))
        firms[loan.borrower] = firm
    }

    /// One row per closed loan, in the order the loans opened: the borrower's features when it opened, and
    /// whether it went bad. Bad means declared in default; good means fully repaid, late or not (a loan repaid
    /// after its due date was still repaid, and a lender who waited chose not to declare a default).
    public func trainingRows() -> [TrainingRow] {
        loanOrder.compactMap { id -> TrainingRow? in
            guard let loan = loans[id], loan.status != .active, let closedAt = loan.closedAt else { return nil }
            return TrainingRow(
                loan: id, firm: loan.borrower, openedAt: loan.openedAt, openedHeight: loan.openedHeight,
                closedAt: closedAt, features: loan.snapshot, bad: loan.status == .defaulted,
                repaidLate: loan.status == .repaid && closedAt > loan.dueAt)
        }
    }
}
