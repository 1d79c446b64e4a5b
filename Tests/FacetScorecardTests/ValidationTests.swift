import FacetScorecard
import Foundation
import Testing

@Suite struct ValidationTests {
    /// By hand: (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5 = 0.25·ln 3.
    @Test func populationStabilityIndex() {
        #expect(abs(ValidationReport.psi(expected: [0.5, 0.5], actual: [0.25, 0.75]) - 0.25 * log(3)) < 1e-12)
        #expect(ValidationReport.psi(expected: [0.2, 0.8], actual: [0.2, 0.8]) == 0)
    }

    @Test func trainingBookIsStableAgainstItself() throws {
        let data = SyntheticBook.make(seed: 1)
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(data)
        let report = try model.validate(data)
        #expect(abs(report.scorePSI) < 1e-12)
        #expect(report.features.allSatisfy { abs($0.psi) < 1e-12 })
        #expect(report.features.allSatisfy { abs($0.iv - $0.trainingIV) < 1e-12 })
        #expect(report.auc == model.training.auc)
        #expect(report.ks == model.training.ks)
    }

    @Test func reportOnANewBook() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 1))
        let holdout = SyntheticBook.make(seed: 6, rows: 1_000)
        let report = try model.validate(holdout)
        let scores = model.score(rows: holdout.rows)
        #expect(report.auc == Discrimination.auc(scores: scores.map(\.score), bads: holdout.targets))
        #expect(report.auc > 0.65)
        #expect(abs(report.gini - (2 * report.auc - 1)) < 1e-15)
        #expect(report.brier == Discrimination.brier(probabilities: scores.map(\.pd), bads: holdout.targets))
        #expect(report.calibration.reduce(0) { $0 + $1.rows } == 1_000)
        #expect(report.calibration.reduce(0) { $0 + $1.bads } == holdout.badCount)
        #expect(report.roc.first == [0, 0] && report.roc.last == [1, 1])
        let histogramRows: Int = report.histogramGoods.reduce(0, +) + report.histogramBads.reduce(0, +)
        #expect(histogramRows == 1_000)
        let text = report.text()
        #expect(text.contains("AUC") && text.contains("bins of income"))
        let html = report.html()
        #expect(html.contains("<svg") && html.contains("ROC") && html.contains("Calibration by grade"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href="))
        let decoded = try JSONDecoder().decode(ValidationReport.self, from: Data(try report.json()))
        #expect(decoded == report)
    }

    @Test func scoringACSVBook() throws {
        let model = try ScorecardTrainer(settings: SyntheticBook.settings).train(SyntheticBook.make(seed: 2))
        let csv = "id,income,dpd,region\n1,12.5,30,panyu\n2,,-999,\"rare,one\"\n3,forty,NA,shuibei\n"
        let table = try CSVTable.parse(csv)
        let rows = try model.rows(from: table, schema: BookSchema(absent: ["noise"])).rows
        #expect(rows[1]["dpd"] == .number(-999))
        #expect(rows[2]["income"] == .missing)
        #expect(rows[1]["region"] == .text("rare,one"))
        let results = model.score(rows: rows)
        let out = try CSVTable.parse(model.scoresCSV(results))
        #expect(out.header == ["row", "score", "pd", "grade", "reason_1", "reason_2", "reason_3", "reason_4"])
        #expect(out.records.count == 3)
        for (record, result) in zip(out.records, results) {
            #expect(Double(record[1]) == result.score)  // the printed score reads back bit for bit
            #expect(Double(record[2]) == result.pd)
            #expect(record[3] == result.grade)
        }
        // A validation book needs the target; the model remembers its column name.
        #expect(throws: ScorecardError.self) { try model.book(from: table, schema: BookSchema(absent: ["noise"])) }
    }
}
