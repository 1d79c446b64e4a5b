import FacetAPI
import FacetCore
import FacetHTML
import FacetLedger
import FacetNode
import HTTPTypes
import Hummingbird

/// The web dashboard: server-rendered pages for lenders, firms and operators under `/dash`, each a thin handler
/// that reads the signed-in member from the session cookie, asks the node and the credit engine, and renders
/// `HTML`. Pages answer HTML in every case (a refusal is a page with its stable code), never the API's JSON, and a
/// request without a valid session is sent to the sign-in page.
extension NodeAPI {
    /// Registers the dashboard's routes, and on a node serving credit `GET /` as a redirect to the applicants page.
    public func addDashboardRoutes(_ router: Router<BasicRequestContext>) {
        let sessions = DashboardSessions()
        // Every page so far reads credit, so a node serving none keeps `/` unrouted (404, as `APIErrorTests` expects)
        // rather than sending a browser to a page that can only refuse.
        if credit != nil {
            router.get("/") { _, _ in DashboardLayout.redirect(to: "/dash/applicants") }
        }
        router.get("/dash") { _, _ in DashboardLayout.redirect(to: "/dash/applicants") }
        router.get("/dash/signin") { _, _ in await signInPage(sessions) }
        router.post("/dash/signin") { request, _ in try await signIn(request, sessions) }
        router.post("/dash/signout") { request, _ in signOut(request, sessions) }
        addDashboardSignInLinkRoutes(router, sessions)
        router.get("/dash/applicants") { request, _ in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return await applicantsPage(viewer)
        }
        router.get("/dash/firms/:id") { request, context in
            guard let viewer = await dashboardViewer(request, sessions) else { return Self.toSignIn }
            return await firmPage(viewer, context)
        }
        addDashboardOperatorRoutes(router, sessions)
        addDashboardProofRoutes(router, sessions)
    }

    static var toSignIn: Response { DashboardLayout.redirect(to: "/dash/signin") }

    /// The active member the request's session cookie signs in, if any.
    func dashboardViewer(_ request: Request, _ sessions: DashboardSessions) async -> Member? {
        guard let value = request.cookies[DashboardSessions.cookieName]?.value,
            let id = sessions.member(ofSession: value, now: clock.now()),
            let member = await node.record(Member.self, id.hash), member.status == .active
        else { return nil }
        return member
    }

    static func layoutViewer(_ member: Member) -> DashboardLayout.Viewer {
        DashboardLayout.Viewer(name: member.name, id: member.id.hex)
    }
}
