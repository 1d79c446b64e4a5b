import FacetAPI
import FacetNode
import HTTPTypes
import Hummingbird
import NIOCore

/// The page around every dashboard view: a header naming the member signed in, with the sign-out button, the
/// navigation (Applicants, Network, Model), and one inline stylesheet that lays tables and charts out for a laptop
/// and, below 640 pixels, for a phone (tables scroll sideways inside their box, charts scale to the width).
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

    static let css: HTML = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;\
        color:#1b1b1b;background:#fafafa}header{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:center;\
        padding:.6rem 1rem;background:#1b1b1b;color:#fff}header a{color:#fff}.brand{font-weight:700;\
        text-decoration:none}nav{display:flex;gap:1rem}.member{margin-left:auto;display:flex;gap:.5rem;\
        align-items:center}.member form{margin:0}.id{font-family:ui-monospace,monospace;opacity:.8}\
        main{max-width:1100px;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.4rem 0 1rem}\
        h2{font-size:1.1rem;margin:1.5rem 0 .5rem}.table{overflow-x:auto;border:1px solid #ddd;background:#fff}\
        table{border-collapse:collapse;width:100%;min-width:560px}th,td{padding:.4rem .6rem;text-align:left;\
        border-bottom:1px solid #eee;vertical-align:top}td.num,th.num{text-align:right;\
        font-variant-numeric:tabular-nums}th button{font:inherit;font-weight:600;background:none;border:0;\
        padding:0;cursor:pointer}.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));\
        gap:.75rem}.figure{background:#fff;border:1px solid #ddd;padding:.6rem}.figure b{display:block;\
        font-size:1.3rem}.chart{width:100%;height:auto;background:#fff;border:1px solid #ddd}.refusal{padding:.8rem;\
        border:2px solid #8b0000;background:#fff}.warning{border-left:4px solid #8b0000;padding:.3rem .6rem;\
        background:#fff}.badge{display:inline-block;padding:0 .35rem;border-radius:3px;font-size:.8em;\
        font-weight:600}.badge.suspended{background:#8b0000;color:#fff}\
        .filters{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0}code,.mono{\
        font-family:ui-monospace,monospace;word-break:break-all}form.signin{display:grid;gap:.6rem;max-width:640px}\
        input,textarea,select,button{font:inherit;padding:.35rem}textarea{width:100%}\
        button{white-space:nowrap}@media (max-width:640px){body{font-size:14px}main{padding:.6rem}\
        .member{margin-left:0;flex-basis:100%;flex-wrap:wrap}svg.chart text{font-size:14px}\
        h1{font-size:1.2rem}}
        """
}
