import FacetClient
import FacetCore
import FacetDemo
import FacetFiles
import Foundation
import Testing

@testable import facet

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard as a lender sees it in a real browser: a small `facet devnet`, sign-in links printed by
/// `facet dashboard signin-link` (the lender proves control of its key file), and each page opened in headless
/// Chromium, asserting on the rendered DOM against the JSON API. Screenshots of every page land in
/// `.build/dashboard/` for review. Skipped without Chromium (`FACET_CHROMIUM`, or `chromium` on PATH; `ops/test`
/// installs it) or with `FACET_SKIP_BROWSER=1`.
@Suite(.serialized) struct DashboardBrowserTests {
    static let firms = 16
    static let months = 4

    /// `<repo>/.build/dashboard`.
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/dashboard")

    /// One devnet, its first validator's address and the folder of member keys.
    struct Net {
        let node: String
        let client: NodeClient
        let keys: URL
        let chromium: HeadlessChromium

        func keyPath(_ name: String) -> String { keys.appendingPathComponent("\(name).key").path }

        /// A fresh one-time link that signs in as `member` and opens `next`, printed by the command line.
        func link(as member: String, next: String) async throws -> String {
            let result = try await FacetProcess.run([
                "dashboard", "signin-link", "--node", node, "--key", keyPath(member), "--next", next,
            ])
            try #require(result.status == 0, "\(result.summary)")
            let link = try #require(result.stdout.split(separator: "\n").last.map(String.init))
            #expect(link.hasPrefix("\(node)/dash/signin/complete?member="))
            return link
        }

        /// The page's DOM after signing in as `member`, and screenshots at laptop size (and phone size if asked).
        func open(_ path: String, as member: String, name: String, phone: Bool = false) async throws -> String {
            let dom = try await chromium.dumpDOM(try await link(as: member, next: path))
            let shots = DashboardBrowserTests.screenshots
            try await chromium.screenshot(
                try await link(as: member, next: path), to: shots.appendingPathComponent("\(name).png"), width: 1280,
                height: 900)
            if phone {
                try await chromium.screenshot(
                    try await link(as: member, next: path), to: shots.appendingPathComponent("\(name)-phone.png"),
                    width: 390, height: 844)
            }
            return dom
        }

        /// Whether the node routes `path` (a page without a session redirects to sign-in; an unknown one is 404).
        func routes(_ path: String) async -> Bool {
            guard let url = URL(string: node + path),
                let (_, response) = try? await URLSession.shared.data(from: url),
                let status = (response as? HTTPURLResponse)?.statusCode
            else { return false }
            return status != 404
        }
    }

    @Test(
        .enabled(
            if: HeadlessChromium.installed != nil,
            "no Chromium: set FACET_CHROMIUM or install Debian's chromium (ops/test does); FACET_SKIP_BROWSER=1 skips"),
        .timeLimit(.minutes(10)))
    func everyDashboardPageRendersInHeadlessChromium() async throws {
        let chromium = HeadlessChromium(binary: try #require(HeadlessChromium.installed))
        let folder = try TemporaryFolder()
        let ports = try ConsensusProcessTests.freePortRuns(count: 4, runs: 2)
        let dir = folder.url.appendingPathComponent("devnet")
        let devnet = try FacetProcess([
            "devnet", "--dir", dir.path, "--firms", "\(Self.firms)", "--months", "\(Self.months)", "--api-port",
            "\(ports[0])", "--peer-port", "\(ports[1])", "--activity-millis", "0", "--status-every", "0", "--seeds",
            DevnetTests.seeds.path,
        ])
        let node = "http://127.0.0.1:\(ports[0])"
        let net = Net(
            node: node, client: try NodeClient(address: node), keys: dir.appendingPathComponent("members"),
            chromium: chromium)
        do {
            try await DevnetTests.waitUntilReady(devnet, dir: dir)
            #expect(
                devnet.stdout.contains(
                    "dashboard     \(node)/dash (sign in: facet dashboard signin-link --node \(node) --key "
                        + "\(dir.path)/members/bank-a.key)"), "\(devnet.stdout.suffix(2_000))")
            try await Self.checkPages(net)
        } catch {
            Issue.record(error)
        }
        devnet.signal(SIGTERM)
        let stopped = try await devnet.wait(timeout: .seconds(60))
        #expect(stopped.status == 0, "\(stopped.summary.suffix(2_000))")
    }

    /// The command signs only `GET /dash/signin?challenge=…` for a dashboard challenge: a node cannot make it sign
    /// another request by answering something else.
    @Test func theLinkCommandSignsOnlyADashboardChallenge() throws {
        let signer = MemberKey(firstKey: try SigningKey(seed: Array(repeating: 9, count: 32)))
        let node = try #require(URL(string: "http://127.0.0.1:7700/"))
        let good = DashboardSignInLink.Challenge(
            challenge: "facet-dashboard:facet-demo:1800000000000:00ff", expiresAt: 1_800_000_000_000,
            chainID: "facet-demo")
        let link = try DashboardSignInLink.link(
            node: node, challenge: good, signer: signer, time: 1_799_999_999_000, next: "/dash/model")
        #expect(link.hasPrefix("http://127.0.0.1:7700/dash/signin/complete?member=\(signer.member.hex)&time="))
        #expect(link.contains("&challenge=facet-dashboard%3Afacet-demo%3A1800000000000%3A00ff&next=%2Fdash%2Fmodel"))
        for text in ["facet-dashboard:x&next=//evil", "/v1/credit/applicants", "facet-dashboard:a b", "x"] {
            var other = good
            other.challenge = text
            #expect(throws: (any Error).self, "\(text)") {
                try DashboardSignInLink.link(node: node, challenge: other, signer: signer, time: 0, next: nil)
            }
        }
    }

    static func checkPages(_ net: Net) async throws {
        let lender = try KeyFile.member(net.keyPath("bank-a"))
        let (firm, refused) = try await firmAndLenderWithoutConsent(net, lender: lender)
        let report = try await net.client.creditReport(of: firm, signer: lender)
        let firmPath = "/dash/firms/\(firm.hex)"
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)

        let signIn = try await net.chromium.dumpDOM(net.node + "/dash/signin")
        try await net.chromium.screenshot(
            net.node + "/dash/signin", to: screenshots.appendingPathComponent("signin.png"), width: 1280, height: 900)
        try await net.chromium.screenshot(
            net.node + "/dash/signin", to: screenshots.appendingPathComponent("signin-phone.png"), width: 390,
            height: 844)
        #expect(signIn.contains("<form class=\"signin\""), "the sign-in form")
        #expect(signIn.contains("facet-dashboard:"), "with a challenge")

        let applicants = try await net.open("/dash/applicants", as: "bank-a", name: "applicants")
        #expect(applicants.contains("Signed in as <strong>"), "the link signed the browser in")
        #expect(applicants.contains("<tr data-firm=\"\(firm.hex)\""), "the applicants list the consenting firm")

        let page = try await net.open(firmPath, as: "bank-a", name: "firm", phone: true)
        checkFirm(page, report: report)

        let refusal = try await net.open(firmPath, as: refused, name: "firm-no-consent")
        #expect(refusal.contains("class=\"refusal\""), "\(refused) sees a refusal")
        #expect(refusal.contains("<code>credit.no_consent</code>"))
        #expect(!refusal.contains("id=\"figure-score\""), "and no score")

        try await checkOptionalPages(net, lender: lender, firm: firm)
    }

    /// The score, the reasons in the report's order, and one chart group per month of the twelve-month window.
    static func checkFirm(_ dom: String, report: NodeAPI.CreditReport) {
        let score = report.score.map { String(format: "%.0f", locale: Locale(identifier: "en_US_POSIX"), $0) }
        #expect(score != nil, "the report has a score")
        if let score { #expect(dom.contains("id=\"figure-score\">Score<b>\(score)</b>"), "score \(score)") }
        #expect(dom.contains("<b>\(domEscaped(report.grade))</b>"), "grade \(report.grade)")
        let reasons = section(dom, from: "<ol class=\"reasons\">", to: "</ol>")
        #expect(values(of: "data-feature", in: reasons) == report.reasons.map(\.feature), "reasons in order")
        for reason in report.reasons { #expect(reasons.contains(domEscaped(reason.text)), "reason \(reason.text)") }
        let chart = section(dom, from: "id=\"revenue\"", to: "</svg>")
        let months = values(of: "data-month", in: chart)
        #expect(months.count == 12, "one group per month of the window: \(months)")
        #expect(months == months.sorted() && Set(months).count == months.count, "distinct months, oldest first")
    }

    /// The pages another part adds (a piece's history, the network, the model), checked when the node routes them.
    static func checkOptionalPages(_ net: Net, lender: MemberKey, firm: MemberID) async throws {
        if await net.routes("/dash/pieces/\(String(repeating: "0", count: 64))") {
            if let piece = try await pledgedPiece(net, lender: lender, firm: firm) {
                let card = try await net.client.piece(piece, signer: lender)
                let dom = try await net.open("/dash/pieces/\(piece.hex)", as: "bank-a", name: "piece", phone: true)
                let steps = section(dom, from: "<ol class=\"steps\">", to: "</ol>")
                #expect(
                    values(of: "data-step", in: steps) == (card.history ?? []).map(\.kind), "the steps, oldest first")
                let heights = values(of: "data-height", in: steps).compactMap { UInt64($0) }
                #expect(!heights.isEmpty && heights == heights.sorted(), "in block order: \(heights)")
            } else {
                Issue.record("no pledged piece found to open its page")
            }
        }
        // The network page is for validators' operators (the alliance runs one) and auditors; the model's report
        // for lenders and auditors.
        for (path, name, member) in [("/dash/network", "network", "alliance"), ("/dash/model", "model", "bank-a")]
        where await net.routes(path) {
            let dom = try await net.open(path, as: member, name: name, phone: true)
            #expect(dom.contains("Signed in as <strong>"), "\(path) opens signed in")
            #expect(dom.contains("<h1>"), "\(path) has its title")
            #expect(!dom.contains("class=\"refusal\""), "\(path) does not refuse \(member)")
        }
        let refused = try await net.open("/dash/network", as: "bank-a", name: "network-lender")
        #expect(refused.contains("class=\"refusal\""), "a lender does not see the network page")
    }

    /// A firm that consented to bank-a, and a lender (`bank-b` or `fintech`) without its consent.
    static func firmAndLenderWithoutConsent(_ net: Net, lender: MemberKey) async throws -> (MemberID, String) {
        var applicants: NodeAPI.CreditApplicants?
        for _ in 0..<150 where applicants == nil {
            applicants = try? await net.client.creditApplicants(signer: lender)
            if applicants == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let list = try #require(applicants, "bank-a's applicants").applicants
        for applicant in list {
            let firm = try #require(MemberID(hex: applicant.firm))
            for other in ["fintech", "bank-b"] {
                do {
                    _ = try await net.client.creditReport(of: firm, signer: try KeyFile.member(net.keyPath(other)))
                } catch let error as ClientError where error.code.rawValue == "credit.no_consent" {
                    return (firm, other)
                }
            }
        }
        throw HeadlessChromium.Failure(description: "every firm of bank-a's \(list.count) consented to all lenders")
    }

    /// A piece pledged to a loan of bank-a's (from the ground truth's loans), if any.
    static func pledgedPiece(_ net: Net, lender: MemberKey, firm: MemberID) async throws -> PieceID? {
        let file = net.keys.deletingLastPathComponent().appendingPathComponent("ground-truth.json")
        let truth = try GroundTruth.decode(Data(contentsOf: file))
        var firms = [firm]
        for loan in truth.loans where loan.lender == lender.member.hex {
            if let id = MemberID(hex: loan.firm), !firms.contains(id) { firms.append(id) }
        }
        for candidate in firms {
            guard let pledges = try? await net.client.pledges(of: candidate, signer: lender) else { continue }
            for pledge in pledges where pledge.collateral.kind == "piece" {
                if let id = Hash256(hex: pledge.collateral.id) { return PieceID(id) }
            }
        }
        return nil
    }

    /// Text as Chromium serialises it: `&`, `<`, `>` and the no-break space escaped, quotes as they are.
    static func domEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\u{00A0}", with: "&nbsp;")
    }

    /// The text from the first `start` to the next `end` after it (empty when absent).
    static func section(_ text: String, from start: String, to end: String) -> String {
        guard let open = text.range(of: start), let close = text[open.upperBound...].range(of: end) else { return "" }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Every value of `attribute="…"` in document order.
    static func values(of attribute: String, in text: String) -> [String] {
        text.components(separatedBy: "\(attribute)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}
