import FacetCore
import FacetCredit
import FacetLedger
import FacetScorecard

/// One firm's credit, for a consented lender or the firm itself: score, grade and PD with the reasons that cost it
/// the most points, verified revenue by month split by who vouched for it, every feature with the records behind
/// it (each linked to its Merkle proof), the warnings, and each lender's decisions (limit and the cap that binds,
/// the rate's parts) and advice.
enum FirmPage {
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
            <h2>Warnings</h2>\(warnings(features.warnings))
            <h2>Features</h2>\(featureTable(features))
            \(data.lenders.map { lender($0, currency: currency) })
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
                    <a class="mono" href="/v1/transactions/\(id.hex)/proof" title="\(id.hex)">\
                    \(String(id.hex.prefix(10)))</a>
                    """)
            }, separator: " ")
    }

    private static func lender(_ view: LenderView, currency: Currency) -> HTML {
        let decisions = view.assessment.decisions.map { decision($0, currency: currency) }
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

    private static func decision(_ decision: CreditDecision, currency: Currency) -> HTML {
        func caps(_ limit: CreditLimit?) -> HTML {
            guard let limit else { return "—" }
            return HTML.join(
                limit.constraints.map { "\($0.kind.rawValue) \(DashboardFormat.money($0.amount, currency))" },
                separator: "<br>")
        }
        switch decision {
        case .offer(let offer):
            let rate = offer.rate
            let parts = [
                ("funding", rate.fundingCost), ("operating", rate.operatingCost),
                ("expected loss", rate.expectedLoss), ("capital", rate.capitalCharge), ("margin", rate.margin),
            ].map { "\($0.0) \(DashboardFormat.percent($0.1))" }.joined(separator: " + ")
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
