import FacetCore
import FacetCredit
import FacetLedger

/// A lender's applicants: one row per firm that granted it consent, with the score, grade and PD, the best limit
/// its policy offers and for which product, verified revenue over twelve months and the warnings. Rows carry their
/// figures in `data-` attributes, so a few lines of inline script sort and filter them without a build step; with
/// scripts off, the table reads as it is.
enum ApplicantsPage {
    struct Row {
        var firm: Member
        var assessment: CreditAssessment
        var evidence: CreditEvidence

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
        return """
            <p>Firms that granted \(data.lender.name) consent, scored with model \
            <code>\(data.model.name.description)</code> at ledger height \(data.height).</p>
            <div class="filters"><label>Grade <select id="filter-grade"><option value="">all</option>\
            \(options(grades))</select></label><label>Product <select id="filter-product">\
            <option value="">all</option>\(options(products))</select></label></div>
            <div class="table"><table id="applicants"><thead><tr>\
            \(header("name", "Firm", numeric: false))\(header("score", "Score", numeric: true))\
            \(header("grade", "Grade", numeric: false))\(header("pd", "PD", numeric: true))\
            \(header("limit", "Best limit", numeric: true))\(header("product", "Product", numeric: false))\
            \(header("revenue", "Revenue 12m", numeric: true))<th>Warnings</th></tr></thead>
            <tbody>\(data.rows.map(row))</tbody></table></div>
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
            data-revenue="\(revenue)">\
            <td><a href="/dash/firms/\(row.firm.id.hex)">\(row.firm.name)</a></td>\
            <td class="num">\(DashboardFormat.number(assessment.score))</td><td>\(assessment.grade)</td>\
            <td class="num">\(DashboardFormat.percent(assessment.pd))</td>\
            <td class="num">\(best == nil ? "none offered" : DashboardFormat.money(limit, currency))</td>\
            <td>\(best?.product ?? "—")</td><td class="num">\(DashboardFormat.money(revenue, currency))</td>\
            <td>\(warnings.isEmpty ? "—" : warnings.map(\.code).joined(separator: ", "))</td></tr>
            """
    }

    /// Sorting by a header's `data-sort` key (again to reverse), and filtering by grade and product.
    static let script: HTML = """
        (function(){var t=document.getElementById('applicants');if(!t)return;var b=t.tBodies[0];\
        var g=document.getElementById('filter-grade'),p=document.getElementById('filter-product');\
        function f(){for(var r of b.rows){var ok=(!g.value||r.dataset.grade===g.value)&&\
        (!p.value||r.dataset.product===p.value);r.hidden=!ok;}}g.onchange=f;p.onchange=f;\
        t.querySelectorAll('th button').forEach(function(x){x.onclick=function(){var k=x.dataset.sort,\
        n=x.hasAttribute('data-numeric'),th=x.parentElement,up=th.getAttribute('aria-sort')!=='ascending';\
        t.querySelectorAll('th').forEach(function(h){h.setAttribute('aria-sort','none')});\
        th.setAttribute('aria-sort',up?'ascending':'descending');var rs=Array.from(b.rows);\
        rs.sort(function(a,c){var u=a.dataset[k],v=c.dataset[k];var d=n?(parseFloat(u)-parseFloat(v)):\
        u.localeCompare(v);return up?d:-d});rs.forEach(function(r){b.appendChild(r)})}})})();
        """
}
