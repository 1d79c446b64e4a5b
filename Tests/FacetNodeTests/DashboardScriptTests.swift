import FacetCore
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@testable import FacetDashboard

/// The dashboard's scripts and stylesheet are files (`Sources/FacetDashboard/Resources`) compiled into the
/// binary; `verify.js` reads its tables from the Swift ones, and passes its own tests under node.
@Suite struct DashboardScriptTests {
    static let resources = ContractFiles.root.appendingPathComponent("Sources/FacetDashboard/Resources")

    static func resource(_ name: String) throws -> String {
        try String(contentsOf: resources.appendingPathComponent(name), encoding: .utf8)
    }

    /// What the binary serves is the files as they are in the source tree (the build embeds them, nothing else).
    @Test func theServedScriptsAndStylesheetAreTheResourceFiles() throws {
        let css = try Self.resource("dashboard.css")
        let applicants = try Self.resource("applicants.js")
        let verify = try Self.resource("verify.js")
        #expect(DashboardLayout.css.raw == css)
        #expect(ApplicantsPage.script.raw == applicants)
        #expect(ProofPage.script == ProofPage.tables + verify)
        #expect(DashboardLayout.page(title: "T", viewer: nil, body: "<p>x</p>").raw.contains("<style>\(css)</style>"))
    }

    /// `FACET_TABLES`, before verify.js, is JSON of the Swift tables: every transaction kind by its tag, the roles
    /// in bit order, the limits and the signature purposes verify.js checks.
    @Test func verifyJSTablesAreTheSwiftTables() throws {
        let prefix = "const FACET_TABLES = "
        let line = try #require(ProofPage.script.split(separator: "\n", maxSplits: 1).first)
        #expect(line.hasPrefix(prefix) && line.hasSuffix(";"), "\(line.prefix(80))")
        let json = Data(line.dropFirst(prefix.count).dropLast().utf8)
        let tables = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let kinds = try #require(tables["kinds"] as? [String: String])
        #expect(kinds.count == TransactionKindName.names.count)
        for (tag, name) in TransactionKindName.names { #expect(kinds[String(tag)] == name, "kind \(tag)") }
        let roles = try #require(tables["roles"] as? [String])
        #expect(roles.count == Roles.named.count)
        for (bit, name) in roles.enumerated() {
            #expect(Roles(names: [name])?.rawValue == 1 << bit, "role \(name) is bit \(bit)")
        }
        let limits = try #require(tables["limits"] as? [String: Int64])
        #expect(limits["maxTransactionBytes"] == Int64(Limits.maxTransactionBytes))
        #expect(limits["maxLabelBytes"] == Int64(Limits.maxLabelBytes))
        #expect(limits["maxValidators"] == Int64(Limits.maxValidators))
        #expect(limits["maxProofLength"] == Int64(MerkleTree.maxProofLength))
        #expect(limits["maxProofTransitions"] == Int64(Limits.maxProofTransitions))
        #expect(limits["maxTimestampMillis"] == Limits.maxTimestampMillis)
        let purposes = try #require(tables["purposes"] as? [String: Int])
        #expect(purposes["transaction"] == Int(SignaturePurpose.transaction.rawValue))
        #expect(purposes["precommit"] == Int(SignaturePurpose.precommit.rawValue))
    }

    /// `node`, or `nodejs`, on PATH; nil when there is none.
    static var node: String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["node", "nodejs"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }

    static var skipsNode: Bool { node == nil && ProcessInfo.processInfo.environment["FACET_SKIP_NODE"] == "1" }

    /// `Tests/js/verify.test.mjs` under node, on the script as served: every bundle of contracts/vectors verifies,
    /// and each tampered copy fails with its code at its step (its output is printed when it does not pass).
    @Test(.enabled(if: !skipsNode, "no node on PATH and FACET_SKIP_NODE=1: verify.js's node test is skipped"))
    func verifyJSPassesItsNodeTestOnEveryVectorBundle() throws {
        let node = try #require(
            Self.node, "no node on PATH: install Debian's nodejs (ops/test does), or set FACET_SKIP_NODE=1 to skip")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facet-verify-js-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("verify.js")
        try Data(ProofPage.script.utf8).write(to: script)
        let log = folder.appendingPathComponent("output.txt")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [
            ContractFiles.root.appendingPathComponent("Tests/js/verify.test.mjs").path, script.path,
            ContractFiles.url("vectors").path,
        ]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok   bundle.json verifies"), "\(text)")
        let summary = text.split(separator: "\n").last.map(String.init) ?? ""
        let checks = Int(summary.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(summary.hasPrefix("PASS ") && checks >= 25, "\(summary)")
    }
}
