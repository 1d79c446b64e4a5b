import FacetHTML
@testable import FacetScorecard
import Foundation
import Testing

/// The validation report a credit committee reads: gains by decile, dropped features with reasons, bad rates per
/// bin, rounded cut points and whole points.
@Suite struct ReportTests {
    @Test func gainsByDecileKnownAnswer() {
        // Twenty rows, scores 1…20; the four lowest are bad, and one more at score 15.
        let scores = (1...20).map(Double.init)
        let bads: [UInt8] = (1...20).map { $0 <= 4 || $0 == 15 ? 1 : 0 }
        let gains = GainsRow.deciles(scores: scores, bads: bads)
        #expect(gains.count == 10)
        #expect(gains.map(\.rows) == Array(repeating: 2, count: 10))
        #expect(gains.map(\.bads) == [2, 2, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(gains[1].cumulativeBadRate == 1)
        #expect(gains[1].cumulativeBadShare == 0.8)
        #expect(gains[2].cumulativeBadRate == 4.0 / 6)
        #expect(gains[0].lowestScore == 1 && gains[0].highestScore == 2)
        #expect(abs(gains[1].ks - 0.8) < 1e-12)
        #expect(abs(gains.map(\.ks).max()! - Discrimination.ks(scores: scores, bads: bads)) < 1e-12)
        #expect(gains.last?.cumulativeBadShare == 1 && gains.last?.cumulativeGoodShare == 1)
    }

    @Test func cutPointsAreRoundedButKeptApart() {
        let binning = FeatureBinning(
            name: "buyer_hhi", kind: .numeric,
            bins: [
                ScorecardBin(kind: .range, label: "", upper: 0.1645560585757393),
                ScorecardBin(kind: .range, label: "", lower: 0.1645560585757393, upper: 0.32045233723041144),
                ScorecardBin(kind: .range, label: "", lower: 0.32045233723041144),
                ScorecardBin(kind: .missing, label: "missing"),
            ], iv: 0, direction: "ascending")
        #expect(CutLabels.labels(binning) == ["< 0.165", "[0.165, 0.32)", ">= 0.32", "missing"])
        let close = FeatureBinning(
            name: "x", kind: .numeric,
            bins: [
                ScorecardBin(kind: .range, label: "", upper: 1_234.4),
                ScorecardBin(kind: .range, label: "", lower: 1_234.4, upper: 1_234.9),
                ScorecardBin(kind: .range, label: "", lower: 1_234.9), ScorecardBin(kind: .missing, label: "missing"),
            ], iv: 0, direction: "ascending")
        #expect(CutLabels.labels(close) == ["< 1234", "[1234, 1235)", ">= 1235", "missing"])
        #expect(CutLabels.rounded(2_345_678, 3) == 2_350_000)
    }

    @Test func theReportShowsGainsDroppedFeaturesAndWholePoints() throws {
        var settings = SyntheticBook.settings
        settings.specification = ModelSpecification(features: [
            .init(name: "income", direction: .higherIsSafer), .init(name: "dpd", direction: .higherIsRiskier),
            .init(name: "region", direction: nil),
        ])
        let model = try ScorecardTrainer(settings: settings).train(SyntheticBook.make(seed: 3))
        let report = try model.validate(SyntheticBook.make(seed: 9))
        #expect(report.gains.count == 10)
        #expect(report.dropped.contains { $0.name == "noise" && $0.reason.contains("not eligible") })
        #expect(report.features.first { $0.name == "dpd" }?.direction == "higher is riskier")
        let text = report.text()
        #expect(text.contains("gains by score decile") && text.contains("cum. bad rate"))
        #expect(text.contains("dropped in training") && text.contains("noise"))
        #expect(text.contains("higher is safer"))
        let html = report.html()
        #expect(html.contains("Gains by score decile") && html.contains("Dropped in training"))
        // Points print whole: no bin row of the text ends in a decimal.
        let binLines = text.split(separator: "\n").filter { $0.hasPrefix("< ") || $0.hasPrefix(">= ") }
        #expect(!binLines.isEmpty)
        #expect(binLines.allSatisfy { line in !(line.split(separator: " ").last ?? "").contains(".") })
    }

    /// The HTML report escapes what it did not write with the dashboard's `HTML` (FacetHTML): names, labels and
    /// reasons, in tables, headings and the charts' titles.
    @Test func theHTMLReportEscapesNamesWithTheSharedRenderer() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 3))
        var report = try model.validate(SyntheticBook.make(seed: 9))
        let hostile = "<script>alert('x')</script> & \"q\""
        let band = try #require(report.calibration.firstIndex { $0.rows > 0 }, "the chart draws bands with rows")
        try #require(!report.features.isEmpty)
        report.features[0].name = hostile
        report.calibration[band].name = hostile
        let html = report.html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("<h3>\(HTML.escape(hostile))</h3>"))
        #expect(html.contains("<title>grade \(HTML.escape(hostile)): predicted"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
    }
}
