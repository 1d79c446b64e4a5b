import FacetHTML
import Testing

/// The one escaping of the dashboard and the scorecard report: text interpolated into `HTML` is escaped, markup
/// interpolated as `HTML` is kept as it is.
@Suite struct HTMLTests {
    @Test func interpolatedTextIsEscapedAndMarkupKept() {
        let name = "<script>alert('x')</script> & \"quoted\""
        let cell: HTML = "<td title=\"\(name)\">\(name)</td>"
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
        #expect(cell.raw == "<td title=\"\(escaped)\">\(escaped)</td>")
        #expect(HTML.escape(name) == escaped)
        let bold: HTML = "<b>\(7)</b>"
        var row: HTML = "<tr>\(bold)"
        row += "<td>\(-12)</td></tr>"
        #expect(row.raw == "<tr><b>7</b><td>-12</td></tr>")
        #expect(HTML.join(["<i>a</i>", "<i>b</i>"], separator: ", ").raw == "<i>a</i>, <i>b</i>")
        #expect(HTML(raw: "<style>a{b:c}</style>").raw == "<style>a{b:c}</style>", "a file's markup as it is")
    }

    @Test func textWithoutSpecialCharactersIsUnchanged() {
        let text = "Shuibei gold 12.5 % · 金 — ▲"
        #expect(HTML.escape(text) == text)
        #expect(("\(text)" as HTML).raw == text)
    }
}
