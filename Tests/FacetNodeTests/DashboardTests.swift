@testable import FacetAPI
import FacetCore
import FacetCredit
import FacetHTML
@testable import FacetDashboard
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// The dashboard over the real API on the credit scenario of `APICreditTests`: sign-in by a signed challenge, the
/// session cookie, the applicants and firm pages checked against the JSON credit routes, the consent refusal, and
/// the chart helpers as pure functions.
@Suite struct DashboardTests {
    // MARK: Sign-in

    @Test func pagesWithoutASessionRedirectToSignIn() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            for path in ["/dash/applicants", "/dash/firms/\(f.id("firmA").hex)"] {
                let response = try await node.client.get(path)
                #expect(response.status == 303, "\(path): \(response)")
                #expect(response.header("Location") == "/dash/signin")
            }
            let forged = try await node.client.get(
                "/dash/applicants", headers: [("Cookie", "facet_session=\(f.id("lender").hex).99999999999999.00")])
            #expect(forged.status == 303, "a cookie without a valid MAC is no session")
            let root = try await node.client.get("/")
            #expect(root.status == 303)
            #expect(root.header("Location") == "/dash/applicants")
            let signIn = try await node.client.get("/dash/signin")
            #expect(signIn.status == 200)
            #expect(signIn.header("Content-Type") == "text/html; charset=utf-8")
            #expect(
                signIn.text.contains("facet-dashboard:\(node.chainID.description)"), "the challenge names the chain")
            #expect(signIn.text.contains("<meta name=\"viewport\""))
        }
    }

    @Test func aWrongSignatureOrAReusedChallengeIsRefused() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let lender = f.actor("lender")
            let challenge = try await Self.challenge(node)
            let wrongKey = try await Self.postSignIn(
                node, member: lender.id, key: f.actor("lender2").key, challenge: challenge)
            #expect(wrongKey.status == 401, "\(wrongKey)")
            #expect(wrongKey.header("Set-Cookie") == nil)
            #expect(wrongKey.text.contains("api.unauthenticated"))
            let stale = try await Self.postSignIn(
                node, member: lender.id, key: lender.key, challenge: challenge,
                time: node.clock.now().millis - SignedRead.maxSkewMillis - 1)
            #expect(stale.status == 401, "a signature from long ago is refused")
            let notIssued = try await Self.postSignIn(
                node, member: lender.id, key: lender.key, challenge: challenge + "0")
            #expect(notIssued.status == 401, "a challenge this node did not issue is refused")

            let accepted = try await Self.postSignIn(node, member: lender.id, key: lender.key, challenge: challenge)
            #expect(accepted.status == 303, "\(accepted)")
            let reused = try await Self.postSignIn(node, member: lender.id, key: lender.key, challenge: challenge)
            #expect(reused.status == 401, "a challenge signs in once")
        }
    }

    @Test func signingInAsTheLenderSetsASessionCookie() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let response = try await Self.postSignIn(
                node, member: f.id("lender"), key: f.actor("lender").key, challenge: try await Self.challenge(node))
            #expect(response.status == 303)
            #expect(response.header("Location") == "/dash/applicants")
            let cookie = try #require(response.header("Set-Cookie"))
            #expect(cookie.hasPrefix("facet_session=\(f.id("lender").hex)."))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))

            let session = try Self.session(response)
            let page = try await node.client.get("/dash/signin", headers: [("Cookie", session)])
            #expect(page.status == 200)
            let out = try await node.client.request("POST", "/dash/signout", headers: [("Cookie", session)])
            #expect(out.status == 303)
            #expect(out.header("Set-Cookie")?.contains("Max-Age=0") == true)
            let after = try await node.client.get("/dash/applicants", headers: [("Cookie", session)])
            #expect(after.status == 303, "a signed-out session no longer opens pages")
        }
    }

    @Test func pastedFieldsWithSurroundingWhitespaceSignInButATamperedOneDoesNot() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let (member, key) = (f.id("lender"), f.actor("lender").key)
            let pasted = try await Self.postSignIn(
                node, member: member, key: key, challenge: try await Self.challenge(node), pasted: { " \($0)\n" })
            #expect(pasted.status == 303, "a field pasted with a space before and a newline after: \(pasted)")
            let inner = try await Self.postSignIn(
                node, member: member, key: key, challenge: try await Self.challenge(node),
                pasted: { $0.count > 8 ? String($0.prefix(8)) + " " + String($0.dropFirst(8)) : $0 })
            #expect(inner.status == 401, "whitespace inside a field is not trimmed: \(inner)")
        }
    }

    // MARK: Pages

    @Test func theApplicantsPageListsConsentedFirmsWithTheirGrade() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            _ = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let api = try await node.signedGet("/v1/credit/applicants", as: f.actor("lender"))
            let applicant = try #require(api.object["applicants"] as? [[String: Any]]).first
            let grade = try #require(applicant?["grade"] as? String)

            let session = try await Self.signIn(node, f.actor("lender"))
            let page = try await node.client.get("/dash/applicants", headers: [("Cookie", session)])
            #expect(page.status == 200, "\(page)")
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            let html = page.text
            #expect(html.contains("Signed in as <strong>lender</strong>"))
            #expect(html.contains("<a href=\"/dash/firms/\(f.id("firmA").hex)\">firmA</a>"))
            #expect(html.contains("data-name=\"firmA\""))
            #expect(html.contains("data-grade=\"\(HTML.escape(grade))\""))
            #expect(Self.count("<tr data-firm=", in: html) == 1, "only firmA consented to the lender")
            #expect(!html.contains("data-name=\"firmB\""))

            let other = try await node.client.get(
                "/dash/applicants", headers: [("Cookie", try await Self.signIn(node, f.actor("lender2")))])
            #expect(other.status == 200)
            #expect(other.text.contains("No firm has granted lender2 consent"))
        }
    }

    @Test func theFirmPageShowsScoreReasonsAndAMonthlyRevenueChart() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            _ = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let path = "/dash/firms/\(f.id("firmA").hex)"
            let report = try await node.signedGet("/v1/credit/\(f.id("firmA").hex)/report", as: f.actor("lender"))
            let score = try #require(report.object["score"] as? Double)
            let reasons = try #require(report.object["reasons"] as? [[String: Any]]).compactMap {
                $0["text"] as? String
            }
            #expect(!reasons.isEmpty, "a four-month history is below the best bin somewhere")

            let page = try await node.client.get(
                path, headers: [("Cookie", try await Self.signIn(node, f.actor("lender")))])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            #expect(html.contains("<div class=\"figure\" id=\"figure-score\">Score<b>\(Int(score.rounded()))</b>"))
            for reason in reasons { #expect(html.contains(HTML.escape(reason)), "reason \(reason)") }

            let months = Self.values(of: "data-month", in: html)
            #expect(months.count == 12, "one bar per month of the twelve-month window")
            #expect(months == months.sorted() && Set(months).count == 12, "distinct months, oldest first")
            let filled = html.components(separatedBy: "<g data-month=").dropFirst().filter { $0.contains("<rect") }
            #expect(filled.count == 4, "four months of confirmed sales")
            for amount in ["400,000", "410,000", "420,000", "430,000"] {
                #expect(html.contains("Buyer-confirmed \(amount) CNY; Platform-settled 0 CNY; Self-issued 0 CNY"))
            }
            #expect(
                html.contains("Buyer-confirmed") && html.contains("Platform-settled") && html.contains("Self-issued"))

            let features = try #require(report.object["features"] as? [[String: Any]])
            let revenue = try #require(features.first { $0["name"] as? String == FeatureName.revenue3m })
            for link in try #require(revenue["evidence"] as? [[String: Any]]) {
                // The API links `/v1/transactions/{id}/proof`; the page fetches the same bundle through its session.
                let proof = try #require(link["proof"] as? String)
                let id = proof.replacingOccurrences(of: "/v1/transactions/", with: "")
                    .replacingOccurrences(of: "/proof", with: "")
                #expect(html.contains("data-bundle=\"/dash/proof/\(id)/bundle\""), "the record links to its proof")
            }
            #expect(html.contains("<section class=\"lender\" data-lender=\"\(f.id("lender").hex)\">"))
            #expect(html.contains("data-outcome="), "the lender's decisions are listed")
        }
    }

    @Test func theFirmSeesTheLendersCostAndMarginAsOneSumTheLenderEachPart() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            _ = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let path = "/dash/firms/\(f.id("firmA").hex)"
            let lenderPage = try await node.client.get(
                path, headers: [("Cookie", try await Self.signIn(node, f.actor("lender")))])
            let ownPage = try await node.client.get(
                path, headers: [("Cookie", try await Self.signIn(node, f.actor("firmA")))])
            #expect(lenderPage.status == 200 && ownPage.status == 200, "\(lenderPage) \(ownPage)")
            let lenderOffers = Self.offerRows(lenderPage.text)
            let ownOffers = Self.offerRows(ownPage.text)
            try #require(!lenderOffers.isEmpty, "an offer in the scenario")
            #expect(ownOffers.count == lenderOffers.count, "the firm sees the same offers")
            for row in lenderOffers {
                #expect(row.contains("funding ") && row.contains("operating ") && row.contains("margin "), "\(row)")
                #expect(!row.contains("lender&#39;s cost and margin") && !row.contains("lender's cost and margin"))
            }
            for row in ownOffers {
                #expect(!row.contains("funding ") && !row.contains("operating ") && !row.contains("+ margin"), "\(row)")
                #expect(row.contains("cost and margin "), "\(row)")
                #expect(row.contains("expected loss ") && row.contains("capital "), "the parts its own risk drives")
            }
            // The sum shown to the firm is the lender's three parts added (rounded as the page rounds percentages).
            let api = try await node.signedGet("/v1/credit/\(f.id("firmA").hex)/report", as: f.actor("lender"))
            let decisions = try #require(
                (api.object["lenders"] as? [[String: Any]])?.first?["decisions"] as? [[String: Any]])
            let rate = try #require(decisions.compactMap { $0["rate"] as? [String: Any] }.first)
            let sum = try #require(rate["lenderCostAndMargin"] as? Double)
            #expect(ownOffers.first?.contains("cost and margin \(DashboardFormat.percent(sum))") == true)
        }
    }

    /// The rows of a firm page's decisions that are offers.
    static func offerRows(_ html: String) -> [String] {
        html.components(separatedBy: "data-outcome=\"offer\">").dropFirst().compactMap {
            $0.components(separatedBy: "</tr>").first
        }
    }

    @Test func aLenderWithoutConsentIsRefusedWithTheCode() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let scenario = try await APICreditTests.run(on: node)
            let f = scenario.fixture
            _ = try await APICreditTests.caughtUp(node, firm: f.id("firmA"))
            let path = "/dash/firms/\(f.id("firmA").hex)"
            for stranger in ["lender2", "firmB"] {
                let page = try await node.client.get(
                    path, headers: [("Cookie", try await Self.signIn(node, f.actor(stranger)))])
                #expect(page.status == 403, "\(stranger): \(page)")
                #expect(page.text.contains("<code>credit.no_consent</code>"))
                #expect(!page.text.contains("data-month="), "no figure leaks into a refusal")
            }
            let own = try await Self.postSignIn(
                node, member: f.id("firmA"), key: f.actor("firmA").key, challenge: try await Self.challenge(node))
            #expect(own.header("Location") == path, "a firm lands on its own page")
            let ownPage = try await node.client.get(path, headers: [("Cookie", try Self.session(own))])
            #expect(ownPage.status == 200)
            #expect(ownPage.text.contains("Decisions of lender"), "the firm sees the lender it consented to")
            #expect(!ownPage.text.contains("Decisions of lender2"))
        }
    }

    // MARK: Chart helpers and session MAC

    @Test func theStackedBarChartHasOneGroupPerBarAndEscapesLabels() {
        let bars = (1...5).map {
            SVGChart.Bar(
                key: "2026-0\($0)", label: $0 == 3 ? "<script>alert(1)</script>" : "m\($0)",
                values: [
                    Double($0) * 1_000, 500, $0 == 2 ? 0 : 250,
                ])
        }
        let svg = SVGChart.stackedBars(
            id: "t", title: "Revenue \"quoted\" & <b>", bars: bars, series: FirmPage.revenueSeries, unit: "CNY"
        ).raw
        #expect(Self.count("<g data-month=", in: svg) == 5)
        #expect(Self.values(of: "data-month", in: svg) == bars.map(\.key))
        #expect(Self.count("<title>", in: svg) == 5, "one per bar")
        #expect(svg.contains("<title id=\"t-title\">"), "and one for the chart")
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains("Revenue &quot;quoted&quot; &amp; &lt;b&gt;"))
        #expect(Self.count("<rect x=", in: svg) == 14 + 3, "14 non-zero parts plus 3 legend swatches")
        #expect(svg.contains("fill=\"url(#t-t1)\"") && svg.contains("fill=\"url(#t-t2)\""), "textures, not colours")
        #expect(svg.contains(">CNY</text>"), "the value axis names its unit")
        #expect(svg.contains("total 5,750 CNY"), "5,000 + 500 + 250 for the fifth bar")
    }

    @Test func theLineChartHasOneGroupPerSeriesWithTitledPoints() {
        let roc = SVGChart.Line(
            name: "model", points: [(0, 0), (0.1, 0.5), (0.4, 0.9), (1, 1)], stroke: .solid, area: true)
        let chance = SVGChart.Line(name: "chance <random>", points: [(0, 0), (1, 1)], stroke: .dashed)
        let svg = SVGChart.lines(
            id: "roc", title: "ROC", lines: [roc, chance],
            x: SVGChart.Axis(label: "False positive rate", unit: "share", range: 0...1),
            y: SVGChart.Axis(label: "True positive rate", unit: "share", range: 0...1)
        ).raw
        #expect(Self.count("<g data-series=", in: svg) == 2)
        #expect(Self.count("<circle", in: svg) == 6)
        #expect(svg.contains("data-series=\"chance &lt;random&gt;\""))
        #expect(svg.contains("stroke-dasharray=\"8 4\""))
        #expect(svg.contains("False positive rate (share)"))
        #expect(Self.count("<polygon", in: svg) == 1, "only the model's area is shaded")
    }

    static let tickCases: [(Double, [Double])] = [
        (0, [0, 0.25, 0.5, 0.75, 1]), (9, [0, 2, 4, 6, 8, 10]), (43_000_000, [0, 1e7, 2e7, 3e7, 4e7, 5e7]),
    ]

    @Test(arguments: tickCases)
    func niceTicksCoverTheMaximumInRoundSteps(maximum: Double, expected: [Double]) {
        #expect(SVGChart.niceTicks(upTo: maximum) == expected)
    }

    @Test func sessionMACMatchesRFC4231AndSessionsCheckTheirMAC() throws {
        let key = [UInt8](repeating: 0x0b, count: 20)
        #expect(
            Hex.encode(SessionMAC.authenticate(Array("Hi There".utf8), key: key))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let sessions = DashboardSessions()
        let member = LedgerFixture(validators: 1).id("lender")
        let now = Timestamp(uncheckedMillis: 1_800_000_000_000)
        let value = sessions.session(for: member, now: now)
        #expect(sessions.member(ofSession: value, now: now) == member)
        let later = Timestamp(uncheckedMillis: now.millis + DashboardSessions.sessionMillis)
        #expect(sessions.member(ofSession: value, now: later) == nil, "expired")
        var tampered = Array(value)
        tampered[65] = tampered[65] == "1" ? "2" : "1"
        #expect(sessions.member(ofSession: String(tampered), now: now) == nil, "the expiry is under the MAC")
        #expect(DashboardSessions().member(ofSession: value, now: now) == nil, "another process's secret")
        #expect(DashboardFormat.number(-1234567.891, digits: 2) == "-1,234,567.89")
        #expect(DashboardFormat.money(40_000_000, .cny) == "400,000.00 CNY")
    }

    // MARK: Helpers

    static func challenge(_ node: APITestNode) async throws -> String {
        let page = try await node.client.get("/dash/signin")
        let marker = "name=\"challenge\" value=\""
        guard let start = page.text.range(of: marker),
            let end = page.text[start.upperBound...].firstIndex(of: "\"")
        else { throw HTTPTestClient.ClientError(description: "no challenge on the sign-in page") }
        return String(page.text[start.upperBound..<end])
    }

    /// Posts the sign-in form the way a browser does, signed as `facet` signs a read.
    static func postSignIn(
        _ node: APITestNode, member: MemberID, key: SigningKey, challenge: String, time: Int64? = nil,
        pasted: (String) -> String = { $0 }
    ) async throws -> HTTPTestClient.Response {
        let signed = SignedRead.sign(
            method: "GET", target: NodeAPI.dashboardSignInTarget(challenge: challenge),
            time: time ?? node.clock.now().millis, member: member, key: key, chainID: node.chainID)
        let form = [
            ("member", pasted(member.hex)), ("time", pasted(String(signed.time))),
            ("signature", pasted(signed.signature.hex)), ("challenge", challenge),
        ].map { "\($0.0)=\(formEncoded($0.1))" }.joined(separator: "&")
        return try await node.client.request(
            "POST", "/dash/signin", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(form.utf8))
    }

    /// Signs in as `actor` and returns the `Cookie` header value.
    static func signIn(_ node: APITestNode, _ actor: Actor) async throws -> String {
        let response = try await postSignIn(
            node, member: actor.id, key: actor.key, challenge: try await challenge(node))
        try #require(response.status == 303, "\(actor.name) could not sign in: \(response)")
        return try session(response)
    }

    static func session(_ response: HTTPTestClient.Response) throws -> String {
        let cookie = try #require(response.header("Set-Cookie"))
        return String(cookie.prefix { $0 != ";" })
    }

    static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Every value of `attribute="…"` in document order.
    static func values(of attribute: String, in text: String) -> [String] {
        text.components(separatedBy: "\(attribute)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}
