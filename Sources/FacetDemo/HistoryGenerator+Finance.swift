import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// The model hash the demo's past offers name: those decisions predate the credit engine, so they name a
    /// fixed, recognisable demo value rather than a trained model.
    public static let demoModelHash = SHA256Hash.digest(Array("facet demo: past lending, no model".utf8))

    /// Each firm's true default probability: a risk that grows with the square of its quality gap (tripled for a
    /// misbehaving firm), scaled so that the loans' expected default rate, weighted by how often each firm
    /// borrows, is `target` permille.
    static func defaultProbabilities(_ firms: [FirmProfile], target: Int) -> [Int] {
        let risks = firms.map { firm in
            let gap = 1000 - firm.quality
            return (gap * gap / 1000 + 10) * (firm.fraudulent ? 3 : 1)
        }
        let weights = firms.map(borrowingPermille)
        let weighted = zip(risks, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let total = weights.reduce(0, +)
        guard weighted > 0 else { return risks.map { _ in 0 } }
        return risks.map { min(900, $0 * target * total / weighted) }
    }

    /// The name the demo's past-lending model is registered under.
    public static let demoModelName = "facet-demo-past-lending"

    /// Month 0: the first lender registers the model hash the past offers name (offers may name only a
    /// registered model).
    mutating func registerDemoModel() -> [Transaction] {
        guard month == 0, let first = consortium.seed.lenders.first else { return [] }
        let body = RegisterModel(modelHash: HistoryGenerator.demoModelHash, name: label(HistoryGenerator.demoModelName))
        return [sign(consortium.founder(first.member), .registerModel(body))]
    }

    /// How likely a firm is to take a loan in a month it has none: lenders screen, so better firms borrow more.
    /// Working capital is the trade's habit: most firms borrow again within a few months of repaying.
    static func borrowingPermille(_ firm: FirmProfile) -> Int { 300 + firm.quality / 3 }

    /// Months after a default before a lender takes the firm again: only the lender with the highest risk
    /// appetite does, so a default on the ledger is followed by dearer credit, not none.
    static let monthsAfterDefault = 6

    /// Day 4: consents and offers; day 5: acceptances, pledges and guarantees. Firms without a running loan (and
    /// that never defaulted) may borrow; once in the history a firm also tries the double pledge.
    mutating func openLoans(heightBeforeMonth height: UInt64) -> ([Transaction], [Transaction]) {
        var offers = [Transaction]()
        var acceptances = [Transaction]()
        for index in activeFirms where mayBorrow(index) {
            guard financeRandom.chance(permille: HistoryGenerator.borrowingPermille(firms[index])) else { continue }
            let defaulted = loans.contains { $0.firm == index && $0.currentOutcome == .defaulted }
            let lender = chooseLender(for: index, defaulted: defaulted)
            lend(to: index, from: lender, height: height, secured: true, &offers, &acceptances)
        }
        if doublePledge == nil { attemptDoublePledge(height: height, &offers, &acceptances) }
        return (offers, acceptances)
    }

    /// Months of a firm's trade on the ledger a lender reads before its first loan.
    static let monthsBeforeFirstLoan = 3

    /// On the ledger for `monthsBeforeFirstLoan` months, no loan running, and no default in the last
    /// `monthsAfterDefault` months.
    private func mayBorrow(_ index: Int) -> Bool {
        month - firms[index].joinMonth >= HistoryGenerator.monthsBeforeFirstLoan && !loans.contains { loan in
            guard loan.firm == index else { return false }
            if loan.currentOutcome == .open { return true }
            return loan.outcome == .defaulted && month < loan.settleMonth + HistoryGenerator.monthsAfterDefault
        }
    }

    /// A lender whose risk appetite admits the firm (the high-appetite lender admits everyone); after a default,
    /// only the high-appetite lender.
    private mutating func chooseLender(for index: Int, defaulted: Bool) -> ConsortiumSeed.LenderSeed {
        let quality = firms[index].quality
        let eligible = consortium.seed.lenders.filter { lender in
            let floor = ["low": 550, "medium": 350][lender.riskAppetite, default: 0]
            return defaulted ? floor == 0 : quality >= floor
        }
        let choices = eligible.isEmpty ? consortium.seed.lenders : eligible
        return choices[financeRandom.int(0...(choices.count - 1))]
    }

    /// Opens one loan: consent if not yet given, offer, acceptance, pledges of its collateral, perhaps a
    /// guarantee; and draws its outcome from the firm's true default probability.
    @discardableResult
    private mutating func lend(
        to index: Int, from lenderSeed: ConsortiumSeed.LenderSeed, height: UInt64, secured: Bool,
        _ offers: inout [Transaction], _ acceptances: inout [Transaction]
    ) -> LoanID {
        let firm = firms[index]
        let lender = consortium.founder(lenderSeed.member)
        if consents.insert(ConsentPair(firm: index, lender: lender.id)).inserted {
            offers.append(sign(firm.member, .grantConsent(GrantConsent(lender: lender.id, expiresAt: nil))))
        }
        let (product, pieces, invoices, principal) = secured ? collateral(for: index) : (.workingCapital, [], [], 0)
        let amount =
            principal > 0
            ? principal
            : Int64(financeRandom.int([1...5, 3...15, 10...40][firm.size.rawValue]))
                * 1_000_000
        let termMonths = financeRandom.int(1...3)
        let spread = ["low": 300, "medium": 600][lenderSeed.riskAppetite, default: 1_000]
        let body = MakeOffer(
            firm: firm.id, product: product, principal: money(amount),
            rateBasisPoints: UInt32(lenderSeed.fundingCostBps + spread + (1000 - firm.quality) / 2),
            termDays: UInt32(termMonths) * UInt32(HistoryGenerator.daysPerMonth),
            modelHash: HistoryGenerator.demoModelHash,
            ledgerHeight: height, expiresAt: monthTime(day: 14), collateral: [])
        let offer = sign(lender, .makeOffer(body))
        offers.append(offer)
        let accept = sign(firm.member, .acceptOffer(AcceptOffer(offer: OfferID(offer.id.hash))))
        acceptances.append(accept)
        let loanID = LoanID(accept.id.hash)
        let items = pieces.map { Collateral.piece($0.id) } + invoices.map { Collateral.invoice($0) }
        for item in items {
            acceptances.append(sign(firm.member, .pledge(Pledge(loan: loanID, collateral: item))))
        }
        let guaranteed = financeRandom.chance(permille: 200)
        if guaranteed, let guarantor = consortium.founders(with: .guarantor).first {
            let fee = money(max(1, amount / 100))
            acceptances.append(
                sign(guarantor, .guarantee(GuaranteeLoan(loan: loanID, coverageBasisPoints: 5_000, fee: fee))))
        }
        let (outcome, settleMonth) = drawOutcome(index, termMonths: termMonths)
        loans.append(
            DemoLoan(
                id: loanID, firm: index, lender: lender, product: product, principal: amount, startMonth: month,
                termDays: body.termDays, pieces: pieces, invoices: invoices, guaranteed: guaranteed,
                outcome: outcome, settleMonth: settleMonth,
                installments: drawInstallments(amount, outcome: outcome, settleMonth: settleMonth)))
        return loanID
    }

    /// Certified pieces if the firm has any, those in a warehouse's custody first (inventory pledge), else a
    /// receivable that is still unpaid and never financed (receivables financing), else nothing (working capital);
    /// and the principal the collateral supports (zero when unsecured).
    private mutating func collateral(for index: Int) -> (Product, [StockPiece], [InvoiceID], Int64) {
        let held = pledgeFromCustody(index, limit: 3)
        let certified = stock[index].filter(\.certified).prefix(3 - held.count)
        if !held.isEmpty || !certified.isEmpty {
            let fromStock = Array(certified)
            stock[index].removeAll { piece in fromStock.contains { $0.id == piece.id } }
            let taken = held + fromStock
            return (.inventoryPledge, taken, [], max(1, taken.reduce(0) { $0 + $1.value } * 6 / 10))
        }
        if let due = payments.first(where: {
            $0.seller == index && $0.month >= month && !financedInvoices.contains($0.invoice)
        }) {
            financedInvoices.insert(due.invoice)
            return (.receivablesFinancing, [], [due.invoice], max(1, due.minorUnits * 8 / 10))
        }
        return (.workingCapital, [], [], 0)
    }

    /// Defaults follow the firm's true probability; of the rest, poorer firms more often repay late.
    private mutating func drawOutcome(_ index: Int, termMonths: Int) -> (LoanOutcome, Int) {
        let due = month + termMonths
        if financeRandom.chance(permille: defaultPermille[index]) {
            return (.defaulted, due + financeRandom.int(1...2))
        }
        if financeRandom.chance(permille: 80 + (1000 - firms[index].quality) / 5) {
            return (.late, due + financeRandom.int(0...1))
        }
        return (.repaid, due - 1)
    }

    /// The double pledge: a firm whose earlier loan holds a pledged piece takes a second loan from another
    /// lender and pledges that same piece to it. The ledger refuses the pledge; the loan itself stands.
    private mutating func attemptDoublePledge(
        height: UInt64, _ offers: inout [Transaction], _ acceptances: inout [Transaction]
    ) {
        guard
            let first = loans.first(where: {
                !$0.settled && $0.startMonth < month && $0.settleMonth > month && !$0.pieces.isEmpty
            }),
            let other = consortium.seed.lenders.first(where: { consortium.founder($0.member).id != first.lender.id })
        else { return }
        let second = lend(to: first.firm, from: other, height: height, secured: false, &offers, &acceptances)
        let pledge = sign(
            firms[first.firm].member, .pledge(Pledge(loan: second, collateral: .piece(first.pieces[0].id))))
        acceptances.append(pledge)
        doublePledge = ExpectedRefusal(transaction: TransactionID(pledge.id.hash), code: .alreadyPledged, month: month)
    }

    /// Installments before a loan's outcome: a late loan is often repaid in two or three parts, a loan repaid on
    /// time sometimes in two, and a loan that defaults sometimes after a partial repayment. Parts fall in the
    /// months before the outcome's (not before the loan starts) and never add up to the whole principal.
    private mutating func drawInstallments(_ principal: Int64, outcome: LoanOutcome, settleMonth: Int)
        -> [DemoLoan.Installment]
    {
        guard principal >= 1_000 else { return [] }
        let parts: Int
        switch outcome {
        case .late: parts = installmentRandom.chance(permille: 600) ? installmentRandom.int(1...2) : 0
        case .repaid: parts = installmentRandom.chance(permille: 150) ? 1 : 0
        case .defaulted: parts = installmentRandom.chance(permille: 400) ? 1 : 0
        case .open: parts = 0
        }
        return (0..<parts).map { part in
            let share = Int64(installmentRandom.int(outcome == .defaulted ? 100...500 : 150...350))
            return DemoLoan.Installment(
                month: max(month, settleMonth - (parts - part)), minorUnits: max(1, principal * share / 1000))
        }
    }

    /// Day 20: installments due this month are repaid in part; loans whose outcome falls this month are repaid in
    /// full and their collateral released to where it lies, or declared in default by their lender (collateral stays
    /// pledged). Only a loan's lender lowers what it owes: most repayments are the borrower's claim confirmed by the
    /// lender; one in five the lender records itself as a receipt (a transfer it saw arrive from the borrower's bank).
    mutating func serviceLoans() -> [Transaction] {
        var transactions = [Transaction]()
        for position in loans.indices where !loans[position].settled {
            for installment in loans[position].installments where installment.month == month {
                let loan = loans[position]
                let receipt = installmentRandom.chance(permille: 200)
                transactions += repayment(of: loan, minorUnits: installment.minorUnits, receipt)
                loans[position].repaidMinorUnits += installment.minorUnits
            }
        }
        for position in loans.indices where loans[position].settleMonth == month && !loans[position].settled {
            let loan = loans[position]
            let borrower = firms[loan.firm].member
            loans[position].settled = true
            guard loan.outcome != .defaulted else {
                transactions.append(sign(loan.lender, .declareDefault(DeclareDefault(loan: loan.id))))
                continue
            }
            let remainder = loan.principal - loan.repaidMinorUnits
            precondition(remainder > 0, "installments never repay a whole loan")
            transactions += repayment(of: loan, minorUnits: remainder, financeRandom.chance(permille: 200))
            let items = loan.pieces.map { Collateral.piece($0.id) } + loan.invoices.map { Collateral.invoice($0) }
            for item in items {
                transactions.append(sign(borrower, .release(Release(loan: loan.id, collateral: item))))
            }
            for piece in loan.pieces { returnReleased(piece, to: loan.firm) }
        }
        return transactions
    }

    /// A repayment the lender acknowledges: its own receipt, or the borrower's claim and the lender's confirmation.
    private mutating func repayment(of loan: DemoLoan, minorUnits: Int64, _ receipt: Bool) -> [Transaction] {
        let body = TransactionBody.repay(Repay(loan: loan.id, amount: money(minorUnits)))
        if receipt { return [sign(loan.lender, body)] }
        let claim = sign(firms[loan.firm].member, body)
        return [claim, sign(loan.lender, .confirmRepayment(ConfirmRepayment(claim: claim.id)))]
    }

    /// A time in the current month, one hour past midnight of `day`.
    func monthTime(day: Int64) -> Timestamp {
        let millis =
            consortium.start.millis + (Int64(month) * HistoryGenerator.daysPerMonth + day) * Timestamp.millisPerDay
        return Timestamp(uncheckedMillis: millis + 3_600_000)
    }
}
