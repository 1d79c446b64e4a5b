import FacetCore
import FacetLedger
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The proof page's verifier (`/dash/verify.js`) running in headless Chromium: on the page of a transaction a
/// one-validator node accepted (the built `facet` binary, signed in by `facet dashboard signin-link`), and, through a
/// small harness page that loads the script from the node, on the golden vector crossing a validator-set change
/// and on copies of it with one signature byte flipped. Skipped without Chromium (`FACET_CHROMIUM`, or `chromium`
/// on PATH; `ops/test` installs it) or with `FACET_SKIP_BROWSER=1`.
@Suite(.serialized) struct DashboardProofBrowserTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("contracts/vectors")

    /// The proof steps, in the order the page lists them.
    static let steps = ["parse", "chain", "validators", "certificate", "signature", "inclusion"]

    @Test(
        .enabled(
            if: HeadlessChromium.installed != nil,
            "no Chromium: set FACET_CHROMIUM or install Debian's chromium (ops/test does); FACET_SKIP_BROWSER=1 skips"),
        .enabled(if: FacetProcess.nodeCommandAvailable, "`facet node` does not exist in this build"),
        .timeLimit(.minutes(5)))
    func theVerifierChecksARealProofAndTheGoldenVectorInChromium() async throws {
        let chromium = try #require(HeadlessChromium.installed)
        let folder = try TemporaryFolder()
        let genesisFile = folder.path("genesis.json")
        for name in ["validator", "firm-a"] {
            let result = try await FacetProcess.run(["keys", "new", "--out", folder.path("\(name).key")])
            try #require(result.status == 0, "keys new: \(result.summary)")
        }
        let created = try await FacetProcess.run([
            "genesis", "new", "--chain-id", "facet-proof", "--out", genesisFile,
            "--member", "Shenzhen Exchange:validator,admin:\(folder.path("validator.key"))",
            "--member", "Panyu Diamonds:firm:\(folder.path("firm-a.key"))",
        ])
        try #require(created.status == 0, "genesis new: \(created.summary)")
        let port = try FacetProcess.freePort()
        let data = folder.path("node")
        let initialized = try await FacetProcess.run([
            "node", "init", "--data", data, "--genesis", genesisFile, "--key", folder.path("validator.key"),
            "--listen", "127.0.0.1:\(port)",
        ])
        try #require(initialized.status == 0, "node init: \(initialized.summary)")
        let node = try FacetProcess(["node", "start", "--config", "\(data)/node.json"])
        let url = "http://127.0.0.1:\(port)"
        do {
            try await EndToEndTests.waitUntilReady(node, url: url)
            let genesis = try Genesis(json: Data(contentsOf: URL(fileURLWithPath: genesisFile)))
            try await Self.checkAcceptedTransaction(chromium, node: url, folder: folder, genesisHash: genesis.hash)
            try await Self.checkGoldenVector(chromium, node: url, folder: folder)
        } catch {
            Issue.record(error)
        }
        node.signal(SIGTERM)
        let stopped = try await node.wait(timeout: .seconds(60))
        #expect(stopped.status == 0, "\(stopped.summary.suffix(2_000))")
    }

    /// (a) The page of a transaction the node committed verifies, every step passing, from the node's genesis.
    static func checkAcceptedTransaction(
        _ chromium: String, node: String, folder: TemporaryFolder, genesisHash: Hash256
    ) async throws {
        let committed = try await FacetProcess.run([
            "tx", "register-piece", "--category", "gold", "--grams", "50", "--fineness", "999", "--node", node,
            "--key", folder.path("firm-a.key"), "--json",
        ])
        try #require(committed.status == 0, "register-piece: \(committed.summary)")
        let report = try JSONDecoder().decode(EndToEndTests.Report.self, from: Data(committed.stdout.utf8))
        let id = try #require(report.id)
        try #require(report.outcome == "committed", "\(committed.summary)")
        let path = "/dash/proof/\(id)"
        let link = try await FacetProcess.run([
            "dashboard", "signin-link", "--node", node, "--key", folder.path("firm-a.key"), "--next", path,
        ])
        try #require(link.status == 0, "\(link.summary)")
        let signIn = try #require(link.stdout.split(separator: "\n").last.map(String.init))

        let dom = try await dumpDOM(chromium, signIn)
        #expect(dom.contains("Signed in as <strong>Panyu Diamonds</strong>"), "the link signed the browser in")
        #expect(dom.contains("id=\"figure-kind\">Kind<b>register_piece</b>"), "the record")
        #expect(dom.contains("data-verdict=\"verified\""), "verified in the browser: \(section(dom, "<output"))")
        for step in steps {
            #expect(dom.contains("<li data-step=\"\(step)\" data-status=\"passed\">"), "step \(step) passed")
        }
        #expect(dom.contains("transaction \(id) (register_piece)"), "the verdict names the transaction")
        #expect(
            dom.contains("<code id=\"genesis-hash\">\(genesisHash.hex)</code>"),
            "the page shows the hash of the genesis it trusted: \(section(dom, "genesis-hash"))")
    }

    /// (b) The golden bundle verifies from its genesis; (c) one flipped byte of the transaction's signature fails at
    /// step 5, and of a precommit signature at step 4, with their codes.
    static func checkGoldenVector(_ chromium: String, node: String, folder: TemporaryFolder) async throws {
        let bundleText = try String(contentsOf: vectors.appendingPathComponent("bundle.json"), encoding: .utf8)
        let genesisText = try String(contentsOf: vectors.appendingPathComponent("bundle-genesis.json"), encoding: .utf8)
        var tamperedTransaction = try #require(
            try JSONSerialization.jsonObject(with: Data(bundleText.utf8)) as? [String: Any])
        var tamperedCertificate = tamperedTransaction
        let transaction = try #require(tamperedTransaction["transaction"] as? String)
        // The transaction's last byte is in its signature; byte 100 of the certificate in its first precommit's.
        tamperedTransaction["transaction"] = try flip(transaction, byte: transaction.count / 2 - 1)
        tamperedCertificate["certificate"] = try flip(
            try #require(tamperedCertificate["certificate"] as? String), byte: 100)
        let cases: [(String, String)] = [
            ("golden", bundleText),
            ("transactionSignature", try jsonText(tamperedTransaction)),
            ("precommitSignature", try jsonText(tamperedCertificate)),
        ]
        let results = try await runHarness(chromium, node: node, folder: folder, genesis: genesisText, cases: cases)

        let golden = try #require(results["golden"])
        #expect(golden["verified"] as? Bool == true, "the golden vector verifies: \(golden)")
        #expect(golden["transactionID"] as? String == expectedGoldenID(bundleText))
        #expect(golden["height"] as? String == "13")

        let signature = try #require(results["transactionSignature"])
        #expect(signature["verified"] as? Bool == false)
        #expect(signature["code"] as? String == "proof.signature", "\(signature)")
        #expect(signature["step"] as? String == "signature")
        #expect((signature["message"] as? String)?.contains("signature does not verify") == true)

        let precommit = try #require(results["precommitSignature"])
        #expect(precommit["verified"] as? Bool == false)
        #expect(precommit["code"] as? String == "proof.certificate", "\(precommit)")
        #expect(precommit["step"] as? String == "certificate")
        #expect((precommit["message"] as? String)?.contains("precommit signature of validator") == true)
    }

    /// The transaction id of the golden bundle: SHA-256 of its transaction bytes.
    static func expectedGoldenID(_ bundleText: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bundleText.utf8)) as? [String: Any],
            let hex = object["transaction"] as? String, let bytes = Hex.decode(hex)
        else { return nil }
        return SHA256Hash.digest(bytes).hex
    }

    /// Loads `/dash/verify.js` from the node into a page written to `folder`, runs `FacetVerify.verifyBundle` on
    /// each case against `genesis`, and reads the results back from the dumped DOM, by case name.
    static func runHarness(
        _ chromium: String, node: String, folder: TemporaryFolder, genesis: String, cases: [(String, String)]
    ) async throws -> [String: [String: Any]] {
        let list = try cases.map { "[\(try jsonText($0.0)), \(try jsonText($0.1))]" }.joined(separator: ",\n")
        let html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>verify.js harness</title></head><body>
            <pre id="result">pending</pre>
            <script src="\(node)/dash/verify.js"></script>
            <script>
            const genesis = \(try jsonText(genesis));
            const cases = [\(list)];
            (async () => {
                const out = {};
                for (const [name, bundle] of cases) {
                    const r = await FacetVerify.verifyBundle(bundle, genesis);
                    out[name] = { verified: r.verified, code: r.code || null, step: r.step || null,
                        message: r.message || null, transactionID: r.proved ? r.proved.transactionID : null,
                        height: r.proved ? r.proved.height : null };
                }
                document.getElementById('result').textContent = JSON.stringify(out);
            })().catch((error) => { document.getElementById('result').textContent = 'error ' + error; });
            </script></body></html>
            """
        let file = folder.url.appendingPathComponent("harness.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let dom = try await dumpDOM(chromium, file.absoluteString)
        let text = section(dom, "<pre id=\"result\">").dropFirst("<pre id=\"result\">".count)
        let json = String(text.prefix { $0 != "<" }).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]]
        return try #require(object, "the harness printed no results: \(json.prefix(1_000))")
    }

    static func flip(_ hex: String, byte: Int) throws -> String {
        var bytes = try #require(Hex.decode(hex))
        bytes[byte] ^= 0x01
        return Hex.encode(bytes)
    }

    /// A JSON text of `value` (a string literal for a `String`), which is also a JavaScript literal.
    static func jsonText(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The 400 characters of `dom` from `marker` on, for assertions and their messages.
    static func section(_ dom: String, _ marker: String) -> String {
        guard let start = dom.range(of: marker) else { return "(no \(marker) in the page)" }
        return String(dom[start.lowerBound...].prefix(4_000))
    }

    /// The DOM after `url` loaded and its scripts ran: `HeadlessChromium.dumpDOM`'s run, with a virtual-time budget
    /// so the verifier's fetches and Web Crypto promises settle before the DOM is printed.
    static func dumpDOM(_ chromium: String, _ url: String) async throws -> String {
        let folder = try TemporaryFolder()
        let stdout = folder.url.appendingPathComponent("stdout")
        let stderr = folder.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(folder.path("profile"))", "--virtual-time-budget=20000", "--dump-dom", url,
        ]
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(90)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                _ = kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw HeadlessChromium.Failure(description: "chromium ran over 90 s for \(url)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0, text.contains("<html") else {
            let errors = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            throw HeadlessChromium.Failure(
                description: "chromium exited \(process.terminationStatus) for \(url): \(errors.suffix(1_500))")
        }
        return text
    }
}
