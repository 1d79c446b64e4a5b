import FacetCore
import FacetCredit
import FacetLedger
import FacetScorecard
import FacetTestSupport
import Testing

/// A tiny hand-built ledger fed to a feature index block by block.
struct FeatureLedger {
    var fixture: LedgerFixture
    var index: FeatureIndex
    var modelRegistered = false

    /// `params`: the chain's parameters (the fixture's defaults when nil), e.g. a quorum of two admins.
    init(settings: FeatureSettings = .standard, params: LedgerParams? = nil) {
        fixture = LedgerFixture(params: params)
        index = FeatureIndex(genesis: fixture.genesis, settings: settings)
    }

    static let cny: Currency = {
        guard let currency = try? Currency("CNY") else { preconditionFailure("CNY is a currency") }
        return currency
    }()

    static func yuan(_ amount: Int64) -> Money {
        guard let money = try? Money(minorUnits: amount * 100, currency: cny) else { preconditionFailure() }
        return money
    }

    /// Signs, executes, commits and indexes one transaction, which must be accepted.
    @discardableResult
    mutating func submit(_ signer: String, _ body: TransactionBody) -> Hash256 {
        let transaction = fixture.sign(signer, body)
        let outcome = fixture.run([transaction])
        precondition(
            outcome.results[0].accepted, "\(body.kind) refused: \(String(describing: outcome.results[0].error))")
        index.apply(
            height: outcome.height, time: outcome.time, transactions: [transaction], results: outcome.results)
        return transaction.id.hash
    }

    @discardableResult
    mutating func invoice(
        _ seller: String, _ buyer: String?, _ amount: Int64, dueDays: UInt32 = 30, channel: SalesChannel = .wholesale
    )
        -> InvoiceID
    {
        let body = IssueInvoice(
            buyer: buyer.map { fixture.id($0) }, amount: FeatureLedger.yuan(amount),
            dueAt: fixture.time.adding(days: dueDays + 1), pieces: [], channel: channel)
        return InvoiceID(submit(seller, .issueInvoice(body)))
    }

    mutating func loan(to firm: String, _ principal: Int64, termDays: UInt32 = 30) -> LoanID {
        if !modelRegistered {
            guard let name = try? Label("feature-test-model") else { preconditionFailure("a valid label") }
            submit("lender", .registerModel(RegisterModel(modelHash: .zero, name: name)))
            modelRegistered = true
        }
        submit(firm, .grantConsent(GrantConsent(lender: fixture.id("lender"), expiresAt: nil)))
        let offer = MakeOffer(
            firm: fixture.id(firm), product: .workingCapital, principal: FeatureLedger.yuan(principal),
            rateBasisPoints: 1000, termDays: termDays, modelHash: .zero, ledgerHeight: fixture.state.height,
            expiresAt: fixture.time.adding(days: 10), collateral: [])
        let offerID = OfferID(submit("lender", .makeOffer(offer)))
        return LoanID(submit(firm, .acceptOffer(AcceptOffer(offer: offerID))))
    }

    func features(_ name: String) -> FeatureRow {
        index.features(of: fixture.id(name), asOf: fixture.time).values
    }

    func number(_ firm: String, _ feature: String) -> Double? {
        features(firm)[feature]?.number
    }
}

func featureNear(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}

@Suite struct FeatureIndexTests {
    /// firmA sells 1000 to firmB (confirmed), 500 to firmC (unconfirmed), 300 to firmC (paid through a bank).
    func sales() -> (FeatureLedger, [InvoiceID]) {
        var ledger = FeatureLedger()
        let confirmed = ledger.invoice("firmA", "firmB", 1000)
        ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: confirmed)))
        let unconfirmed = ledger.invoice("firmA", "firmC", 500)
        let bankPaid = ledger.invoice("firmA", "firmC", 300)
        ledger.submit("bank", .payInvoice(PayInvoice(invoice: bankPaid, amount: FeatureLedger.yuan(300))))
        return (ledger, [confirmed, unconfirmed, bankPaid])
    }

    @Test func revenueIsWeightedByWhoVouchedForIt() {
        let (ledger, invoices) = sales()
        // 1000 confirmed + 300 bank-paid count fully; the unconfirmed 500 counts a fifth.
        #expect(featureNear(ledger.number("firmA", FeatureName.revenue3m), 1400))
        #expect(featureNear(ledger.number("firmA", FeatureName.revenue12m), 1400))
        #expect(featureNear(ledger.number("firmA", FeatureName.verifiedTradeShare), 1300.0 / 1800))
        let evidence = ledger.index.features(of: ledger.fixture.id("firmA"), asOf: ledger.fixture.time).evidence
        #expect(evidence[FeatureName.revenue3m] == [invoices[0].hash, invoices[2].hash, invoices[1].hash])
        // Growth needs three complete earlier months of revenue.
        #expect(ledger.features("firmA")[FeatureName.revenueGrowth] == .missing)
        #expect(ledger.features("firmB")[FeatureName.revenue12m] == .number(0))
        #expect(ledger.features("firmB")[FeatureName.leverage] == .missing)
    }

    @Test func customWeightsChangeTheRevenue() {
        var ledger = FeatureLedger(settings: FeatureSettings(weights: EvidenceWeights(selfIssued: 0)))
        ledger.invoice("firmA", "firmB", 500)
        #expect(ledger.number("firmA", FeatureName.revenue3m) == 0)
        #expect(ledger.number("firmA", FeatureName.verifiedTradeShare) == 0)
    }

    @Test func buyerConcentrationAndDaysSalesOutstanding() {
        var (ledger, invoices) = sales()
        // Weighted by buyer: firmB 1000, firmC 100 + 300 = 400.
        #expect(featureNear(ledger.number("firmA", FeatureName.buyerHHI), (1000.0 * 1000 + 400 * 400) / (1400 * 1400)))
        // Open receivables 1000 + 500 over 1800 of credit sales in three months, in days.
        #expect(featureNear(ledger.number("firmA", FeatureName.dsoDays), 1500.0 / 1800 * 90))
        ledger.submit("firmB", .payInvoice(PayInvoice(invoice: invoices[0], amount: FeatureLedger.yuan(400))))
        #expect(featureNear(ledger.number("firmA", FeatureName.dsoDays), 1100.0 / 1800 * 90))
        ledger.submit("firmB", .payInvoice(PayInvoice(invoice: invoices[0], amount: FeatureLedger.yuan(600))))
        #expect(featureNear(ledger.number("firmA", FeatureName.dsoDays), 500.0 / 1800 * 90))
        let evidence = ledger.index.features(of: ledger.fixture.id("firmA"), asOf: ledger.fixture.time).evidence
        #expect(evidence[FeatureName.dsoDays] == [invoices[1].hash])
    }

    @Test func latePaymentsAndDaysPastDue() {
        var ledger = FeatureLedger()
        // firmB buys three times: pays one on time, one late, and leaves one overdue.
        let onTime = ledger.invoice("firmA", "firmB", 100, dueDays: 10)
        let late = ledger.invoice("firmC", "firmB", 200, dueDays: 10)
        let overdue = ledger.invoice("firmC", "firmB", 300, dueDays: 20)
        let ignored = ledger.invoice("firmC", "firmB", 999, dueDays: 1)  // never confirmed: not firmB's debt
        for id in [onTime, late, overdue] { ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: id))) }
        ledger.submit("firmB", .payInvoice(PayInvoice(invoice: onTime, amount: FeatureLedger.yuan(100))))
        #expect(ledger.number("firmB", FeatureName.latePaymentRate) == 0)
        #expect(ledger.number("firmB", FeatureName.daysPastDue) == 0)
        ledger.fixture.advance(days: 15)
        ledger.submit("bank", .payInvoice(PayInvoice(invoice: late, amount: FeatureLedger.yuan(200))))
        #expect(featureNear(ledger.number("firmB", FeatureName.latePaymentRate), 1.0 / 2))
        ledger.fixture.advance(days: 10)
        // The overdue invoice was due 21 days after issue; it is now about 25 days later.
        #expect(featureNear(ledger.number("firmB", FeatureName.latePaymentRate), 2.0 / 3))
        #expect(ledger.number("firmB", FeatureName.daysPastDue) == 4)
        let evidence = ledger.index.features(of: ledger.fixture.id("firmB"), asOf: ledger.fixture.time).evidence
        #expect(evidence[FeatureName.daysPastDue] == [overdue.hash])
        #expect(evidence[FeatureName.latePaymentRate]?.contains(late.hash) == true)
        #expect(evidence[FeatureName.latePaymentRate]?.contains(ignored.hash) == false)
    }

    @Test func tenureCountsFromMembership() {
        var ledger = FeatureLedger()
        ledger.fixture.advance(days: 45)
        let genesisFirm = ledger.number("firmA", FeatureName.tenureMonths)
        #expect(featureNear(genesisFirm, 45.0 / 30, tolerance: 1e-6))
        let newcomer = ledger.fixture.addOutsider("firmD", roles: .firm)
        ledger.submit(
            "admin", .registerMember(MemberProfile(name: "D", roles: .firm, publicKey: newcomer.key.publicKey)))
        ledger.fixture.advance(days: 15)
        #expect(featureNear(ledger.number("firmD", FeatureName.tenureMonths), 0.5, tolerance: 1e-6))
        #expect(
            ledger.index.features(of: MemberID(.zero), asOf: ledger.fixture.time).values[FeatureName.tenureMonths]
                == .missing)
    }

    @Test func leverageAndRepaymentHistory() {
        var (ledger, _) = sales()
        let loan = ledger.loan(to: "firmA", 700)
        #expect(featureNear(ledger.number("firmA", FeatureName.leverage), 700.0 / 1400))
        #expect(ledger.number("firmA", FeatureName.loansActive) == 1)
        // A borrower's claim changes nothing owed until the lender confirms it.
        let claim = ledger.submit("firmA", .repay(Repay(loan: loan, amount: FeatureLedger.yuan(300))))
        #expect(featureNear(ledger.number("firmA", FeatureName.leverage), 700.0 / 1400))
        ledger.submit("lender", .confirmRepayment(ConfirmRepayment(claim: TransactionID(claim))))
        #expect(featureNear(ledger.number("firmA", FeatureName.leverage), 400.0 / 1400))
        ledger.submit("lender", .repay(Repay(loan: loan, amount: FeatureLedger.yuan(400))))
        #expect(ledger.number("firmA", FeatureName.leverage) == 0)
        #expect(ledger.number("firmA", FeatureName.loansRepaid) == 1)
        #expect(ledger.number("firmA", FeatureName.loansActive) == 0)
    }

    @Test func trainingRowsLabelClosedLoans() {
        var (ledger, _) = sales()
        let good = ledger.loan(to: "firmA", 700)
        let bad = ledger.loan(to: "firmB", 100, termDays: 1)
        _ = ledger.loan(to: "firmC", 50)
        #expect(ledger.index.trainingRows().isEmpty)
        ledger.submit("lender", .repay(Repay(loan: good, amount: FeatureLedger.yuan(700))))
        ledger.fixture.advance(days: 3)
        ledger.submit("lender", .declareDefault(DeclareDefault(loan: bad)))
        let rows = ledger.index.trainingRows()
        #expect(rows.map(\.loan) == [good, bad])
        #expect(rows.map(\.bad) == [false, true])
        // The snapshot is the borrower's features before the loan: no leverage from the loan itself.
        #expect(featureNear(rows[0].features[FeatureName.revenue3m]?.number, 1400))
        #expect(rows[0].features[FeatureName.leverage] == .number(0))
        #expect(ledger.number("firmB", FeatureName.loansDefaulted) == 1)
    }

    @Test func platformSettlementAndLivestreamSalesCountOnce() {
        var ledger = FeatureLedger()
        let start = ledger.fixture.time
        ledger.invoice("firmC", nil, 400, dueDays: 0, channel: .livestream)
        ledger.fixture.advance(days: 1)
        let settlement = SettlePlatformSales(
            seller: ledger.fixture.id("firmC"), periodStart: start, periodEnd: ledger.fixture.time,
            gross: FeatureLedger.yuan(450), orders: 3, refunds: FeatureLedger.yuan(50))
        ledger.submit("platform", .settlePlatformSales(settlement))
        // The settlement's net 400 replaces the self-issued livestream invoices' 80, rather than adding to it.
        #expect(featureNear(ledger.number("firmC", FeatureName.revenue3m), 400))
        #expect(featureNear(ledger.number("firmC", FeatureName.platformSettlementShare), 1))
        #expect(ledger.features("firmC")[FeatureName.buyerHHI] == .missing)
    }

    @Test func disputesAreCountedAndWarned() {
        var (ledger, invoices) = sales()
        let dispute = DisputeID(
            ledger.submit("firmC", .raiseDispute(RaiseDispute(invoice: invoices[1], reason: "no goods"))))
        let features = ledger.index.features(of: ledger.fixture.id("firmA"), asOf: ledger.fixture.time)
        #expect(features.values[FeatureName.openDisputes] == .number(1))
        #expect(features.warnings.map(\.code) == [FeatureWarning.openDisputes])
        ledger.submit(
            "conciliator", .resolveDispute(ResolveDispute(dispute: dispute, outcome: .cancelled, note: "")))
        #expect(ledger.number("firmA", FeatureName.openDisputes) == 0)
        // The cancelled 500 no longer counts at all.
        #expect(featureNear(ledger.number("firmA", FeatureName.revenue3m), 1300))
    }

    @Test func growthAndVolatilityReadCompleteMonths() {
        var ledger = FeatureLedger()
        let joined = FeatureIndex.month(of: ledger.fixture.time)
        let first = ledger.invoice("firmA", "firmB", 100)
        ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: first)))
        ledger.fixture.advance(days: 90)
        #expect(FeatureIndex.month(of: ledger.fixture.time) == joined + 3)
        let second = ledger.invoice("firmA", "firmB", 200)
        ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: second)))
        // Still in the month of the second sale: the three complete months before it hold only the first.
        #expect(ledger.features("firmA")[FeatureName.revenueGrowth] == .missing)
        ledger.fixture.advance(days: 30)
        // Complete months joined+1…joined+3 hold 200, joined-2…joined hold 100.
        #expect(featureNear(ledger.number("firmA", FeatureName.revenueGrowth), 1))
        // Months joined…joined+3: 100, 0, 0, 200.
        let mean = 75.0
        let variance = [100.0, 0, 0, 200].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4
        #expect(featureNear(ledger.number("firmA", FeatureName.revenueVolatility), variance.squareRoot() / mean))
    }

    @Test func oldMonthsLeaveTheWindows() {
        var (ledger, invoices) = sales()
        ledger.submit("firmB", .payInvoice(PayInvoice(invoice: invoices[0], amount: FeatureLedger.yuan(1000))))
        ledger.fixture.advance(days: 420)
        // A block in a new month prunes what no window reads.
        ledger.invoice("firmC", "firmB", 10)
        #expect(ledger.number("firmA", FeatureName.revenue12m) == 0)
        #expect(ledger.features("firmA")[FeatureName.verifiedTradeShare] == .missing)
        #expect(ledger.features("firmA")[FeatureName.dsoDays] == .missing)
        #expect(ledger.features("firmB")[FeatureName.latePaymentRate] == .missing)
        // The unpaid, unconfirmed invoice is still open: paying it now still counts, in its own (old) month.
        ledger.submit("bank", .payInvoice(PayInvoice(invoice: invoices[1], amount: FeatureLedger.yuan(500))))
        #expect(ledger.number("firmA", FeatureName.revenue12m) == 0)
        #expect(featureNear(ledger.number("firmA", FeatureName.tenureMonths), 14, tolerance: 1e-6))
    }
}
