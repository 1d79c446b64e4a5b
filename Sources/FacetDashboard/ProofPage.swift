import FacetAPI
import FacetCore
import FacetHTML
import FacetLedger
import FacetNode
import Foundation
import Hummingbird
import NIOCore

/// A transaction's record and its proof, checked in the viewer's browser: the page shows what the node says (kind,
/// signer, block height and time), and `verify.js` fetches the proof bundle and the genesis and verifies the bundle
/// itself (`contracts/proof-bundle.md`), trusting only the genesis, whose hash it shows; an auditor can paste their
/// own genesis instead. The verdict is `<output id="verdict" data-verdict="verified|failed">`, each step listed.
/// Other pages link a record's proof as `/dash/proof/{transaction id}` (`ProofPage.path`).
enum ProofPage {
    /// What the node knows of an accepted, committed transaction.
    struct Data {
        var id: TransactionID
        var kind: String
        var signer: MemberID
        /// The signer's name, when it is a member (it always is for an accepted transaction).
        var signerName: String?
        var height: UInt64
        var blockTime: Timestamp
        var logIndex: UInt64
    }

    /// The page of a transaction's proof, for links from other pages.
    static func path(_ id: TransactionID) -> String { "/dash/proof/\(id.hex)" }

    static let scriptPath = "/dash/verify.js"

    static func render(_ data: Data) -> HTML {
        let bundle = "/dash/proof/\(data.id.hex)/bundle"
        return """
            <section id="proof-page" data-txid="\(data.id.hex)" data-bundle="\(bundle)" data-genesis="/v1/genesis">
            <div class="figures">\
            \(figure("Kind", data.kind, id: "kind"))\
            \(figure("Signer", data.signerName ?? short(data.signer.hash), id: "signer"))\
            \(figure("Block height", String(data.height), id: "height"))\
            \(figure("Block time", DashboardFormat.dateTime(data.blockTime), id: "time"))\
            \(figure("Log index", String(data.logIndex), id: "log-index"))\
            </div>
            <p>Transaction <code>\(data.id.hex)</code> signed by member <code>\(data.signer.hash.hex)</code>. \
            <a href="\(bundle)">The proof bundle (JSON)</a></p>
            <h2>Checked in this browser</h2>
            <p>The script below verifies the bundle here, trusting nothing this node says but the genesis: the \
            transaction's signature, its inclusion in the log, the block header and its quorum certificate, and \
            every validator-set change back to genesis.</p>
            <p><output id="verdict" data-verdict="pending" aria-live="polite">Verifying…</output></p>
            <ol id="steps" class="steps"></ol>
            <p>Trusted genesis hash: <code id="genesis-hash">not read yet</code> \
            (<span id="genesis-source">this node's /v1/genesis</span>). Compare it with your own copy of the \
            genesis, or paste that copy below to verify against it.</p>
            <form id="reverify" class="signin">\
            <label>Your genesis JSON<textarea name="genesis" id="genesis-input" rows="6" spellcheck="false">\
            </textarea></label>\
            <label>A bundle JSON (leave empty for this transaction's)<textarea name="bundle" id="bundle-input" \
            rows="4" spellcheck="false"></textarea></label>\
            <button type="submit">Verify again</button></form>
            <noscript><p class="warning">Verifying needs JavaScript; \
            <code>facet verify BUNDLE --genesis GENESIS</code> checks the same bundle offline.</p></noscript>
            </section>
            <script src="\(scriptPath)"></script>
            """
    }

    private static func figure(_ label: String, _ value: String, id: String) -> HTML {
        "<div class=\"figure\" id=\"figure-\(id)\">\(label)<b>\(value)</b></div>"
    }

    private static func short(_ hash: Hash256) -> String { String(hash.hex.prefix(10)) + "…" }

    /// `verify.js`, public (it holds nothing private, and an auditor may load it into their own page).
    static func scriptResponse() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: script)))
    }

    /// The verifier (`Resources/verify.js`), a port of `contracts/vectors/verify_bundle.py` to plain browser
    /// JavaScript (Web Crypto's SHA-256 and Ed25519, no libraries): the same checks in the same order with the same
    /// codes. It exports `FacetVerify.verifyBundle(bundleText, genesisText)` and, on the proof page, runs it and shows
    /// the steps. Served as `tables` followed by the file.
    static let script = tables + String(decoding: PackageResources.verify_js, as: UTF8.self)

    /// The tables `verify.js` reads, from the Swift ones: `const FACET_TABLES = {...};` on one line, JSON (sorted
    /// keys) with the transaction kinds by tag, the role names in bit order, the limits and the signature purposes.
    static var tables: String {
        struct Tables: Encodable {
            var kinds: [String: String]
            var roles: [String]
            var limits: [String: Int64]
            var purposes: [String: UInt8]
        }
        precondition(
            Roles.named.map(\.role.rawValue).sorted() == (0..<Roles.named.count).map { 1 << $0 },
            "verify.js numbers the roles by their place in the list: one bit each, from bit 0, none skipped")
        let tables = Tables(
            kinds: Dictionary(uniqueKeysWithValues: TransactionKindName.names.map { (String($0.key), $0.value) }),
            roles: Roles.named.sorted { $0.role.rawValue < $1.role.rawValue }.map(\.name),
            limits: [
                "maxTransactionBytes": Int64(Limits.maxTransactionBytes), "maxLabelBytes": Int64(Limits.maxLabelBytes),
                "maxValidators": Int64(Limits.maxValidators), "maxProofLength": Int64(MerkleTree.maxProofLength),
                "maxProofTransitions": Int64(Limits.maxProofTransitions),
                "maxTimestampMillis": Limits.maxTimestampMillis,
            ],
            purposes: [
                "transaction": SignaturePurpose.transaction.rawValue, "precommit": SignaturePurpose.precommit.rawValue,
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(tables) else { preconditionFailure("the tables are plain JSON") }
        return "const FACET_TABLES = \(String(decoding: json, as: UTF8.self));\n"
    }
}
