import FacetCore
import FacetHTML
@testable import FacetDashboard
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// The proof page (`/dash/proof/{id}`), its verifier script and the genesis route it trusts. The script's checks run
/// in a browser (`DashboardProofBrowserTests`); here, what the node serves.
@Suite struct DashboardProofTests {
    @Test func theProofPageShowsTheRecordToASignedInMemberAndLoadsTheVerifier() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1)) { node in
            var f = LedgerFixture(validators: 1)
            let register = f.sign(
                "firmA",
                .registerPiece(
                    .init(card: IdentityCard(category: .gold, weight: 50_000, fineness: 999), certificate: nil)))
            try await APICreditTests.queue(node, [register])
            let path = "/dash/proof/\(register.id.hex)"

            let anonymous = try await node.client.get(path)
            #expect(anonymous.status == 303, "a page needs a session: \(anonymous)")
            #expect(anonymous.header("Location") == "/dash/signin")

            // A member who is not a party gets the same 404 as for no transaction at all.
            let stranger = try await DashboardTests.signIn(node, f.actor("firmB"))
            let hidden = try await node.client.get(path, headers: [("Cookie", stranger)])
            #expect(hidden.status == 404, "\(hidden)")
            let hiddenBundle = try await node.client.get(path + "/bundle", headers: [("Cookie", stranger)])
            #expect(hiddenBundle.status == 404, "\(hiddenBundle)")

            let session = try await DashboardTests.signIn(node, f.actor("firmA"))
            let page = try await node.client.get(path, headers: [("Cookie", session)])
            #expect(page.status == 200, "\(page)")
            let html = page.text
            let stored = try #require(try await node.store.transaction(register.id))
            let block = try #require(try await node.store.block(at: stored.height))
            #expect(html.contains("id=\"figure-kind\">Kind<b>register_piece</b>"))
            #expect(html.contains("id=\"figure-signer\">Signer<b>firmA</b>"))
            #expect(html.contains("id=\"figure-height\">Block height<b>\(stored.height)</b>"))
            #expect(html.contains("<b>\(DashboardFormat.dateTime(block.header.time))</b>"), "the block time")
            #expect(html.contains("data-bundle=\"/dash/proof/\(register.id.hex)/bundle\""))
            let bundle = try await node.client.get(path + "/bundle", headers: [("Cookie", session)])
            #expect(bundle.status == 200 && (try? ProofBundle(json: Data(bundle.body))) != nil, "the page's bundle")
            #expect(html.contains("data-genesis=\"/v1/genesis\""))
            #expect(html.contains("<output id=\"verdict\" data-verdict=\"pending\""))
            #expect(html.contains("<textarea name=\"genesis\""), "an auditor can paste their own genesis")
            #expect(html.contains("<script src=\"/dash/verify.js\"></script>"))
            #expect(ProofPage.path(register.id) == path, "the link other pages use")

            let missing = try await node.client.get(
                "/dash/proof/\(String(repeating: "0", count: 64))", headers: [("Cookie", session)])
            #expect(missing.status == 404)
            #expect(missing.text.contains("<code>api.not_found</code>"), "refused as the proof route refuses")
            let badID = try await node.client.get("/dash/proof/xyz", headers: [("Cookie", session)])
            #expect(badID.status == 400)
            #expect(badID.text.contains("<code>api.bad_id</code>"))
        }
    }

    @Test func theVerifierScriptIsServedAsJavaScript() async throws {
        try await APITestNode.with(LedgerFixture(validators: 1)) { node in
            let script = try await node.client.get("/dash/verify.js")
            #expect(script.status == 200, "no session needed: \(script)")
            #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(script.text == ProofPage.script)
            for code in [
                "proof.malformed", "proof.wrong_chain", "proof.validator_chain", "proof.certificate", "proof.signature",
                "proof.inclusion",
            ] {
                #expect(script.text.contains("'\(code)'"), "reports \(code)")
            }
            #expect(script.text.contains("globalThis.FacetVerify = { verifyBundle"))
            #expect(script.text.contains("crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }"))
        }
    }

    @Test func theGenesisRouteAnswersTheGenesisFileWithTheNodesHash() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            let response = try await node.client.get("/v1/genesis")
            #expect(response.status == 200, "\(response)")
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            let genesis = try Genesis(json: Data(response.body))
            let nodeGenesis = await node.node.genesis
            #expect(genesis.hash == nodeGenesis.hash)
            #expect(genesis.hash == fixture.genesis.hash)
            #expect(Data(response.body) == (try fixture.genesis.jsonData()), "the genesis file's exact bytes")
        }
    }
}
