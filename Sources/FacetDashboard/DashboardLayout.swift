import FacetAPI
import FacetHTML
import FacetNode
import HTTPTypes
import Hummingbird
import NIOCore

/// The page around every dashboard view: a header naming the member signed in, with the sign-out button, the
/// navigation (Applicants, Network, Model), and one inline stylesheet (`Resources/dashboard.css`) that lays tables
/// and charts out for a laptop and, below 640 pixels, for a phone (tables scroll sideways inside their box, charts
/// scale to the width).
enum DashboardLayout {
    /// Who is signed in, for the header.
    struct Viewer {
        var name: String
        var id: String
    }

    static func page(title: String, viewer: Viewer?, body: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">\
        <meta name="viewport" content="width=device-width, initial-scale=1">\
        <title>\(title) · Facet</title><style>\(css)</style></head>
        <body><header><a class="brand" href="/dash/applicants">Facet</a>\(navigation(viewer))</header>
        <main><h1>\(title)</h1>
        \(body)
        </main></body></html>
        """
    }

    static func response(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html.raw)))
    }

    /// A page that refuses, with the stable code visible (tests and people can quote it).
    static func refusal(title: String, code: String, message: String, viewer: Viewer?, status: HTTPResponse.Status)
        -> Response
    {
        response(
            page(
                title: title, viewer: viewer,
                body: "<p class=\"refusal\" role=\"alert\"><code>\(code)</code> \(message)</p>"),
            status: status)
    }

    /// `303 See Other` to `location`, with extra headers (a cookie) when given.
    static func redirect(to location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: fields)
    }

    private static func navigation(_ viewer: Viewer?) -> HTML {
        guard let viewer else { return "<nav></nav>" }
        return """
            <nav><a href="/dash/applicants">Applicants</a><a href="/dash/network">Network</a>\
            <a href="/dash/model">Model</a></nav><div class="member">Signed in as <strong>\(viewer.name)</strong> \
            <span class="id" title="\(viewer.id)">\(String(viewer.id.prefix(8)))…</span>\
            <form method="post" action="/dash/signout"><button type="submit">Sign out</button></form></div>
            """
    }

    /// The stylesheet, `Resources/dashboard.css`, inline in every page.
    static let css = HTML(raw: String(decoding: PackageResources.dashboard_css, as: UTF8.self))
}
