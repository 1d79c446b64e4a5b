import FacetAPI
import FacetCore
import FacetHTML
import FacetLedger
import FacetNode
import FacetWire
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
            \(alert)<p>Sign in by signing this node's challenge with your member key. From a terminal, this prints \
            a link that does it; open it in your browser:</p>
            <p class="mono">facet dashboard signin-link --node &lt;this node's address&gt; --key &lt;your key file&gt;\
            </p>
            <p>By hand, sign as <code>facet</code> signs a read (Ed25519, purpose <code>signIn</code>, chain \
            <code>\(chainID.description)</code>) these three lines, and fill in the form:</p>
            <ol><li>the method, <code>GET</code>;</li><li>the target below;</li>\
            <li>the time, in milliseconds since 1970.</li></ol>
            <p>The challenge expires at \(DashboardFormat.dateTime(challenge.expiry)).</p>
            <p>Target to sign:</p><p class="mono" id="target">\(target)</p>
            <form class="signin" method="post" action="/dash/signin">\
            <input type="hidden" name="challenge" value="\(challenge.text)">\
            <label>Member id (hex) <input name="member" required pattern="[0-9a-f]{64}" autocomplete="username" \
            style="width:100%"></label>\
            <label>Time signed (ms since 1970) <input name="time" required inputmode="numeric" \
            value="\(now.millis)" style="width:100%"></label>\
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
        return await completeSignIn(form, sessions, next: nil)
    }

    /// Checks a sign-in's fields (a posted form or a sign-in link's query), and on success sets the session cookie
    /// and sends the browser to `next`, or to the member's home page when there is none; otherwise the sign-in page
    /// with the refusal.
    func completeSignIn(_ form: [String: String], _ sessions: DashboardSessions, next: String?) async -> Response {
        let now = clock.now()
        let member: Member
        do {
            member = try await signInMember(form, sessions, now: now)
        } catch {
            return await signInPage(sessions, problem: (APIError.Code.unauthenticated.rawValue, error.message))
        }
        let cookie =
            "\(DashboardSessions.cookieName)=\(sessions.session(for: member.id, now: now)); Path=/; "
            + "Max-Age=\(DashboardSessions.sessionMillis / 1000); HttpOnly; SameSite=Strict"
            + (servesTLS ? "; Secure" : "")
        let home = member.roles.contains(.lender) ? "/dash/applicants" : "/dash/firms/\(member.id.hex)"
        return DashboardLayout.redirect(to: next ?? home, headers: [.setCookie: cookie])
    }

    /// Why a sign-in is refused, in words for the sign-in page.
    struct SignInRefused: Error {
        let message: String
    }

    /// The active member whose signature over an issued, unexpired challenge the fields carry; uses the challenge up.
    private func signInMember(_ form: [String: String], _ sessions: DashboardSessions, now: Timestamp)
        async throws(SignInRefused) -> Member
    {
        guard let challenge = form["challenge"], form["member"] != nil, form["time"] != nil, form["signature"] != nil
        else { throw SignInRefused(message: "the form needs member, time, signature and challenge") }
        let signed: SignedRead
        do {
            // A form's text fields, not a header: what a person pastes often ends in a newline or a space, so the
            // fields lose surrounding whitespace before the one strict parser reads them.
            func field(_ name: String) -> String? { form[name]?.trimmingCharacters(in: .whitespacesAndNewlines) }
            signed = try SignedRead.parse(member: field("member"), time: field("time"), signature: field("signature"))
        } catch {
            throw SignInRefused(message: "member is 64 hex digits, time milliseconds, signature hex (\(error))")
        }
        guard let member = await node.record(Member.self, signed.member.hash), member.status == .active else {
            throw SignInRefused(message: "the signer is not an active member")
        }
        guard signed.isFresh(at: now) else {
            throw SignInRefused(message: "the signed time is more than 5 minutes from the node's clock")
        }
        guard
            signed.verifies(
                method: "GET", target: Self.dashboardSignInTarget(challenge: challenge), key: member.publicKey,
                chainID: node.genesis.params.chainID)
        else { throw SignInRefused(message: "the signature does not verify under the member's current key") }
        guard sessions.consumeChallenge(challenge, now: now) else {
            throw SignInRefused(message: "the challenge was not issued by this node, has expired or was used already")
        }
        return member
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

/// Signing in with a link, for a browser that cannot fill the form (a headless one, or a lender at a terminal):
/// `facet dashboard signin-link` fetches a challenge as JSON (`GET /dash/signin/challenge`), signs it with the key
/// file exactly as the form's signature, and prints `GET /dash/signin/complete?member=…&time=…&signature=…&
/// challenge=…&next=…`. Following the link runs the form's checks, uses the challenge up, sets the same session
/// cookie and sends the browser to `next`. A link is good once and for at most five minutes, like the challenge in
/// it. `next` is only ever a local `/dash/…` path (anything else goes to the applicants page), so a link cannot send
/// a browser elsewhere.
extension NodeAPI {
    /// The longest sign-in link query accepted: the real one is under 500 bytes.
    static let maxSignInLinkQueryBytes = 2_048

    /// A challenge for a client that signs in from outside the page (`facet dashboard signin-link`).
    public struct DashboardChallenge: Codable, Sendable, Equatable {
        /// The text to sign into `GET /dash/signin?challenge=<challenge>`.
        public var challenge: String
        /// Until when the node accepts it, in milliseconds since 1970.
        public var expiresAt: Int64
        /// The chain its signature names.
        public var chainID: String

        public init(challenge: String, expiresAt: Int64, chainID: String) {
            self.challenge = challenge
            self.expiresAt = expiresAt
            self.chainID = chainID
        }
    }

    func addDashboardSignInLinkRoutes(_ router: Router<BasicRequestContext>, _ sessions: DashboardSessions) {
        router.get("/dash/signin/challenge") { _, _ in signInChallenge(sessions) }
        router.get("/dash/signin/complete") { request, _ in await signInLink(request, sessions) }
    }

    func signInChallenge(_ sessions: DashboardSessions) -> Response {
        let chainID = node.genesis.params.chainID
        let issued = sessions.issueChallenge(chainID: chainID, now: clock.now())
        var response = APIJSON.response(
            DashboardChallenge(challenge: issued.text, expiresAt: issued.expiry.millis, chainID: chainID.description))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func signInLink(_ request: Request, _ sessions: DashboardSessions) async -> Response {
        let query = request.uri.query ?? ""
        guard query.utf8.count <= Self.maxSignInLinkQueryBytes else {
            return await signInPage(
                sessions, problem: (APIError.Code.unauthenticated.rawValue, "the sign-in link is too long"))
        }
        let fields = Self.formFields(query)
        let next = fields["next"].map { Self.isLocalDashboardPath($0) ? $0 : "/dash/applicants" }
        return await completeSignIn(fields, sessions, next: next)
    }

    /// True for a path of this dashboard (`/dash/…`) in plain characters: no scheme, host, `//`, `..`, backslash,
    /// query or fragment, so a redirect to it stays on this node.
    public static func isLocalDashboardPath(_ path: String) -> Bool {
        guard path.hasPrefix("/dash/"), path.utf8.count <= 256, !path.contains("//"), !path.contains("..") else {
            return false
        }
        return path.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
        }
    }

    /// The query of a sign-in link for these fields, each percent-encoded (the challenge holds `:`, and may hold `%`).
    public static func dashboardSignInLinkQuery(signed: SignedRead, challenge: String, next: String?) -> String {
        var fields = [
            ("member", signed.member.hex), ("time", String(signed.time)), ("signature", signed.signature.hex),
            ("challenge", challenge),
        ]
        if let next { fields.append(("next", next)) }
        return fields.map { "\($0.0)=\(DashboardSessions.percentEncoded($0.1))" }.joined(separator: "&")
    }
}
