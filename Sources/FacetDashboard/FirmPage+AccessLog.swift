import FacetAPI
import FacetCore
import FacetHTML
import FacetNode
import FacetWire

/// "Who read my data": the firm's access log on its own page (`NodeAPI.firmPageAccessLog`), newest first.
extension FirmPage {
    /// Receipts listed on the page; `facet query access-log` pages through the rest.
    static let accessLogLimit = 50

    /// Nothing when `log` is nil (the viewer is not the firm).
    static func accessLog(_ log: APIJSON.AccessLogBody?) -> HTML {
        guard let log else { return .empty }
        let intro: HTML = """
            <p>Reads of your records by lenders you consented to and by auditors, as this node served them, newest \
            first; your own reads and your counterparties' are not listed. Reads of the same thing by the same reader \
            within a minute are one line.</p>
            """
        guard !log.receipts.isEmpty else {
            return """
                <section id="access-log"><h2>Who read my data</h2>\(intro)\
                <p>No one else has read your data on this node.</p></section>
                """
        }
        let more: HTML =
            log.next == nil
            ? .empty
            : """
            <p><small>The newest \(log.receipts.count); <code>facet query access-log</code> lists the older ones.\
            </small></p>
            """
        return """
            <section id="access-log"><h2>Who read my data</h2>\(intro)<div class="table"><table><thead><tr>\
            <th>When</th><th>Who</th><th>What</th><th>Under</th><th class="num">Height</th>\
            <th class="num">Reads</th></tr></thead><tbody>\(log.receipts.map(receipt))</tbody></table></div>\(more)\
            </section>
            """
    }

    private static func receipt(_ receipt: APIJSON.AccessReceiptBody) -> HTML {
        let under: String =
            if let granted = receipt.consentGrantedAt, let time = try? Timestamp(millis: granted) {
                "your consent of \(DashboardFormat.dateTime(time))"
            } else if receipt.basis == .auditor {
                "auditor"
            } else {
                receipt.basis.rawValue
            }
        let when = (try? Timestamp(millis: receipt.at)).map(DashboardFormat.dateTime) ?? "\(receipt.at) ms"
        return """
            <tr data-reader="\(receipt.reader)" data-what="\(receipt.what)" data-basis="\(receipt.basis.rawValue)">\
            <td>\(when)</td><td>\(receipt.readerName ?? "unknown member") <code class="mono" \
            title="\(receipt.reader)">\(String(receipt.reader.prefix(10)))</code></td><td><code>\(receipt.what)</code>\
            </td><td>\(under)</td><td class="num">\(receipt.height)</td><td class="num">\(receipt.count)</td></tr>
            """
    }
}
