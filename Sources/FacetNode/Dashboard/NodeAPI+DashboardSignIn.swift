import FacetCore
import FacetLedger
import Foundation
import HTTPTypes
import Hummingbird

/// Signing in to the dashboard by proving control of a member key, with the signed-read scheme `facet` already
/// uses: the page shows a challenge this node issued (it names the chain and expires in a few minutes); the member
/// signs `GET /dash/signin?challenge=<challenge>` at a time `t` exactly as a signed read (`SignedRead.sign`), and
/// posts its id, `t` and the signature. The node checks the signature under the member's current key, that `t` is
/// within `SignedRead.maxSkewMillis` of its clock, and uses the challenge up; then it sets an HttpOnly,
/// SameSite=Strict session cookie (`DashboardSessions`).
extension NodeAPI {
    /// The largest sign-in form accepted: the four fields take under 400 bytes.
    static let maxSignInBodyBytes = 4_096

    /// The request target a member signs for `challenge`.
    public static func dashboardSignInTarget(challenge: String) -> String {
        "/dash/signin?challenge=\(challenge)"
    }

    func signInPage(_ sessions: DashboardSessions, problem: (code: String, message: String)? = nil) async
        -> Response
    {
        let now = clock.now()
        let chainID = node.genesis.params.chainID
        let challenge = sessions.issueChallenge(chainID: chainID, now: now)
        let target = Self.dashboardSignInTarget(challenge: challenge.text)
        let alert: HTML =
            problem.map { "<p class=\"refusal\" role=\"alert\"><code>\($0.code)</code> \($0.message)</p>" } ?? .empty
        let body: HTML = """
            \(alert)<p>Sign in by signing this node's challenge with your member key, as <code>facet</code> signs a \
            read: Ed25519, purpose <code>signIn</code>, chain <code>\(chainID.description)</code>, over \
            <code>GET</code>, the target below and the time, each on its own line. The challenge expires at \
            \(DashboardFormat.dateTime(challenge.expiry)).</p>
            <p>Target to sign:</p><p class="mono" id="target">\(target)</p>
            <form class="signin" method="post" action="/dash/signin">\
            <input type="hidden" name="challenge" value="\(challenge.text)">\
            <label>Member id (hex) <input name="member" required pattern="[0-9a-f]{64}" autocomplete="username"\
             size="64"></label>\
            <label>Time signed (ms since 1970) <input name="time" required inputmode="numeric" \
            value="\(now.millis)"></label>\
            <label>Signature (hex) <textarea name="signature" required rows="3"></textarea></label>\
            <button type="submit">Sign in</button></form>
            """
        return DashboardLayout.response(
            DashboardLayout.page(title: "Sign in", viewer: nil, body: body),
            status: problem == nil ? .ok : .unauthorized)
    }

    func signIn(_ request: Request, _ sessions: DashboardSessions) async throws -> Response {
        let body = try await APIInput.body(request, limit: Self.maxSignInBodyBytes)
        let form = Self.formFields(String(decoding: body.readableBytesView, as: UTF8.self))
        let now = clock.now()
        let refused = { (message: String) in
            await signInPage(sessions, problem: (APIError.Code.unauthenticated.rawValue, message))
        }
        guard let challenge = form["challenge"], let memberText = form["member"], let timeText = form["time"],
            let signatureText = form["signature"]
        else { return await refused("the form needs member, time, signature and challenge") }
        guard memberText.utf8.count == 64, let memberID = MemberID(hex: memberText.lowercased()),
            (1...18).contains(timeText.utf8.count), let time = Int64(timeText),
            let signature = Signature(hex: signatureText.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
        else { return await refused("member is 64 hex digits, time milliseconds, signature hex") }
        guard let member = await node.record(Member.self, memberID.hash), member.status == .active else {
            return await refused("the signer is not an active member")
        }
        let signed = SignedRead(member: memberID, time: time, signature: signature)
        guard signed.isFresh(at: now) else {
            return await refused("the signed time is more than 5 minutes from the node's clock")
        }
        guard
            signed.verifies(
                method: "GET", target: Self.dashboardSignInTarget(challenge: challenge), key: member.publicKey,
                chainID: node.genesis.params.chainID)
        else { return await refused("the signature does not verify under the member's current key") }
        guard sessions.consumeChallenge(challenge, now: now) else {
            return await refused("the challenge was not issued by this node, has expired or was used already")
        }
        let cookie =
            "\(DashboardSessions.cookieName)=\(sessions.session(for: member.id, now: now)); Path=/; "
            + "Max-Age=\(DashboardSessions.sessionMillis / 1000); HttpOnly; SameSite=Strict"
        let home = member.roles.contains(.lender) ? "/dash/applicants" : "/dash/firms/\(member.id.hex)"
        return DashboardLayout.redirect(to: home, headers: [.setCookie: cookie])
    }

    func signOut(_ request: Request, _ sessions: DashboardSessions) -> Response {
        if let value = request.cookies[DashboardSessions.cookieName]?.value {
            sessions.revoke(session: value, now: clock.now())
        }
        let cleared = "\(DashboardSessions.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        return DashboardLayout.redirect(to: "/dash/signin", headers: [.setCookie: cleared])
    }

    /// `application/x-www-form-urlencoded` fields; a name given twice keeps its first value.
    static func formFields(_ body: String) -> [String: String] {
        var fields = [String: String]()
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String? {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decoded(parts[0]), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decoded(parts[1]) : ""
        }
        return fields
    }
}
