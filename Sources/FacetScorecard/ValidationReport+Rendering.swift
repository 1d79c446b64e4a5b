import FacetHTML
import Foundation

extension ValidationReport {
    /// The report as plain-text tables for a terminal.
    public func text() -> String {
        var lines = [String]()
        lines.append("model \(modelHash)")
        lines.append("rows \(rows), bads \(bads) (\(fixed(rows == 0 ? 0 : 100 * Double(bads) / Double(rows), 2)) %)")
        lines.append(
            "AUC \(fixed(auc, 4))   Gini \(fixed(gini, 4))   KS \(fixed(ks, 4))   Brier \(fixed(brier, 4))   "
                + "score PSI \(fixed(scorePSI, 4))")
        lines.append("")
        lines.append("calibration by grade")
        lines.append(row(["grade", "rows", "bads", "predicted PD", "observed"], [8, 8, 8, 14, 10]))
        for band in calibration where band.rows > 0 {
            lines.append(
                row(
                    [band.name, "\(band.rows)", "\(band.bads)", percent(band.predictedPD), percent(band.observedRate)],
                    [8, 8, 8, 14, 10]))
        }
        lines.append("")
        lines.append("gains by score decile (riskiest first)")
        let gainsWidths = [8, 20, 8, 8, 10, 12, 12, 8]
        lines.append(
            row(["decile", "scores", "rows", "bads", "bad rate", "cum. bad rate", "cum. bads", "KS"], gainsWidths))
        for gain in gains {
            lines.append(
                row(
                    [
                        "\(gain.decile)", "\(fixed(gain.lowestScore, 0)) … \(fixed(gain.highestScore, 0))",
                        "\(gain.rows)", "\(gain.bads)", percent(gain.badRate), percent(gain.cumulativeBadRate),
                        percent(gain.cumulativeBadShare), fixed(gain.ks, 4),
                    ], gainsWidths))
        }
        lines.append("")
        lines.append("features")
        let featureWidths = [24, 18, 12, 10, 10, 10]
        lines.append(row(["feature", "declared", "shape", "train IV", "IV", "PSI"], featureWidths))
        for feature in features {
            lines.append(
                row(
                    [
                        feature.name, feature.direction ?? "-", feature.shape.isEmpty ? "-" : feature.shape,
                        fixed(feature.trainingIV, 4), fixed(feature.iv, 4), fixed(feature.psi, 4),
                    ], featureWidths))
        }
        if !dropped.isEmpty {
            lines.append("")
            lines.append("dropped in training")
            for feature in dropped {
                lines.append(row([feature.name, "IV \(fixed(feature.iv, 4))", feature.reason], [24, 12, 0]))
            }
        }
        for feature in features {
            lines.append("")
            lines.append("bins of \(feature.name)")
            lines.append(
                row(
                    ["bin", "goods", "bads", "bad rate", "share", "train share", "WoE", "points"],
                    [24, 8, 8, 10, 9, 12, 9, 8]))
            for bin in feature.bins {
                let count = bin.goods + bin.bads
                lines.append(
                    row(
                        [
                            bin.label, "\(bin.goods)", "\(bin.bads)",
                            count == 0 ? "-" : percent(Double(bin.bads) / Double(count)), percent(bin.share),
                            percent(bin.trainingShare), fixed(bin.woe, 3), fixed(bin.points, 0),
                        ], [24, 8, 8, 10, 9, 12, 9, 8]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON with sorted keys.
    public func json() throws(ScorecardError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw ScorecardError(.modelMalformed, "the report cannot be encoded: \(error)")
        }
    }

    /// A self-contained HTML page: the tables, the ROC curve, the score distributions of goods and bads, and the
    /// calibration chart, all as inline SVG (no script, no external asset).
    public func html() -> String {
        var page: HTML = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Scorecard validation</title>
            <style>\(Self.css)</style>
            </head><body>
            <h1>Scorecard validation</h1>
            <p>Model <code>\(modelHash)</code>: \(rows) rows, \(bads) bads.</p>
            <table><tr><th>AUC</th><th>Gini</th><th>KS</th><th>Brier</th><th>score PSI</th></tr>
            <tr><td>\(fixed(auc, 4))</td><td>\(fixed(gini, 4))</td><td>\(fixed(ks, 4))</td><td>\(fixed(brier, 4))</td>
            <td>\(fixed(scorePSI, 4))</td></tr></table>

            """
        page += rocChart() + distributionChart() + calibrationChart()
        page += "<h2>Calibration by grade</h2><table><tr><th>grade</th><th>rows</th><th>bads</th>"
        page += "<th>predicted PD</th><th>observed</th></tr>\n"
        for band in calibration {
            page += "<tr><td>\(band.name)</td><td>\(band.rows)</td><td>\(band.bads)</td>"
            page += "<td>\(percent(band.predictedPD))</td><td>\(percent(band.observedRate))</td></tr>\n"
        }
        page += "</table>\n<h2>Gains by score decile</h2><table><tr><th>decile</th><th>scores</th><th>rows</th>"
        page += "<th>bads</th><th>bad rate</th><th>cum. bad rate</th><th>cum. share of bads</th><th>KS</th></tr>\n"
        for gain in gains {
            page += "<tr><td>\(gain.decile)</td><td>\(fixed(gain.lowestScore, 0)) … \(fixed(gain.highestScore, 0))</td>"
            page += "<td>\(gain.rows)</td><td>\(gain.bads)</td><td>\(percent(gain.badRate))</td>"
            page += "<td>\(percent(gain.cumulativeBadRate))</td><td>\(percent(gain.cumulativeBadShare))</td>"
            page += "<td>\(fixed(gain.ks, 4))</td></tr>\n"
        }
        page += "</table>\n<h2>Features</h2><table><tr><th>feature</th><th>declared</th><th>shape</th>"
        page += "<th>train IV</th><th>IV</th><th>PSI</th></tr>\n"
        for feature in features {
            page += "<tr><td>\(feature.name)</td><td>\(feature.direction ?? "-")</td>"
            page += "<td>\(feature.shape.isEmpty ? "-" : feature.shape)</td>"
            page += "<td>\(fixed(feature.trainingIV, 4))</td>"
            page += "<td>\(fixed(feature.iv, 4))</td><td>\(fixed(feature.psi, 4))</td></tr>\n"
        }
        page += "</table>\n"
        if !dropped.isEmpty {
            page += "<h2>Dropped in training</h2><table><tr><th>feature</th><th>IV</th><th>reason</th></tr>\n"
            for feature in dropped {
                page += "<tr><td>\(feature.name)</td><td>\(fixed(feature.iv, 4))</td>"
                page += "<td>\(feature.reason)</td></tr>\n"
            }
            page += "</table>\n"
        }
        for feature in features {
            page += "<h3>\(feature.name)</h3><table><tr><th>bin</th><th>goods</th><th>bads</th>"
            page += "<th>bad rate</th><th>share</th><th>train share</th><th>WoE</th><th>points</th></tr>\n"
            for bin in feature.bins {
                let count = bin.goods + bin.bads
                page += "<tr><td>\(bin.label)</td><td>\(bin.goods)</td><td>\(bin.bads)</td>"
                page += "<td>\(count == 0 ? "-" : percent(Double(bin.bads) / Double(count)))</td>"
                page += "<td>\(percent(bin.share))</td><td>\(percent(bin.trainingShare))</td>"
                page += "<td>\(fixed(bin.woe, 3))</td><td>\(fixed(bin.points, 0))</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "</body></html>\n"
        return page.raw
    }

    /// The page's stylesheet, `Resources/report.css` compiled in, without the file's final newline.
    private static let css: HTML = {
        let text = String(decoding: PackageResources.report_css, as: UTF8.self)
        return HTML(raw: text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }()

    private static let size = 300.0
    private static let margin = 30.0

    private func frame(_ title: String, _ body: HTML) -> HTML {
        let full = Self.size + 2 * Self.margin
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(full))" height="\(Int(full))" \
            viewBox="0 0 \(Int(full)) \(Int(full))" role="img" aria-label="\(title)">
            <text x="\(Int(Self.margin))" y="18" font-size="13">\(title)</text>
            <rect x="\(Int(Self.margin))" y="\(Int(Self.margin))" width="\(Int(Self.size))" height="\(Int(Self.size))" \
            fill="none" stroke="#999"/>
            \(body)</svg>

            """
    }

    /// Maps (x, y) in [0, 1]² to the plot area, y up.
    private func point(_ x: Double, _ y: Double) -> String {
        "\(fixed(Self.margin + x * Self.size, 1)),\(fixed(Self.margin + (1 - y) * Self.size, 1))"
    }

    private func rocChart() -> HTML {
        let line = roc.map { point($0[0], $0[1]) }.joined(separator: " ")
        let body: HTML = """
            <polyline points="\(point(0, 0)) \(point(1, 1))" fill="none" stroke="#bbb" stroke-dasharray="4"/>
            <polyline points="\(line)" fill="none" stroke="#1f5fa8" stroke-width="2"/>
            <text x="\(Int(Self.margin))" y="\(Int(2 * Self.margin + Self.size - 8))" font-size="11">share of goods → \
            (y: share of bads)</text>

            """
        return frame("ROC (AUC \(fixed(auc, 3)))", body)
    }

    private func distributionChart() -> HTML {
        let bins = histogramGoods.count
        guard bins > 0 else { return frame("Score distribution", "") }
        let goodTotal = max(1, histogramGoods.reduce(0, +))
        let badTotal = max(1, histogramBads.reduce(0, +))
        let goodShares = histogramGoods.map { Double($0) / Double(goodTotal) }
        let badShares = histogramBads.map { Double($0) / Double(badTotal) }
        let top = max(goodShares.max() ?? 0, badShares.max() ?? 0, 1e-9)
        var body = HTML.empty
        let width = 1.0 / Double(bins)
        for index in 0..<bins {
            let x = Double(index) * width
            for (share, color, offset) in [(goodShares[index], "#2e8b57", 0.0), (badShares[index], "#c0392b", 0.5)] {
                let height = share / top
                body += "<rect x=\"\(fixed(Self.margin + (x + offset * width) * Self.size, 1))\" "
                body += "y=\"\(fixed(Self.margin + (1 - height) * Self.size, 1))\" "
                body += "width=\"\(fixed(width * 0.5 * Self.size, 1))\" height=\"\(fixed(height * Self.size, 1))\" "
                body += "fill=\"\(color)\" fill-opacity=\"0.8\"/>\n"
            }
        }
        let low = histogramEdges.first ?? 0
        let high = histogramEdges.last ?? 0
        body += "<text x=\"\(Int(Self.margin))\" y=\"\(Int(2 * Self.margin + Self.size - 8))\" font-size=\"11\">"
        body += "score \(fixed(low, 0)) … \(fixed(high, 0)); green goods, red bads</text>\n"
        return frame("Score distribution", body)
    }

    private func calibrationChart() -> HTML {
        let used = calibration.filter { $0.rows > 0 }
        let top = max(used.map(\.predictedPD).max() ?? 0, used.map(\.observedRate).max() ?? 0, 1e-9)
        var body: HTML =
            "<polyline points=\"\(point(0, 0)) \(point(1, 1))\" fill=\"none\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>\n"
        for band in used {
            body += "<circle cx=\"\(fixed(Self.margin + band.predictedPD / top * Self.size, 1))\" "
            body +=
                "cy=\"\(fixed(Self.margin + (1 - band.observedRate / top) * Self.size, 1))\" r=\"4\" fill=\"#1f5fa8\">"
            body += "<title>grade \(band.name): predicted \(percent(band.predictedPD)), observed "
            body += "\(percent(band.observedRate)), \(band.rows) rows</title></circle>\n"
        }
        body += "<text x=\"\(Int(Self.margin))\" y=\"\(Int(2 * Self.margin + Self.size - 8))\" font-size=\"11\">"
        body += "predicted PD → (y: observed), both up to \(percent(top))</text>\n"
        return frame("Calibration by grade", body)
    }
}

private func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
        cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
    }.joined()
}

/// `value` with `decimals` digits after the point, rounded half away from zero; deterministic and locale-free.
func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 1e15 else { return "\(value)" }
    let integer = Int64(scaled)
    let divisor = Int64(scale)
    let whole = integer / divisor
    let fraction = integer % divisor
    let sign = value < 0 && integer != 0 ? "-" : ""
    guard decimals > 0 else { return "\(sign)\(whole)" }
    let digits = String(fraction)
    return "\(sign)\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
}

func percent(_ value: Double) -> String { fixed(value * 100, 2) + " %" }
