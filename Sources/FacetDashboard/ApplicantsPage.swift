import FacetAPI
import FacetCore
import FacetCredit
import FacetHTML
import FacetLedger
import FacetNode

/// A lender's applicants: one row per firm that granted it consent, with the score and its trend, grade and PD, the
/// best limit its policy offers and for which product, verified revenue over twelve months, the firm's cluster and
/// the warnings. Rows carry their figures in `data-` attributes, so a few lines of inline script
/// (`Resources/applicants.js`) sort and filter them without a build step; with scripts off, the table reads as it is.
enum ApplicantsPage {
    /// How far back the trend compares the score: the feature windows end this many days before the latest block.
    static let trendDays = 90

    /// The trading clusters of `seeds/consortium.json`, each with the stock categories it trades; every category
    /// the seeds do not list (platinum, colored stones, pearls) counts with crystal as "other".
    static let clusters: [(name: String, categories: [PieceCategory])] = [
        ("Shuibei gold", [.gold]), ("Panyu diamond", [.naturalDiamond, .labGrownDiamond]),
        ("Pingzhou jade", [.jadeite]), ("Donghai crystal", [.crystal, .platinum, .coloredStone, .pearl]),
    ]

    /// The firm's cluster, which the ledger does not record: the cluster of the category holding most of its stock
    /// by reference value (by count when nothing is priced), ties to the category declared first. Nil without
    /// stock.
    static func cluster(of stock: [StockValue]) -> String? {
        let priced = stock.contains { $0.value > 0 }
        let weights = PieceCategory.allCases.map { category in
            stock.filter { $0.category == category }.reduce(0.0) { $0 + (priced ? $1.value : 1) }
        }
        guard let top = weights.indices.max(by: { (weights[$0], $1) < (weights[$1], $0) }), weights[top] > 0 else {
            return nil
        }
        let category = PieceCategory.allCases[top]
        return clusters.first { $0.categories.contains(category) }?.name
    }

    struct Row {
        var firm: Member
        var assessment: CreditAssessment
        var evidence: CreditEvidence
        /// The score now less the score with every feature window ending `trendDays` earlier.
        var trend: Double
        var cluster: String?

        /// The largest limit offered, ties to the product named first.
        var best: CreditOffer? {
            assessment.decisions.compactMap(\.offer).max {
                ($0.limit.amount, $1.product) < ($1.limit.amount, $0.product)
            }
        }
    }

    struct Data {
        var lender: Member
        var height: UInt64
        var model: RegisteredModel
        var rows: [Row]
    }

    static func render(_ data: Data) -> HTML {
        guard !data.rows.isEmpty else {
            return "<p>No firm has granted \(data.lender.name) consent to read its credit yet.</p>"
        }
        let grades = Set(data.rows.map(\.assessment.grade)).sorted()
        let products = Set(data.rows.compactMap { $0.best?.product }).sorted()
        let clusters = Set(data.rows.compactMap(\.cluster)).sorted()
        return """
            <p>Firms that granted \(data.lender.name) consent, scored with model \
            <code>\(data.model.name.description)</code> at ledger height \(data.height).</p>
            <div class="filters"><label>Grade <select id="filter-grade"><option value="">all</option>\
            \(options(grades))</select></label><label>Product <select id="filter-product">\
            <option value="">all</option>\(options(products))</select></label><label>Cluster \
            <select id="filter-cluster"><option value="">all</option>\(options(clusters))</select></label></div>
            <div class="table"><table id="applicants"><thead><tr>\
            \(header("name", "Firm", numeric: false))\(header("score", "Score", numeric: true))\
            \(header("trend", "Trend", numeric: true))\(header("cluster", "Cluster", numeric: false))\
            \(header("grade", "Grade", numeric: false))\(header("pd", "PD", numeric: true))\
            \(header("limit", "Best limit", numeric: true))\(header("product", "Product", numeric: false))\
            \(header("revenue", "Revenue 12m", numeric: true))<th>Warnings</th></tr></thead>
            <tbody>\(data.rows.map(row))</tbody></table></div>
            <p><small>Trend: the score now less the score with every feature window ending \(trendDays) days \
            earlier; open receivables, payables, stock and loans are as they are now, and the earlier twelve-month \
            window lacks its oldest month, which the index no longer keeps. Cluster: the ledger records none, so it \
            is derived from the trading cluster of the stock category holding most of the firm's stock by reference \
            value, or by count where nothing is priced (gold: Shuibei; diamonds: Panyu; jadeite: Pingzhou; crystal \
            and other: Donghai).</small></p>
            <script>\(script)</script>
            """
    }

    private static func options(_ values: [String]) -> [HTML] {
        values.map { "<option value=\"\($0)\">\($0)</option>" }
    }

    private static func header(_ key: String, _ title: String, numeric: Bool) -> HTML {
        let numericClass: HTML = numeric ? " class=\"num\"" : ""
        let numericFlag: HTML = numeric ? " data-numeric" : ""
        return """
            <th\(numericClass) aria-sort="none"><button type="button" data-sort="\(key)"\(numericFlag)>\
            \(title)</button></th>
            """
    }

    private static func row(_ row: Row) -> HTML {
        let assessment = row.assessment
        let currency = row.evidence.currency
        let best = row.best
        let limit = best?.limit.amount ?? 0
        let revenue = assessment.inputs.revenue12m
        let warnings = row.evidence.features.warnings
        return """
            <tr data-firm="\(row.firm.id.hex)" data-name="\(row.firm.name)" \
            data-score="\(DashboardFormat.coordinate(assessment.score))" data-grade="\(assessment.grade)" \
            data-pd="\(String(assessment.pd))" data-limit="\(limit)" data-product="\(best?.product ?? "")" \
            data-revenue="\(revenue)" data-trend="\(String(row.trend))" \
            data-cluster="\(row.cluster ?? "")">\
            <td><a href="/dash/firms/\(row.firm.id.hex)">\(row.firm.name)</a></td>\
            <td class="num">\(DashboardFormat.number(assessment.score))</td><td class="num">\(trendText(row.trend))</td>\
            <td>\(row.cluster ?? "—")</td><td>\(assessment.grade)</td>\
            <td class="num">\(DashboardFormat.percent(assessment.pd))</td>\
            <td class="num">\(best == nil ? "none offered" : DashboardFormat.money(limit, currency))</td>\
            <td>\(best?.product ?? "—")</td><td class="num">\(DashboardFormat.money(revenue, currency))</td>\
            <td>\(warnings.isEmpty ? "—" : warnings.map(\.code).joined(separator: ", "))</td></tr>
            """
    }

    /// `▲ 12.3` for a rise, `▼ 4.0` for a fall, `= 0.0` when it did not move at one decimal.
    static func trendText(_ points: Double) -> String {
        let shown = DashboardFormat.number(abs(points), digits: 1)
        if shown == "0.0" { return "= 0.0" }
        return (points > 0 ? "▲ " : "▼ ") + shown
    }

    /// Sorting by a header's `data-sort` key (again to reverse), and filtering by grade, product and cluster:
    /// `Resources/applicants.js`, inline in the page.
    static let script = HTML(raw: String(decoding: PackageResources.applicants_js, as: UTF8.self))
}
