import FacetCore
import FacetLedger
import FacetScorecard

/// Per-firm credit features kept as running aggregates while blocks commit, so a request reads a few monthly
/// buckets and the firm's open items instead of rescanning its history.
///
/// Feed it every committed block in order with `apply`; only accepted transactions change anything. It is a pure
/// value: no clock (times come from blocks), no randomness, and every sum runs in a sorted order, so two nodes fed
/// the same blocks compute the same features bit for bit.
public struct FeatureIndex: Sendable {
    /// A month as the features cut time: 30 days, counted from the Unix epoch.
    public static let monthMillis: Int64 = 30 * Timestamp.millisPerDay
    /// Buckets kept per firm: twelve months of windows plus the month before them.
    static let retainedMonths: Int64 = 14

    public let settings: FeatureSettings
    let memberApprovals: Int
    /// How long a reference price counts after its publication (the genesis' `priceValidityMillis`).
    let priceValidityMillis: Int64
    public private(set) var height: UInt64 = 0
    public private(set) var time: Timestamp?
    var currency: Currency?
    var members: [MemberID: TrackedMember] = [:]
    var firms: [MemberID: FirmState] = [:]
    var invoices: [InvoiceID: TrackedInvoice] = [:]
    var disputes: [DisputeID: InvoiceID] = [:]
    /// Platform settlements of the retained months, by transaction id: a platform's suspension voids its own.
    var settlements: [Hash256: TrackedSettlement] = [:]
    var pieces: [PieceID: TrackedPiece] = [:]
    var offers: [OfferID: TrackedOffer] = [:]
    var loans: [LoanID: TrackedLoan] = [:]
    /// Borrowers' repayment claims not yet confirmed by their lenders (major units).
    var claims: [TransactionID: (loan: LoanID, amount: Double)] = [:]
    /// Loans in the order they opened: the training rows' order.
    var loanOrder: [LoanID] = []
    /// Latest reference price per category and band (major units per gram or carat).
    var prices: [PieceCategory: [Label: Double]] = [:]
    /// Reference prices in minor units: the latest per category and band, and the last of each month.
    var priceBook: [PriceBand: PriceTrack] = [:]
    /// Weighted wholesale flow between firms by month of issue, for the circular-trading graph.
    var trade: [Int64: [TradeEdge: EdgeFlow]] = [:]
    var tradeChanged = false
    /// The circular-trading analysis of the latest block's month, refreshed when wholesale trade changes.
    var circular: CircularTrading?

    /// An index of a chain from its genesis: founding members are active, with tenure, from genesis time.
    public init(genesis: Genesis, settings: FeatureSettings = .standard) {
        self.settings = settings
        self.memberApprovals = Int(genesis.params.memberApprovals)
        self.priceValidityMillis = genesis.params.priceValidityMillis
        self.currency = settings.currency
        for member in genesis.members {
            members[member.id] = TrackedMember(roles: member.roles, approvals: memberApprovals, since: genesis.time)
        }
    }

    public static func month(of time: Timestamp) -> Int64 { time.millis / monthMillis }

    /// Consumes one committed block. `results` are the executor's, one per transaction in block order.
    public mutating func apply(
        height: UInt64, time: Timestamp, transactions: [Transaction], results: [TransactionResult]
    ) {
        precondition(transactions.count == results.count, "one result per transaction")
        precondition(height > self.height, "blocks are applied in order, once")
        if let previous = self.time { precondition(time >= previous, "block time goes backwards") }
        let previousMonth = self.time.map(FeatureIndex.month(of:))
        self.height = height
        self.time = time
        let month = FeatureIndex.month(of: time)
        if let previousMonth, month != previousMonth { prune(before: month - FeatureIndex.retainedMonths + 1) }
        for (transaction, result) in zip(transactions, results) where result.accepted {
            precondition(result.id == transaction.id, "results follow the block's transactions")
            apply(transaction, id: result.id.hash, height: height, time: time)
        }
        if tradeChanged || circular?.month != month {
            circular = circularTrading(month: month)
            tradeChanged = false
        }
    }

    private mutating func apply(_ transaction: Transaction, id: Hash256, height: UInt64, time: Timestamp) {
        let signer = transaction.signer
        switch transaction.body {
        case .registerMember(let body): registerMember(body, time: time)
        case .approveMember(let body): approveMember(body.member, time: time)
        case .registerPiece(let body): registerPiece(body, id: id, owner: signer)
        case .suspendMember(let body): vote(.suspend, on: body.member, by: signer)
        case .reinstateMember(let body): vote(.reinstate, on: body.member, by: signer)
        case .certifyPiece(let body):
            pieces[body.piece]?.certified = true
            pieces[body.piece]?.certifier = signer
        case .custodyIn(let body): pieces[body.piece]?.inCustody = true
        case .custodyOut(let body): pieces[body.piece]?.inCustody = false
        case .stockAudit(let body):
            for piece in body.pieces {
                pieces[piece]?.lastAudit = time
                pieces[piece]?.auditor = signer
            }
        case .issueInvoice(let body): issueInvoice(body, id: InvoiceID(id), seller: signer, time: time)
        case .confirmInvoice(let body): confirmInvoice(body.invoice, time: time)
        case .payInvoice(let body): payInvoice(body, payer: signer, time: time)
        case .raiseDispute(let body): raiseDispute(body.invoice, id: DisputeID(id))
        case .resolveDispute(let body): resolveDispute(body, time: time)
        case .settlePlatformSales(let body): settle(body, id: id, platform: signer)
        case .publishPrice(let body): publishPrice(body, publisher: signer)
        case .grantConsent(let body):
            firms[signer, default: FirmState(limit: settings.evidenceLimit)].consents.insert(body.lender)
        case .revokeConsent(let body): firms[signer]?.consents.remove(body.lender)
        case .makeOffer(let body): makeOffer(body, id: OfferID(id), lender: signer, time: time)
        case .acceptOffer(let body): acceptOffer(body.offer, id: LoanID(id), height: height, time: time)
        case .pledge(let body): setPledged(body.collateral, true)
        case .release(let body): setPledged(body.collateral, false)
        case .repay(let body): repay(body, id: TransactionID(id), signer: signer, time: time)
        case .confirmRepayment(let body): confirmRepayment(body, time: time)
        case .declareDefault(let body): declareDefault(body.loan, time: time)
        default:
            // Key rotations, validator changes, evidence, inspections, guarantees and model
            // registrations carry nothing a feature reads.
            break
        }
    }

    func newFirm() -> FirmState { FirmState(limit: settings.evidenceLimit) }
    func newBucket() -> MonthBucket { MonthBucket(limit: settings.evidenceLimit) }

    /// Major currency units of an amount, or nil when it is not in the index's currency.
    mutating func major(_ money: Money) -> Double? {
        if currency == nil { currency = money.currency }
        guard money.currency == currency else { return nil }
        var scale = 1.0
        for _ in 0..<money.currency.minorUnitDigits { scale *= 10 }
        return Double(money.minorUnits) / scale
    }

    /// Adds to one of a firm's monthly buckets, creating it (and the firm) as needed.
    mutating func update(_ firm: MemberID, month: Int64, _ change: (inout MonthBucket) -> Void) {
        let limit = settings.evidenceLimit
        change(
            &firms[firm, default: FirmState(limit: settings.evidenceLimit)].buckets[
                month, default: MonthBucket(limit: limit)])
    }

    /// Drops buckets no window reads any more.
    private mutating func prune(before month: Int64) {
        for id in firms.keys.sorted() {
            guard var firm = firms[id] else { continue }
            firm.buckets = firm.buckets.filter { $0.key >= month }
            firms[id] = firm
        }
        trade = trade.filter { $0.key >= month }
        settlements = settlements.filter { $0.value.month >= month }
        for band in priceBook.keys.sorted() { priceBook[band]?.prune(before: month) }
        // Invoices no bucket reads that nothing can change any more: cancelled, or paid in full and vouched for.
        invoices = invoices.filter { _, invoice in
            FeatureIndex.month(of: invoice.issuedAt) >= month || invoice.openDispute != nil
                || !(invoice.cancelled || (invoice.isSettled && (invoice.confirmed || invoice.buyer == nil)))
        }
        if let time { offers = offers.filter { $0.value.expiresAt > time } }
    }
}
