import FacetScorecard
import FacetTestSupport
import Foundation
import Testing

/// `facet credit train | score | validate` on a lender's CSV book, as a lender runs them: a model file whose hash
/// holds, one score per row that matches the library's scoring of the same row, and a validation report as a
/// table, JSON and an HTML page with its charts.
@Suite struct CreditCLITests {
    /// A synthetic book: late payers and small firms default more; some revenue is missing.
    static func book(rows: Int) -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var lines = ["id,revenue,late_rate,cluster,defaulted"]
        let clusters = ["Panyu", "Shuibei", "Pingzhou", "Donghai"]
        for index in 0..<rows {
            let revenue = 50_000 + 2_000_000 * next() * next()
            let late = next()
            let cluster = clusters[Int(next() * 4) % 4]
            let z = -3 + 3 * late - 1.2 * (revenue / 1_000_000) + (cluster == "Pingzhou" ? 0.5 : 0)
            let bad = next() < 1 / (1 + exp(-z))
            let shown = next() < 0.05 ? "" : String(format: "%.2f", revenue)
            lines.append("\(index),\(shown),\(String(format: "%.4f", late)),\(cluster),\(bad ? "yes" : "no")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func trainScoreAndValidateABook() async throws {
        let folder = try TemporaryFolder()
        let csv = folder.path("book.csv")
        try Data(Self.book(rows: 1_200).utf8).write(to: URL(fileURLWithPath: csv))
        let model = folder.path("model.json")

        let trained = try await FacetProcess.run([
            "credit", "train", "--csv", csv, "--target", "defaulted", "--bad", "yes", "--exclude", "id", "--out", model,
        ])
        #expect(trained.status == 0, "\(trained.summary)")
        let loaded = try ScorecardModel.load(json: Array(Data(contentsOf: URL(fileURLWithPath: model))))
        #expect(trained.stdout.contains(try loaded.contentHash()))
        #expect(loaded.features.map(\.binning.name).contains("late_rate"))

        let scores = folder.path("scores.csv")
        let scored = try await FacetProcess.run(["credit", "score", "--model", model, "--csv", csv, "--out", scores])
        #expect(scored.status == 0, "\(scored.summary)")
        let lines = try String(contentsOfFile: scores, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(lines.first == "row,score,pd,grade,reason_1,reason_2,reason_3,reason_4")
        #expect(lines.count == 1_201)

        // The file's first score is the library's score of the book's first row, to the last bit.
        let table = try CSVTable.parse(Self.book(rows: 1_200))
        let dataset = try Dataset.fromCSV(table, target: "defaulted", bad: "yes", exclude: ["id"])
        let expected = loaded.score(dataset.rows[0])
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(String(first[1])) == expected.score)
        #expect(Double(String(first[2])) == expected.pd)

        let html = folder.path("report.html")
        let json = folder.path("report.json")
        let validated = try await FacetProcess.run([
            "credit", "validate", "--model", model, "--csv", csv, "--html", html, "--json", json,
        ])
        #expect(validated.status == 0, "\(validated.summary)")
        #expect(validated.stdout.contains("AUC") && validated.stdout.contains("calibration by grade"))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && !page.contains("<script"))
        let report = try JSONDecoder().decode(ValidationReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.auc > 0.6)
    }

    /// The demo's loans without a devnet: a small history of the seed files' consortium, trained with stepwise
    /// selection on 70 % and measured on the rest beside the oracle, then validated on the same holdout.
    @Test func trainAndValidateOnTheDemoHistoryWithStepwiseSelection() async throws {
        let folder = try TemporaryFolder()
        let seeds = folder.path("seeds")
        try FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: ContractFiles.root.appendingPathComponent("seeds/consortium.json"),
            to: URL(fileURLWithPath: seeds).appendingPathComponent("consortium.json"))
        let settings =
            #"{"start": "2024-01-01T00:00:00Z", "months": 10, "firms": 40, "#
            + #""defaultRatePermille": 300, "fraudSharePermille": 30, "seed": 7}"#
        try Data(settings.utf8).write(to: URL(fileURLWithPath: seeds).appendingPathComponent("settings.json"))
        let model = folder.path("model.json")
        let trained = try await FacetProcess.run(
            [
                "credit", "train", "--from-demo", "--seeds", seeds, "--holdout-percent", "30", "--stepwise",
                "--date", "2026-12-07", "--out", model,
            ], timeout: .seconds(600))
        #expect(trained.status == 0, "\(trained.summary)")
        #expect(trained.stderr.contains("the demo history: "), "\(trained.summary)")
        #expect(trained.stdout.contains("holdout rows "), "\(trained.summary)")
        #expect(trained.stdout.contains("oracle AUC "), "the ground truth comes with the demo: \(trained.summary)")
        #expect(trained.stdout.contains("dropped consented_lenders: not eligible"), "\(trained.summary)")
        let validated = try await FacetProcess.run(
            ["credit", "validate", "--from-demo", "--seeds", seeds, "--holdout-percent", "30", "--model", model],
            timeout: .seconds(600))
        #expect(validated.status == 0, "\(validated.summary)")
        #expect(validated.stdout.contains("oracle AUC "), "\(validated.summary)")
        let both = try await FacetProcess.run(["credit", "train", "--from-demo", "--from-ledger", "--out", model])
        #expect(both.status != 0 && both.stderr.contains("--from-ledger or --from-demo"), "\(both.summary)")
    }

    @Test func aTamperedModelIsRefusedWithItsCode() async throws {
        let folder = try TemporaryFolder()
        let csv = folder.path("book.csv")
        try Data(Self.book(rows: 600).utf8).write(to: URL(fileURLWithPath: csv))
        let model = folder.path("model.json")
        let trained = try await FacetProcess.run([
            "credit", "train", "--csv", csv, "--target", "defaulted", "--bad", "yes", "--exclude", "id", "--out", model,
        ])
        try #require(trained.status == 0, "\(trained.summary)")
        var text = try String(contentsOfFile: model, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"pdo\" : 20", with: "\"pdo\" : 21")
        text = text.replacingOccurrences(of: "\"pdo\":20", with: "\"pdo\":21")
        try Data(text.utf8).write(to: URL(fileURLWithPath: model))
        let scored = try await FacetProcess.run([
            "credit", "score", "--model", model, "--csv", csv, "--out", folder.path("scores.csv"),
        ])
        #expect(scored.status == 1, "\(scored.summary)")
        #expect(scored.stderr.contains("scorecard.model_hash_mismatch"), "\(scored.summary)")
    }

    /// A book as Excel exports it for much of Europe: byte-order mark, `;` delimiter, decimal commas, `N/A`, a blank
    /// outcome, an id column. Training skips and counts the blank outcome; scoring a book whose `late_rate` column
    /// was renamed is refused with the column's name (exit 1), unless mapped; the scores carry the id.
    @Test func aEuropeanExcelBookAndARenamedColumn() async throws {
        let folder = try TemporaryFolder()
        var lines = Self.book(rows: 800).split(separator: "\n").map { line in
            // Fields hold no `;` and numbers have at most one `.`: swap the delimiter and the decimal mark.
            line.replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: ".", with: ",")
        }
        lines[3] = lines[3].split(separator: ";", omittingEmptySubsequences: false).enumerated().map {
            $0.offset == 1 ? "N/A" : String($0.element)
        }.joined(separator: ";")
        lines[5] = lines[5].split(separator: ";", omittingEmptySubsequences: false).dropLast().joined(separator: ";")
            + ";"
        let csv = folder.path("book.csv")
        try Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: csv))
        let model = folder.path("model.json")
        let trained = try await FacetProcess.run([
            "credit", "train", "--csv", csv, "--target", "defaulted", "--bad", "yes", "--id", "id", "--decimal-comma",
            "--out", model,
        ])
        #expect(trained.status == 0, "\(trained.summary)")
        #expect(trained.stderr.contains("skipped 1 rows whose target is blank or unknown"), "\(trained.summary)")
        let loaded = try ScorecardModel.load(json: Array(Data(contentsOf: URL(fileURLWithPath: model))))
        try #require(loaded.features.map(\.name).contains("late_rate"))
        #expect(loaded.features.first { $0.name == "revenue" }?.binning.kind != .categorical)

        let renamed = folder.path("renamed.csv")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
            .replacingOccurrences(of: "late_rate", with: "LateRate")
        try Data(text.utf8).write(to: URL(fileURLWithPath: renamed))
        let scores = folder.path("scores.csv")
        let refused = try await FacetProcess.run([
            "credit", "score", "--model", model, "--csv", renamed, "--decimal-comma", "--out", scores,
        ])
        #expect(refused.status == 1, "\(refused.summary)")
        #expect(refused.stderr.contains("scorecard.column_missing") && refused.stderr.contains("'late_rate'"))
        let mapped = try await FacetProcess.run([
            "credit", "score", "--model", model, "--csv", renamed, "--decimal-comma", "--id", "id", "--column",
            "late_rate=LateRate", "--out", scores,
        ])
        #expect(mapped.status == 0, "\(mapped.summary)")
        let out = try String(contentsOfFile: scores, encoding: .utf8).split(whereSeparator: \.isNewline)
        #expect(out.first?.hasPrefix("row,id,score,pd,grade") == true)
        #expect(out.dropFirst().first?.hasPrefix("1,0,") == true)
    }
}
