import FacetAPI
import FacetCore
import FacetCredit
import FacetHTML
import FacetLedger
import FacetNode
import FacetScorecard
import Synchronization

/// The validation report of the model decisions are made with, measured on the ledger's own closed loans (each the
/// borrower's features when the loan opened, bad when declared in default): AUC, Gini, KS, Brier and score PSI, the
/// ROC curve, the score distributions of goods and bads, calibration by grade, and the information value of every
/// feature with its bins. The charts are drawn from the report's figures with `SVGChart`, like the rest of the
/// dashboard (axes with units, told apart without colour), rather than taken from `ValidationReport.html()`, whose
/// page-sized charts tell goods from bads by colour alone.
enum ModelPage {
    struct Data: Sendable {
        var registration: RegisteredModel
        var report: ValidationReport
        /// The credit index's height the loans were read at.
        var height: UInt64
        /// Loans repaid after their due date (good, but late).
        var repaidLate: Int
    }

    /// Reports by (model, index height): a reload at the same height answers without scoring the book again. Holds
    /// at most `capacity` reports; past it the one computed longest ago goes.
    final class Cache: Sendable {
        static let capacity = 8

        struct Key: Hashable {
            var model: Hash256
            var height: UInt64
        }

        private let entries = Mutex<[(key: Key, data: Data)]>([])

        func data(_ key: Key) -> Data? {
            entries.withLock { entries in entries.first { $0.key == key }?.data }
        }

        func store(_ data: Data, for key: Key) {
            entries.withLock { entries in
                entries.removeAll { $0.key == key }
                if entries.count >= Self.capacity { entries.removeFirst(entries.count - Self.capacity + 1) }
                entries.append((key, data))
            }
        }
    }

    /// The closed loans as a scorecard book: each loan's features, and 1 for a default. The same book
    /// `facet credit validate --from-ledger` measures.
    static func dataset(_ rows: [TrainingRow]) -> Dataset {
        Dataset(inferringFeaturesOf: rows.map(\.features), targets: rows.map { $0.bad ? 1 : 0 })
    }

    static func render(_ data: Data) -> HTML {
        let report = data.report
        let badShare = report.rows == 0 ? 0 : Double(report.bads) / Double(report.rows)
        return """
            <p>Model <code>\(data.registration.name.description)</code> \
            (<span class="mono" title="\(data.registration.hash.hex)">\
            \(String(data.registration.hash.hex.prefix(16)))…</span>), registered \
            \(DashboardFormat.dateTime(data.registration.registeredAt)), measured on the \
            \(report.rows) loans closed on the ledger by height \(data.height): \(report.bads) declared in default \
            (\(DashboardFormat.percent(badShare))), \(data.repaidLate) repaid late (counted good).</p>
            <div class="figures">\
            \(figure("AUC", report.auc, id: "auc"))\(figure("Gini", report.gini, id: "gini"))\
            \(figure("KS", report.ks, id: "ks"))\(figure("Brier", report.brier, id: "brier"))\
            \(figure("Score PSI", report.scorePSI, id: "psi"))\
            </div>
            <h2>ROC</h2>\(roc(report))
            <h2>Score distributions</h2>\(distributions(report))
            <h2>Calibration by grade</h2>\(calibration(report))
            <h2>Information value by feature</h2>\(features(report))
            """
    }

    /// A figure with four decimals, as `facet credit validate` prints it.
    static func figureText(_ value: Double) -> String { DashboardFormat.number(value, digits: 4) }

    private static func figure(_ label: String, _ value: Double, id: String) -> HTML {
        "<div class=\"figure\" id=\"figure-\(id)\">\(label)<b>\(figureText(value))</b></div>"
    }

    private static let shareAxis = (0.0)...1.0

    private static func roc(_ report: ValidationReport) -> HTML {
        let points = report.roc.compactMap { pair in pair.count == 2 ? (x: pair[0], y: pair[1]) : nil }
        return """
            \(SVGChart.lines(
                id: "roc", title: "ROC curve (AUC \(figureText(report.auc)))",
                lines: [
                    SVGChart.Line(name: "model", points: points, stroke: .solid, area: true),
                    SVGChart.Line(name: "chance", points: [(0, 0), (1, 1)], stroke: .dashed),
                ],
                x: SVGChart.Axis(label: "Share of goods ranked below the cut", unit: "share", range: shareAxis),
                y: SVGChart.Axis(label: "Share of bads", unit: "share", range: shareAxis)))
            <p><small>Loans ranked by score from the lowest; a curve far above the diagonal separates defaults from \
            repaid loans well.</small></p>
            """
    }

    private static func distributions(_ report: ValidationReport) -> HTML {
        let edges = report.histogramEdges
        let count = min(report.histogramGoods.count, report.histogramBads.count, max(edges.count - 1, 0))
        guard count > 0, let low = edges.first, let high = edges.last else { return "<p>No scores.</p>" }
        let goods = max(1, report.histogramGoods.reduce(0, +))
        let bads = max(1, report.histogramBads.reduce(0, +))
        func line(_ counts: [Int], total: Int, name: String, stroke: SVGChart.Stroke) -> SVGChart.Line {
            let points = (0..<count).map { index in
                (x: (edges[index] + edges[index + 1]) / 2, y: Double(counts[index]) / Double(total))
            }
            return SVGChart.Line(name: name, points: points, stroke: stroke)
        }
        let lines = [
            line(report.histogramGoods, total: goods, name: "repaid", stroke: .solid),
            line(report.histogramBads, total: bads, name: "defaulted", stroke: .dashed),
        ]
        let top = SVGChart.niceTicks(upTo: lines.flatMap(\.points).map(\.y).max() ?? 0).last ?? 1
        let range = low < high ? low...high : (low - 1)...(high + 1)
        return """
            \(SVGChart.lines(
                id: "scores", title: "Score distribution of repaid and defaulted loans", lines: lines,
                x: SVGChart.Axis(label: "Score", unit: "points", range: range),
                y: SVGChart.Axis(label: "Share of the group", unit: "share", range: 0...top), width: 640, height: 300))
            """
    }

    private static func calibration(_ report: ValidationReport) -> HTML {
        let used = report.calibration.filter { $0.rows > 0 }.sorted { $0.predictedPD < $1.predictedPD }
        let top = SVGChart.niceTicks(upTo: used.flatMap { [$0.predictedPD, $0.observedRate] }.max() ?? 0).last ?? 1
        let chart = SVGChart.lines(
            id: "calibration", title: "Predicted PD against the observed default rate, by grade",
            lines: [
                SVGChart.Line(
                    name: "grades", points: used.map { (x: $0.predictedPD, y: $0.observedRate) }, stroke: .solid),
                SVGChart.Line(name: "perfect", points: [(0, 0), (top, top)], stroke: .dotted),
            ],
            x: SVGChart.Axis(label: "Predicted PD", unit: "share", range: 0...top),
            y: SVGChart.Axis(label: "Observed default rate", unit: "share", range: 0...top))
        let rows = report.calibration.map { band in
            HTML(
                """
                <tr data-grade="\(band.name)"><td>\(band.name)</td><td class="num">\(band.rows)</td>\
                <td class="num">\(band.bads)</td><td class="num">\(DashboardFormat.percent(band.predictedPD))</td>\
                <td class="num">\(band.rows == 0 ? "—" : DashboardFormat.percent(band.observedRate))</td></tr>
                """)
        }
        return """
            \(chart)<div class="table"><table id="calibration-table"><thead><tr><th>Grade</th>\
            <th class="num">Loans</th><th class="num">Defaults</th><th class="num">Predicted PD</th>\
            <th class="num">Observed</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    private static func features(_ report: ValidationReport) -> HTML {
        let bars = report.features.map { feature in
            SVGChart.Bar(key: feature.name, label: feature.name, values: [feature.iv])
        }
        let chart = SVGChart.stackedBars(
            id: "iv", title: "Information value of each feature on the ledger's loans", bars: bars,
            series: [SVGChart.Series(name: "IV on the ledger", texture: .solid)], unit: "IV", keyAttribute: "feature")
        let rows = report.features.map { feature in
            HTML(
                """
                <tr data-feature="\(feature.name)"><td>\(feature.name)</td>\
                <td class="num">\(figureText(feature.trainingIV))</td><td class="num">\(figureText(feature.iv))</td>\
                <td class="num">\(figureText(feature.psi))</td></tr>
                """)
        }
        let bins = report.features.map { feature in
            let cells = feature.bins.map { bin in
                HTML(
                    """
                    <tr><td>\(bin.label)</td><td class="num">\(bin.goods)</td><td class="num">\(bin.bads)</td>\
                    <td class="num">\(DashboardFormat.percent(bin.share))</td>\
                    <td class="num">\(DashboardFormat.percent(bin.trainingShare))</td>\
                    <td class="num">\(DashboardFormat.number(bin.woe, digits: 3))</td>\
                    <td class="num">\(DashboardFormat.number(bin.points, digits: 1))</td></tr>
                    """)
            }
            return HTML(
                """
                <details><summary>Bins of \(feature.name)</summary><div class="table"><table><thead><tr>\
                <th>Bin</th><th class="num">Repaid</th><th class="num">Defaulted</th><th class="num">Share</th>\
                <th class="num">Share at training</th><th class="num">WoE</th><th class="num">Points</th></tr>\
                </thead><tbody>\(cells)</tbody></table></div></details>
                """)
        }
        return """
            \(chart)<p><small>Below 0.02 a feature barely separates defaults here; the table compares each IV with \
            the one the model was trained on, and PSI says how far the loans' bins drifted from training.</small></p>\
            <div class="table"><table id="features"><thead><tr><th>Feature</th><th class="num">IV at training</th>\
            <th class="num">IV on the ledger</th><th class="num">PSI</th></tr></thead><tbody>\(rows)</tbody>\
            </table></div>\(bins)
            """
    }
}
