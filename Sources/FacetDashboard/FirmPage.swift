import FacetAPI
import FacetCore
import FacetCredit
import FacetHTML
import FacetLedger
import FacetNode
import FacetScorecard
import FacetWire

/// One firm's credit, for a consented lender or the firm itself: score, grade and PD with the reasons that cost it
/// the most points, verified revenue by month split by who vouched for it, every feature with the records behind
/// it (each linked to its Merkle proof), buyer concentration, payment behaviour, inventory by category, loans and the
/// offers open on the ledger, the warnings, and each lender's decisions (limit and the cap that binds, the rate's
/// parts) and advice. Each section is a `<section id="…">`.
enum FirmPage {
    /// Loans listed, most recent first; buyers named before the rest are summed; pieces listed, largest first.
    static let loanLimit = FirmHoldings.loanLimit
    static let buyerLimit = 10
    static let pieceLimit = 200

    /// A piece in stock with its reference value, and the records the page lists beside the features, read at one
    /// height by credit serving.
    typealias StockItem = FirmHoldings.StockItem
    typealias Holdings = FirmHoldings

    struct LenderView {
        var lender: Member
        var assessment: CreditAssessment
    }

    struct Data {
        var firm: Member
        var viewer: Member
        var registration: RegisteredModel
        var score: ScoreResult
        var evidence: CreditEvidence
        var months: [MonthlyRevenue]
        var lenders: [LenderView]
        var holdings: Holdings
        /// The firm's access log, for the firm itself only.
        var accessLog: APIJSON.AccessLogBody? = nil
    }

    /// The revenue chart's series, bottom first, in `MonthlyRevenue`'s order.
    static let revenueSeries = [
        SVGChart.Series(name: "Buyer-confirmed", texture: .solid),
        SVGChart.Series(name: "Platform-settled", texture: .hatched),
        SVGChart.Series(name: "Self-issued", texture: .dotted),
    ]

    static func render(_ data: Data) -> HTML {
        let features = data.evidence.features
        let currency = data.evidence.currency
        let inputs = CreditAssessment.inputs(data.evidence, pd: data.score.pd, grade: data.score.grade)
        return """
            <p>Ledger height \(features.height), as of \(DashboardFormat.dateTime(features.asOf)), model \
            <code>\(data.registration.name.description)</code>.</p>
            <div class="figures">\
            \(figure("Score", DashboardFormat.number(data.score.score), id: "score"))\
            \(figure("Grade", data.score.grade, id: "grade"))\
            \(figure("PD", DashboardFormat.percent(data.score.pd), id: "pd"))\
            \(figure("Revenue 12m", DashboardFormat.money(inputs.revenue12m, currency), id: "revenue12m"))\
            \(figure("Monthly cash flow", DashboardFormat.money(inputs.monthlyCashFlow, currency), id: "cashflow"))\
            </div>
            <h2>Reasons</h2>\(reasons(data.score.reasons))
            <h2>Verified revenue by month</h2>\(revenue(data.months, currency: currency))
            \(concentration(data.holdings, features))
            \(payments(features))
            \(inventory(data.holdings.stock, features, currency: currency))
            \(loans(data.holdings))
            \(offers(data.holdings))
            <h2>Warnings</h2>\(warnings(features.warnings))
            <h2>Features</h2>\(featureTable(features))
            \(data.lenders.map { lender($0, currency: currency, lenderTerms: data.viewer.id != data.firm.id) })
            \(accessLog(data.accessLog))
            """
    }

    private static func figure(_ label: String, _ value: String, id: String) -> HTML {
        "<div class=\"figure\" id=\"figure-\(id)\">\(label)<b>\(value)</b></div>"
    }

    private static func reasons(_ reasons: [ScoreResult.Reason]) -> HTML {
        guard !reasons.isEmpty else { return "<p>Every feature is in its best bin.</p>" }
        let items = reasons.map { reason in
            HTML(
                """
                <li data-feature="\(reason.feature)">\(reason.text) <small>(\(reason.feature), \
                \(DashboardFormat.number(reason.pointsBelowBest, digits: 1)) points below its best)</small></li>
                """)
        }
        return "<ol class=\"reasons\">\(items)</ol>"
    }

    /// The stacked chart, and the same figures as a table for reading exact values.
    static func revenue(_ months: [MonthlyRevenue], currency: Currency) -> HTML {
        let bars = months.map { month in
            let start = DashboardFormat.date(month.start)
            return SVGChart.Bar(
                key: start, label: String(start.dropFirst(5)),
                values: [month.buyerConfirmed, month.platformSettled, month.selfIssued])
        }
        let chart = SVGChart.stackedBars(
            id: "revenue", title: "Revenue by 30-day month, by who vouched for it (\(currency.code))", bars: bars,
            series: revenueSeries, unit: currency.code)
        let rows = months.map { month in
            HTML(
                """
                <tr><td>\(DashboardFormat.date(month.start))</td>\
                <td class="num">\(DashboardFormat.number(month.buyerConfirmed, digits: 2))</td>\
                <td class="num">\(DashboardFormat.number(month.platformSettled, digits: 2))</td>\
                <td class="num">\(DashboardFormat.number(month.selfIssued, digits: 2))</td>\
                <td class="num">\(DashboardFormat.number(month.weighted, digits: 2))</td></tr>
                """)
        }
        return """
            \(chart)<p><small>Months are 30-day periods starting on the date shown. Buyer-confirmed: invoices the \
            buyer confirmed or that were paid by the buyer or a bank; platform-settled: a platform's settled net \
            sales; self-issued: invoices only the firm attests. Weighted is the revenue the score reads.</small></p>
            <details><summary>Figures by month (\(currency.code))</summary><div class="table"><table>\
            <thead><tr><th>Month from</th><th class="num">Buyer-confirmed</th><th class="num">Platform-settled</th>\
            <th class="num">Self-issued</th><th class="num">Weighted</th></tr></thead><tbody>\(rows)</tbody>\
            </table></div></details>
            """
    }

    private static func warnings(_ warnings: [FeatureWarning]) -> HTML {
        guard !warnings.isEmpty else { return "<p>None.</p>" }
        return HTML.join(
            warnings.map { warning in
                HTML(
                    """
                    <p class="warning" data-code="\(warning.code)"><code>\(warning.code)</code> \(warning.message) \
                    \(recordLinks(warning.records))</p>
                    """)
            })
    }

    private static func featureTable(_ features: FirmFeatures) -> HTML {
        let rows = features.values.keys.sorted().map { name in
            let value = features.values[name] ?? .missing
            let shown: String
            switch value {
            case .number(let number): shown = DashboardFormat.number(number, digits: 4)
            case .text(let text): shown = text
            case .missing: shown = "missing"
            }
            return HTML(
                """
                <tr data-feature="\(name)"><td>\(name)</td><td class="num">\(shown)</td>\
                <td>\(recordLinks(features.evidence[name] ?? []))</td></tr>
                """)
        }
        return """
            <div class="table"><table id="features"><thead><tr><th>Feature</th><th class="num">Value</th>\
            <th>Records (each links to its proof)</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    private static func recordLinks(_ records: [Hash256]) -> HTML {
        guard !records.isEmpty else { return "—" }
        return HTML.join(
            records.map { id in
                HTML(
                    """
                    <a class="mono" href="/dash/proof/\(id.hex)" data-bundle="/dash/proof/\(id.hex)/bundle" \
                    title="\(id.hex): check its proof against the validators' signatures">\
                    \(String(id.hex.prefix(10)))</a>
                    """)
            }, separator: " ")
    }

    /// `lenderTerms`: the rate's funding cost, operating cost and margin one by one; the firm reading its own page
    /// sees them as one sum (the lender's private terms), beside the parts its own risk drives.
    private static func lender(_ view: LenderView, currency: Currency, lenderTerms: Bool) -> HTML {
        let decisions = view.assessment.decisions.map { decision($0, currency: currency, lenderTerms: lenderTerms) }
        let advice = view.assessment.advice.map { item in
            HTML("<li>\(item.text) \(recordLinks(item.records))</li>")
        }
        return """
            <section class="lender" data-lender="\(view.lender.id.hex)"><h2>Decisions of \(view.lender.name)</h2>\
            <div class="table"><table><thead><tr><th>Product</th><th>Outcome</th><th class="num">Limit</th>\
            <th>Binding cap</th><th>Caps</th><th class="num">Rate</th><th>Rate parts</th><th class="num">Tenor</th>\
            </tr></thead><tbody>\(decisions)</tbody></table></div>\
            <h2>Advice for \(view.lender.name)</h2>\
            \(advice.isEmpty ? HTML("<p>None.</p>") : "<ul class=\"advice\">\(advice)</ul>")</section>
            """
    }

    private static func decision(_ decision: CreditDecision, currency: Currency, lenderTerms: Bool) -> HTML {
        func caps(_ limit: CreditLimit?) -> HTML {
            guard let limit else { return "—" }
            return HTML.join(
                limit.constraints.map { "\($0.kind.rawValue) \(DashboardFormat.money($0.amount, currency))" },
                separator: "<br>")
        }
        switch decision {
        case .offer(let offer):
            let rate = offer.rate
            let parts = rateParts(rate, lenderTerms: lenderTerms)
            return """
                <tr data-product="\(offer.product)" data-outcome="offer"><td>\(offer.product)</td><td>offer</td>\
                <td class="num">\(DashboardFormat.money(offer.limit.amount, currency))</td>\
                <td>\(offer.limit.binding.rawValue)</td><td>\(caps(offer.limit))</td>\
                <td class="num">\(DashboardFormat.percent(rate.total))</td><td>\(parts)</td>\
                <td class="num">\(offer.tenorDays) days</td></tr>
                """
        case .decline(let decline):
            let limit = decline.limit.map { DashboardFormat.money($0.amount, currency) } ?? "—"
            let reasons = decline.reasons.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ")
            return """
                <tr data-product="\(decline.product)" data-outcome="decline"><td>\(decline.product)</td>\
                <td>decline</td><td class="num">\(limit)</td><td>\(decline.limit?.binding.rawValue ?? "—")</td>\
                <td>\(caps(decline.limit))</td>\
                <td colspan="3">\(reasons)</td></tr>
                """
        }
    }
}

extension FirmPage {
    /// The rate's parts as the reader may see them: every part for a lender, the lender's own terms as one sum
    /// for the firm.
    static func rateParts(_ rate: RateBreakdown, lenderTerms: Bool) -> String {
        let risk = [("expected loss", rate.expectedLoss), ("capital", rate.capitalCharge)]
        let parts =
            lenderTerms
            ? [("funding", rate.fundingCost), ("operating", rate.operatingCost)] + risk + [("margin", rate.margin)]
            : [("lender's cost and margin", rate.lenderCostAndMargin)] + risk
        return parts.map { "\($0.0) \(DashboardFormat.percent($0.1))" }.joined(separator: " + ")
    }
}

// MARK: Sections beside the features

extension FirmPage {
    /// A feature's number, nil when missing.
    static func number(_ features: FirmFeatures, _ name: String) -> Double? {
        if case .number(let value)? = features.values[name] { return value }
        return nil
    }

    /// Major units of the index's currency, as the features keep them.
    static func major(_ value: Double, _ currency: Currency) -> String {
        DashboardFormat.number(value, digits: currency.minorUnitDigits) + " " + currency.code
    }

    static func money(_ money: Money) -> String { DashboardFormat.money(money.minorUnits, money.currency) }

    static func name(_ id: MemberID, _ names: [MemberID: String]) -> HTML {
        "\(names[id] ?? "unknown member") <code class=\"mono\" title=\"\(id.hex)\">\(String(id.hex.prefix(10)))</code>"
    }

    /// A share as a bar 100 units wide, for reading the table at a glance; the number is beside it.
    private static func bar(_ share: Double) -> HTML {
        let width = DashboardFormat.coordinate(min(1, max(0, share)) * 100)
        return """
            <svg class="bar" viewBox="0 0 100 10" width="100" height="10" aria-hidden="true">\
            <rect width="100" height="10" fill="#fff" stroke="#1b1b1b" stroke-width="0.5"/>\
            <rect width="\(width)" height="10" fill="#1b1b1b"/></svg>
            """
    }

    static func concentration(_ holdings: Holdings, _ features: FirmFeatures) -> HTML {
        let hhi = number(features, FeatureName.buyerHHI).map { DashboardFormat.number($0, digits: 4) } ?? "missing"
        let shown = holdings.buyers.prefix(buyerLimit)
        var rows = shown.map { buyer in
            HTML(
                """
                <tr data-buyer="\(buyer.buyer.hex)" data-share="\(String(buyer.share))">\
                <td>\(name(buyer.buyer, holdings.names))</td>\
                <td class="num">\(DashboardFormat.number(buyer.revenue, digits: 2))</td>\
                <td class="num">\(DashboardFormat.percent(buyer.share, digits: 1))</td><td>\(bar(buyer.share))</td></tr>
                """)
        }
        let rest = holdings.buyers.dropFirst(buyerLimit)
        if !rest.isEmpty {
            let share = rest.reduce(0) { $0 + $1.share }
            rows.append(
                """
                <tr data-buyer="others" data-share="\(String(share))"><td>\(rest.count) other buyers</td>\
                <td class="num">\(DashboardFormat.number(rest.reduce(0) { $0 + $1.revenue }, digits: 2))</td>\
                <td class="num">\(DashboardFormat.percent(share, digits: 1))</td><td>\(bar(share))</td></tr>
                """)
        }
        let table: HTML =
            rows.isEmpty
            ? "<p>No invoice in the window names a buyer.</p>"
            : """
            <div class="table"><table id="buyers"><thead><tr><th>Buyer</th><th class="num">Weighted revenue</th>\
            <th class="num">Share</th><th>Share</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return """
            <section id="concentration"><h2>Buyer concentration</h2><div class="figures">\
            \(figure("Buyer HHI", hhi, id: "buyer-hhi"))</div>\(table)\
            <p><small>Shares of weighted revenue from invoices naming a buyer over the twelve 30-day months the \
            revenue features read; sales to no named buyer are left out. The HHI is the sum of the squared shares \
            (1: a single buyer). Largest invoices behind it: \(recordLinks(features.evidence[FeatureName.buyerHHI] ?? []))\
            </small></p></section>
            """
    }

    static func payments(_ features: FirmFeatures) -> HTML {
        func row(_ feature: String, _ label: String, _ shown: (Double) -> String, _ note: String) -> HTML {
            let value = number(features, feature).map(shown) ?? "missing"
            return """
                <tr data-payment="\(feature)"><td>\(label)</td><td class="num">\(value)</td><td>\(note)</td>\
                <td>\(recordLinks(features.evidence[feature] ?? []))</td></tr>
                """
        }
        let rows = [
            row(
                FeatureName.dsoDays, "Days sales outstanding", { DashboardFormat.number($0, digits: 1) + " days" },
                "open receivables over the last three months' credit sales, times 90; records: the largest open"),
            row(
                FeatureName.latePaymentRate, "Late payments as a buyer", { DashboardFormat.percent($0, digits: 1) },
                "confirmed invoices paid after their due date or unpaid past it, over those settled in twelve months; "
                    + "records: the late and overdue invoices"),
            row(
                FeatureName.daysPastDue, "Days past due as a buyer", { DashboardFormat.number($0) + " days" },
                "the oldest overdue payable or loan now; records: what is overdue"),
        ]
        return """
            <section id="payments"><h2>Payment behaviour</h2><div class="table"><table><thead><tr><th>Figure</th>\
            <th class="num">Value</th><th>How it is counted</th><th>Records (each links to its proof)</th></tr>\
            </thead><tbody>\(rows)</tbody></table></div></section>
            """
    }

    /// The category as a reader names it.
    static func categoryName(_ category: PieceCategory) -> String {
        switch category {
        case .naturalDiamond: "natural diamond"
        case .labGrownDiamond: "lab-grown diamond"
        case .gold: "gold"
        case .platinum: "platinum"
        case .jadeite: "jadeite"
        case .coloredStone: "colored stone"
        case .pearl: "pearl"
        case .crystal: "crystal"
        }
    }

    /// The share of `items` for which `holds` is true, by reference value, or by count when none is priced.
    static func share(_ items: [StockItem], _ holds: (Piece) -> Bool) -> Double? {
        guard !items.isEmpty else { return nil }
        let total = items.reduce(0) { $0 + $1.value }
        guard total > 0 else { return Double(items.filter { holds($0.piece) }.count) / Double(items.count) }
        return items.filter { holds($0.piece) }.reduce(0) { $0 + $1.value } / total
    }

    static func inventory(_ stock: [StockItem], _ features: FirmFeatures, currency: Currency) -> HTML {
        guard !stock.isEmpty else {
            return "<section id=\"inventory\"><h2>Inventory</h2><p>No piece in stock.</p></section>"
        }
        func row(_ key: String, _ label: String, _ items: [StockItem]) -> HTML {
            func shown(_ holds: (Piece) -> Bool) -> String {
                share(items, holds).map { DashboardFormat.percent($0, digits: 1) } ?? "—"
            }
            let value = items.reduce(0) { $0 + $1.value }
            return """
                <tr data-category="\(key)" data-count="\(items.count)" data-value="\(String(value))"><td>\(label)</td>\
                <td class="num">\(items.count)</td><td class="num">\(major(value, currency))</td>\
                <td class="num" data-certified>\(shown { $0.certified })</td>\
                <td class="num" data-custody>\(shown { $0.custody != nil })</td>\
                <td class="num" data-pledged>\(shown { $0.pledgedTo != nil })</td></tr>
                """
        }
        let categories = PieceCategory.allCases.compactMap { category -> HTML? in
            let items = stock.filter { $0.piece.card.category == category }
            return items.isEmpty ? nil : row(APIJSON.Names.category(category), categoryName(category), items)
        }
        let largest = stock.sorted { ($0.value, $1.piece.id) > ($1.value, $0.piece.id) }.prefix(pieceLimit)
        let listed =
            largest.count < stock.count ? "the \(largest.count) largest of \(stock.count)" : "all \(stock.count)"
        return """
            <section id="inventory"><h2>Inventory</h2><div class="table"><table id="inventory-categories"><thead><tr>\
            <th>Category</th><th class="num">Pieces</th><th class="num">Reference value</th>\
            <th class="num">Certified</th><th class="num">In custody</th><th class="num">Pledged</th></tr></thead>\
            <tbody>\(categories)\(row("all", "All stock", stock))</tbody></table></div>\
            <p><small>Values at the category's lowest published band price, as the inventory features count them \
            (zero without a price); shares are by value, or by count where nothing is priced. In custody: held by a \
            warehouse now. Records: \(recordLinks(features.evidence[FeatureName.inventoryValue] ?? []))</small></p>\
            <details><summary>Pieces (\(listed))</summary><div class="table"><table><thead><tr><th>Piece</th>\
            <th>Category</th><th class="num">Weight</th><th class="num">Value</th><th>Certified</th>\
            <th>In custody</th><th>Pledged to</th></tr></thead><tbody>\
            \(largest.map { piece($0, currency: currency) })</tbody></table></div></details></section>
            """
    }

    private static func piece(_ item: StockItem, currency: Currency) -> HTML {
        let piece = item.piece
        let unit = piece.card.category.weighedInCarats ? "ct" : "g"
        let pledged: HTML = piece.pledgedTo.map { recordLinks([$0.hash]) } ?? "no"
        return """
            <tr data-piece="\(piece.id.hex)"><td><a class="mono" href="/dash/pieces/\(piece.id.hex)">\
            \(String(piece.id.hex.prefix(10)))</a> \(recordLinks([piece.id.hash]))</td>\
            <td>\(categoryName(piece.card.category))</td>\
            <td class="num">\(DashboardFormat.number(Double(piece.card.weight) / 1000, digits: 3)) \(unit)</td>\
            <td class="num">\(major(item.value, currency))</td><td>\(piece.certified ? "yes" : "no")</td>\
            <td>\(piece.custody == nil ? "no" : "yes")</td><td>\(pledged)</td></tr>
            """
    }

    static func loanStatus(_ status: LoanStatus) -> String {
        switch status {
        case .active: "active"
        case .repaid: "repaid"
        case .defaulted: "defaulted"
        }
    }

    static func loans(_ holdings: Holdings) -> HTML {
        guard !holdings.loans.isEmpty else {
            return "<section id=\"loans\"><h2>Loans</h2><p>No loan on the ledger.</p></section>"
        }
        let rows = holdings.loans.map { loan in
            HTML(
                """
                <tr data-loan="\(loan.id.hex)" data-status="\(loanStatus(loan.status))">\
                <td>\(recordLinks([loan.id.hash]))</td><td>\(name(loan.lender, holdings.names))</td>\
                <td>\(APIJSON.Names.product(loan.product))</td><td>\(loanStatus(loan.status))</td>\
                <td class="num">\(money(loan.principal))</td><td class="num">\(money(loan.outstanding))</td>\
                <td class="num">\(DashboardFormat.percent(Double(loan.rateBasisPoints) / 10_000))</td>\
                <td>\(DashboardFormat.date(loan.startedAt))</td><td>\(DashboardFormat.date(loan.dueAt))</td></tr>
                """)
        }
        let listed =
            holdings.loans.count < holdings.loanCount
            ? "The \(holdings.loans.count) most recent of \(holdings.loanCount) loans."
            : "\(holdings.loanCount) loan(s), most recent first."
        return """
            <section id="loans"><h2>Loans</h2><p>\(listed) Each links to the proof of its acceptance.</p>\
            <div class="table"><table><thead><tr><th>Loan</th><th>Lender</th><th>Product</th><th>Status</th>\
            <th class="num">Principal</th><th class="num">Outstanding</th><th class="num">Rate</th><th>Started</th>\
            <th>Due</th></tr></thead><tbody>\(rows)</tbody></table></div></section>
            """
    }

    static func offers(_ holdings: Holdings) -> HTML {
        guard !holdings.offers.isEmpty else {
            return "<section id=\"offers\"><h2>Open offers</h2><p>No offer open on the ledger.</p></section>"
        }
        let rows = holdings.offers.map { offer($0, names: holdings.names) }
        return """
            <section id="offers"><h2>Open offers</h2><p>Offers lenders signed on the ledger that are neither \
            accepted nor expired; each names the model and the features (by hash, at a height) it was decided on. \
            The decisions below show how a rate is built.</p><div class="table"><table><thead><tr><th>Offer</th>\
            <th>Lender</th><th>Product</th><th class="num">Principal</th><th class="num">Rate</th>\
            <th class="num">Term</th><th>Expires</th><th>Model</th><th>Features</th><th>Collateral</th>\
            <th>Guarantee</th></tr></thead><tbody>\(rows)</tbody></table></div></section>
            """
    }

    private static func offer(_ offer: Offer, names: [MemberID: String]) -> HTML {
        let collateral = offer.collateral.map { item -> HTML in
            switch item {
            case .piece(let id):
                return "<a class=\"mono\" href=\"/dash/pieces/\(id.hex)\">piece \(String(id.hex.prefix(10)))</a>"
            case .invoice(let id): return "invoice \(recordLinks([id.hash]))"
            }
        }
        let guarantee: HTML =
            offer.guarantee.map { guarantee -> HTML in
                """
                \(name(guarantee.guarantor, names)) covers \
                \(DashboardFormat.percent(Double(guarantee.coverageBasisPoints) / 10_000, digits: 0)) for \
                \(money(guarantee.fee))
                """
            } ?? "—"
        let rate = DashboardFormat.percent(Double(offer.rateBasisPoints) / 10_000)
        return """
            <tr data-offer="\(offer.id.hex)" data-rate-bps="\(offer.rateBasisPoints)">\
            <td>\(recordLinks([offer.id.hash]))</td><td>\(name(offer.lender, names))</td>\
            <td>\(APIJSON.Names.product(offer.product))</td><td class="num">\(money(offer.principal))</td>\
            <td class="num">\(rate)</td><td class="num">\(offer.termDays) days</td>\
            <td>\(DashboardFormat.dateTime(offer.expiresAt))</td>\
            <td><code title="\(offer.modelHash.hex)">\(String(offer.modelHash.hex.prefix(10)))</code></td>\
            <td><code title="\(offer.featuresHash.hex)">\(String(offer.featuresHash.hex.prefix(10)))</code> \
            at height \(offer.ledgerHeight)</td>\
            <td>\(collateral.isEmpty ? "none" : HTML.join(collateral, separator: "<br>"))</td><td>\(guarantee)</td></tr>
            """
    }
}
