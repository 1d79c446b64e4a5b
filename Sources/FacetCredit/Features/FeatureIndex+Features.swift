import FacetCore
import FacetLedger
import FacetScorecard

/// Reading features: a few monthly buckets and the firm's open items, never its history.
extension FeatureIndex {
    /// The firm's features as of `asOf` (normally the latest block's time or later): windows are the 30-day
    /// months ending with `asOf`'s month; open items (receivables, payables, stock, loans, disputes) are as of
    /// the last applied block. A firm the ledger knows nothing about gets missing and zero values.
    public func features(of firm: MemberID, asOf: Timestamp) -> FirmFeatures {
        features(of: firm, asOf: asOf, circular: nil)
    }

    /// Several firms' features as of one time. The circular-trading analysis of a month other than the latest
    /// block's is a pass over the whole trade graph: it runs once here for all the firms, not once per firm.
    public func features(of firms: [MemberID], asOf: Timestamp) -> [FirmFeatures] {
        let month = FeatureIndex.month(of: asOf)
        let latest = circular?.month == month && !tradeChanged
        let analysis = latest ? nil : circularTrading(month: month)
        return firms.map { features(of: $0, asOf: asOf, circular: analysis) }
    }

    func features(of firm: MemberID, asOf: Timestamp, circular analysis: CircularTrading?) -> FirmFeatures {
        var reader = FeatureReader(index: self, firm: firm, asOf: asOf)
        reader.revenue()
        reader.concentration()
        reader.payments()
        reader.stock()
        reader.finance()
        reader.standing()
        reader.circular(analysis)
        return FirmFeatures(
            firm: firm, asOf: asOf, height: height, values: reader.values, evidence: reader.evidence,
            warnings: reader.warnings)
    }
}

/// Computes one firm's features; one method per family of features.
struct FeatureReader {
    let index: FeatureIndex
    let firm: MemberID
    let state: FirmState
    let asOf: Timestamp
    let month: Int64
    let weights: EvidenceWeights
    let limit: Int
    var values = FeatureRow()
    var evidence = [String: [Hash256]]()
    var warnings = [FeatureWarning]()

    init(index: FeatureIndex, firm: MemberID, asOf: Timestamp) {
        self.index = index
        self.firm = firm
        self.state = index.firms[firm] ?? index.newFirm()
        self.asOf = asOf
        self.month = FeatureIndex.month(of: asOf)
        self.weights = index.settings.weights
        self.limit = index.settings.evidenceLimit
    }

    /// The buckets of the `count` months ending `offset` months before `asOf`'s month, oldest first.
    func buckets(_ count: Int64, endingBefore offset: Int64 = 0) -> [MonthBucket] {
        let last = month - offset
        return ((last - count + 1)...last).compactMap { state.buckets[$0] }
    }

    func revenue(_ count: Int64, endingBefore offset: Int64 = 0) -> Double {
        buckets(count, endingBefore: offset).reduce(0) { $0 + $1.revenue(weights) }
    }

    mutating func set(_ name: String, _ value: Double?) {
        values[name] = value.map { .number($0) } ?? .missing
    }

    mutating func set(_ name: String, ratio numerator: Double, _ denominator: Double) {
        set(name, denominator > 0 ? numerator / denominator : nil)
    }

    mutating func revenue() {
        for (name, months) in [(FeatureName.revenue3m, 3), (FeatureName.revenue6m, 6), (FeatureName.revenue12m, 12)] {
            set(name, revenue(Int64(months)))
            evidence[name] = TopRecords.merged(buckets(Int64(months)).map(\.largest), limit: limit)
        }
        // Growth and volatility read complete months only: the current one is still filling.
        let recent = revenue(3, endingBefore: 1)
        let prior = revenue(3, endingBefore: 4)
        set(FeatureName.revenueGrowth, prior > 0 ? recent / prior - 1 : nil)
        evidence[FeatureName.revenueGrowth] = TopRecords.merged(
            buckets(6, endingBefore: 1).map(\.largest), limit: limit)
        set(FeatureName.revenueVolatility, volatility())
        evidence[FeatureName.revenueVolatility] = evidence[FeatureName.revenue12m]
        let window = buckets(12)
        let gross = window.reduce(0) { $0 + $1.gross }
        let vouched = window.reduce(0) { $0 + $1.vouched }
        set(FeatureName.verifiedTradeShare, ratio: vouched, gross)
        evidence[FeatureName.verifiedTradeShare] = evidence[FeatureName.revenue12m]
        let revenue12m = revenue(12)
        let platform = window.reduce(0) { $0 + $1.platformNet * weights.platformSettled }
        set(FeatureName.platformSettlementShare, revenue12m > 0 ? min(1, platform / revenue12m) : nil)
    }

    /// Coefficient of variation of monthly revenue over the complete months of the last twelve since the firm
    /// joined; missing with fewer than three such months or no revenue.
    func volatility() -> Double? {
        let joined = index.members[firm]?.since.map(FeatureIndex.month(of:)) ?? month
        let first = max(month - 12, joined)
        guard month - first >= 3 else { return nil }
        let monthly = (first..<month).map { state.buckets[$0]?.revenue(weights) ?? 0 }
        let mean = monthly.reduce(0, +) / Double(monthly.count)
        guard mean > 0 else { return nil }
        let variance = monthly.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(monthly.count)
        return variance.squareRoot() / mean
    }

    mutating func concentration() {
        var byBuyer = [MemberID: Double]()
        let window = buckets(12)
        for bucket in window {
            for buyer in bucket.byBuyer.keys.sorted() { byBuyer[buyer, default: 0] += bucket.byBuyer[buyer] ?? 0 }
        }
        let shares = byBuyer.keys.sorted().map { max(0, byBuyer[$0] ?? 0) }
        let total = shares.reduce(0, +)
        set(FeatureName.buyerHHI, total > 0 ? shares.reduce(0) { $0 + ($1 / total) * ($1 / total) } : nil)
        evidence[FeatureName.buyerHHI] = TopRecords.merged(window.map(\.largest), limit: limit)
    }

    mutating func payments() {
        // Days sales outstanding: receivables open now over the last three months' credit sales, in days.
        var receivables = TopRecords(limit: limit)
        var outstanding = 0.0
        for id in state.openReceivables.sorted() {
            guard let invoice = index.invoices[id] else { continue }
            outstanding += invoice.outstanding
            receivables.set(id.hash, invoice.outstanding)
        }
        let creditSales = buckets(3).reduce(0) { $0 + $1.creditSales }
        set(FeatureName.dsoDays, creditSales > 0 ? outstanding / creditSales * 90 : nil)
        evidence[FeatureName.dsoDays] = receivables.ids
        // As a buyer: confirmed invoices settled in the last twelve months (late or not), and those still unpaid past due.
        var overdue = TopRecords(limit: limit)
        for id in state.openPayables.sorted() {
            guard let invoice = index.invoices[id], invoice.dueAt < asOf else { continue }
            overdue.set(id.hash, Double(asOf.millis - invoice.dueAt.millis) / Double(Timestamp.millisPerDay))
        }
        let overdueCount = state.openPayables.filter { (index.invoices[$0]?.dueAt ?? asOf) < asOf }.count
        let window = buckets(12)
        let settled = window.reduce(0) { $0 + $1.payablesSettled } + overdueCount
        let late = window.reduce(0) { $0 + $1.payablesLate } + overdueCount
        set(FeatureName.latePaymentRate, ratio: Double(late), Double(settled))
        evidence[FeatureName.latePaymentRate] = TopRecords.merged(
            [overdue] + window.map(\.lateRecords), limit: limit)
        // Days past due: the oldest overdue payable or loan now, zero when nothing is overdue.
        var pastDue = overdue
        for id in state.activeLoans.sorted() {
            guard let loan = index.loans[id], loan.dueAt < asOf else { continue }
            pastDue.set(id.hash, Double(asOf.millis - loan.dueAt.millis) / Double(Timestamp.millisPerDay))
        }
        set(FeatureName.daysPastDue, (pastDue.entries.first?.value).map { $0.rounded(.down) } ?? 0)
        evidence[FeatureName.daysPastDue] = pastDue.ids
    }

    mutating func stock() {
        var total = 0.0
        var certified = 0.0
        var audited = 0.0
        var pledged = 0.0
        var top = TopRecords(limit: limit)
        var topCertified = TopRecords(limit: limit)
        var topAudited = TopRecords(limit: limit)
        var topPledged = TopRecords(limit: limit)
        let freshSince = asOf.millis - index.settings.auditFreshnessDays * Timestamp.millisPerDay
        for id in state.pieces.sorted() {
            guard let piece = index.pieces[id] else { continue }
            let value = index.referenceValue(piece)
            total += value
            top.set(id.hash, value)
            if piece.certified {
                certified += value
                topCertified.set(id.hash, value)
            }
            if piece.inCustody, let audit = piece.lastAudit, audit.millis >= freshSince {
                audited += value
                topAudited.set(id.hash, value)
            }
            if piece.pledged {
                pledged += value
                topPledged.set(id.hash, value)
            }
        }
        set(FeatureName.inventoryValue, total)
        let sold = buckets(12).reduce(0) { $0 + $1.stockSold }
        set(FeatureName.inventoryTurnover, ratio: sold, total)
        set(FeatureName.certifiedStockShare, ratio: certified, total)
        set(FeatureName.auditedStockShare, ratio: audited, total)
        set(FeatureName.pledgedStockShare, ratio: pledged, total)
        evidence[FeatureName.inventoryValue] = top.ids
        evidence[FeatureName.inventoryTurnover] = top.ids
        evidence[FeatureName.certifiedStockShare] = topCertified.ids
        evidence[FeatureName.auditedStockShare] = topAudited.ids
        evidence[FeatureName.pledgedStockShare] = topPledged.ids
    }

    mutating func finance() {
        if let since = index.members[firm]?.since {
            let days = Double(max(0, asOf.millis - since.millis)) / Double(FeatureIndex.monthMillis)
            set(FeatureName.tenureMonths, days)
        } else {
            set(FeatureName.tenureMonths, nil)
        }
        var owed = 0.0
        var active = TopRecords(limit: limit)
        for id in state.activeLoans.sorted() {
            guard let loan = index.loans[id] else { continue }
            owed += loan.outstanding
            active.set(id.hash, loan.outstanding)
        }
        let revenue12m = revenue(12)
        set(FeatureName.leverage, revenue12m > 0 ? owed / revenue12m : nil)
        evidence[FeatureName.leverage] = active.ids
        set(FeatureName.loansActive, Double(state.activeLoans.count))
        evidence[FeatureName.loansActive] = active.ids
        set(FeatureName.loansRepaid, Double(state.loansRepaid))
        set(FeatureName.loansDefaulted, Double(state.loansDefaulted))
        let closed = state.closedLoans.ids
        evidence[FeatureName.loansRepaid] = closed.filter { index.loans[LoanID($0)]?.status == .repaid }
        evidence[FeatureName.loansDefaulted] = closed.filter { index.loans[LoanID($0)]?.status == .defaulted }
        set(FeatureName.loanOffers12m, Double(buckets(12).reduce(0) { $0 + $1.offers }))
        set(FeatureName.consentedLenders, Double(state.consents.count))
        let disputes = state.openDisputes.sorted().map(\.hash)
        set(FeatureName.openDisputes, Double(disputes.count))
        evidence[FeatureName.openDisputes] = Array(disputes.prefix(limit))
        if !disputes.isEmpty {
            warnings.append(
                FeatureWarning(
                    code: FeatureWarning.openDisputes,
                    message: "\(disputes.count) open dispute(s) on the firm's invoices", members: [],
                    records: Array(disputes.prefix(limit))))
        }
    }

    /// Warns of the twelve months' records whose attestors were suspended since, naming those attestors.
    mutating func standing() {
        let window = buckets(12)
        let records = TopRecords.merged(window.map(\.voided), limit: limit)
        guard !records.isEmpty else { return }
        let members = window.reduce(into: Set<MemberID>()) { $0.formUnion($1.voidedBy) }.sorted()
        warnings.append(
            FeatureWarning(
                code: FeatureWarning.suspendedAttestors,
                message: "\(members.count) attestor(s) of the firm's records were suspended since: what they vouched "
                    + "for weighs as self-issued", members: members, records: records))
    }

    /// `given`: the analysis of `asOf`'s month, when the caller already made it.
    mutating func circular(_ given: CircularTrading? = nil) {
        let analysis =
            given
            ?? (index.circular?.month == month && !index.tradeChanged
                ? index.circular ?? index.circularTrading(month: month) : index.circularTrading(month: month))
        let revenue = revenue(index.settings.circularWindowMonths)
        guard let cycle = analysis.cycleOf[firm] else {
            set(FeatureName.circularTradeShare, revenue > 0 ? 0 : nil)
            return
        }
        let flow = analysis.flowOut[firm] ?? 0
        set(FeatureName.circularTradeShare, revenue > 0 ? min(1, flow / revenue) : nil)
        let records = analysis.records[firm] ?? []
        evidence[FeatureName.circularTradeShare] = records
        let members = analysis.cycles[cycle]
        warnings.insert(
            FeatureWarning(
                code: FeatureWarning.circularTrading,
                message: "wholesale invoices go round among \(members.count) firms in balanced amounts",
                members: members, records: records), at: 0)
    }
}
