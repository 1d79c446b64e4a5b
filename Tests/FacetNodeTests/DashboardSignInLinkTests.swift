@testable import FacetAPI
import FacetCore
@testable import FacetDashboard
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// Signing in to the dashboard with a link (`GET /dash/signin/complete`), as `facet dashboard signin-link` prints
/// one: the challenge as JSON, the same checks as the form, the cookie and the redirect to `next`, and every way a
/// link is refused or its `next` replaced by the applicants page.
@Suite struct DashboardSignInLinkTests {
    @Test func theChallengeIsServedAsJSON() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let response = try await node.client.get("/dash/signin/challenge")
            #expect(response.status == 200, "\(response)")
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(response.header("Cache-Control") == "no-store")
            let challenge = try #require(response.object["challenge"] as? String)
            #expect(challenge.hasPrefix("facet-dashboard:\(node.chainID.description):"))
            let expiresAt = try #require(response.object["expiresAt"] as? Int)
            #expect(Int64(expiresAt) == node.clock.now().millis + DashboardSessions.challengeMillis)
            #expect(response.object["chainID"] as? String == node.chainID.description)
        }
    }

    @Test func aValidLinkSetsTheCookieAndOpensNext() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let next = "/dash/firms/\(f.id("firmA").hex)"
            let response = try await node.client.get(
                try await Self.link(node, f.actor("lender"), challenge: try await Self.challenge(node), next: next))
            #expect(response.status == 303, "\(response)")
            #expect(response.header("Location") == next)
            let cookie = try #require(response.header("Set-Cookie"))
            #expect(cookie.hasPrefix("facet_session=\(f.id("lender").hex)."))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let session = String(cookie.prefix { $0 != ";" })
            let page = try await node.client.get("/dash/applicants", headers: [("Cookie", session)])
            // Without a registered model the page refuses (503), but as a page for the signed-in lender.
            #expect(page.status != 303, "the cookie is a session: \(page)")
            #expect(page.text.contains("Signed in as <strong>lender</strong>"))
        }
    }

    @Test func withoutNextTheLinkOpensTheMembersHomePage() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let lender = try await node.client.get(
                try await Self.link(node, f.actor("lender"), challenge: try await Self.challenge(node), next: nil))
            #expect(lender.status == 303)
            #expect(lender.header("Location") == "/dash/applicants")
            let firm = try await node.client.get(
                try await Self.link(node, f.actor("firmA"), challenge: try await Self.challenge(node), next: nil))
            #expect(firm.status == 303)
            #expect(firm.header("Location") == "/dash/firms/\(f.id("firmA").hex)")
        }
    }

    @Test func aLinkSignsInOnce() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let link = try await Self.link(
                node, f.actor("lender"), challenge: try await Self.challenge(node), next: "/dash/applicants")
            let first = try await node.client.get(link)
            #expect(first.status == 303)
            let again = try await node.client.get(link)
            #expect(again.status == 401, "the challenge was used up: \(again)")
            #expect(again.header("Set-Cookie") == nil)
            #expect(again.text.contains("<code>api.unauthenticated</code>"))
            #expect(again.text.contains("used already"))
        }
    }

    @Test func aWrongSignatureIsRefusedWithoutUsingTheChallengeUp() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let challenge = try await Self.challenge(node)
            let wrong = try await node.client.get(
                try await Self.link(
                    node, f.actor("lender"), challenge: challenge, next: "/dash/applicants",
                    key: f.actor("lender2").key))
            #expect(wrong.status == 401, "\(wrong)")
            #expect(wrong.header("Set-Cookie") == nil)
            #expect(wrong.text.contains("does not verify"))
            let stale = try await node.client.get(
                try await Self.link(
                    node, f.actor("lender"), challenge: challenge, next: nil,
                    time: node.clock.now().millis - SignedRead.maxSkewMillis - 1))
            #expect(stale.status == 401, "a signature from long ago is refused")
            let notIssued = try await node.client.get(
                try await Self.link(node, f.actor("lender"), challenge: challenge + "0", next: nil))
            #expect(notIssued.status == 401, "a challenge this node did not issue is refused")
            let missing = try await node.client.get("/dash/signin/complete?member=\(f.id("lender").hex)")
            #expect(missing.status == 401)
            #expect(missing.text.contains("needs member, time, signature and challenge"))
            let right = try await node.client.get(
                try await Self.link(node, f.actor("lender"), challenge: challenge, next: nil))
            #expect(right.status == 303, "the refused attempts left the challenge usable: \(right)")
        }
    }

    @Test(arguments: [
        "https://example.com/dash/applicants", "//example.com/dash/applicants", "/dash/../v1/status", "/v1/status",
        "/dash/firms/x?next=https://example.com", "/dash/x\\y", "javascript:alert(1)", "/dash", "",
    ])
    func aNextOutsideTheDashboardOpensTheApplicants(next: String) async throws {
        try await APITestNode.with(LedgerFixture(validators: 1), credit: try APICreditTests.library()) { node in
            let f = LedgerFixture(validators: 1)
            let response = try await node.client.get(
                try await Self.link(node, f.actor("lender"), challenge: try await Self.challenge(node), next: next))
            #expect(response.status == 303, "\(response)")
            #expect(response.header("Location") == "/dash/applicants", "next \(next)")
        }
    }

    @Test func onlyPlainDashboardPathsAreLocal() {
        #expect(NodeAPI.isLocalDashboardPath("/dash/applicants"))
        #expect(NodeAPI.isLocalDashboardPath("/dash/firms/\(String(repeating: "ab", count: 32))"))
        for path in ["/dash", "/dashboard/x", "/dash//x", "/dash/a/../b", "/dash/a b", "/dash/%2e%2e", "dash/x"] {
            #expect(!NodeAPI.isLocalDashboardPath(path), "\(path)")
        }
        #expect(!NodeAPI.isLocalDashboardPath("/dash/" + String(repeating: "a", count: 260)))
    }

    @Test func theLinkQueryDecodesToTheSignedFields() throws {
        let key = try SigningKey(seed: Array(repeating: 7, count: 32))
        let member = MemberID(initialKey: key.publicKey)
        let challenge = "facet-dashboard:chain%2Fx:123:ff"
        let signed = SignedRead.sign(
            method: "GET", target: NodeAPI.dashboardSignInTarget(challenge: challenge), time: 42, member: member,
            key: key, chainID: try Label("chain"))
        let query = NodeAPI.dashboardSignInLinkQuery(signed: signed, challenge: challenge, next: "/dash/model")
        #expect(query.contains("challenge=facet-dashboard%3Achain%252Fx%3A123%3Aff"))
        let fields = NodeAPI.formFields(query)
        #expect(fields["challenge"] == challenge)
        #expect(fields["member"] == member.hex)
        #expect(fields["time"] == "42")
        #expect(fields["signature"] == signed.signature.hex)
        #expect(fields["next"] == "/dash/model")
    }

    // MARK: Helpers

    static func challenge(_ node: APITestNode) async throws -> String {
        let response = try await node.client.get("/dash/signin/challenge")
        return try #require(response.object["challenge"] as? String, "\(response)")
    }

    /// `/dash/signin/complete?…` for `actor`, signed with its key (or `key`), as `facet dashboard signin-link` signs it.
    static func link(
        _ node: APITestNode, _ actor: Actor, challenge: String, next: String?, time: Int64? = nil,
        key: SigningKey? = nil
    ) async throws -> String {
        let signed = SignedRead.sign(
            method: "GET", target: NodeAPI.dashboardSignInTarget(challenge: challenge),
            time: time ?? node.clock.now().millis, member: actor.id, key: key ?? actor.key, chainID: node.chainID)
        return "/dash/signin/complete?"
            + NodeAPI.dashboardSignInLinkQuery(signed: signed, challenge: challenge, next: next)
    }
}
