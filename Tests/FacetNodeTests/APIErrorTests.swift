import FacetAPI
import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetTestSupport
import Foundation
import Testing

/// Every error class of the contract, each with its code, and never a 500 for bad input.
@Suite struct APIErrorTests {
    @Test func malformedInputIs400WithACode() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let forged = f.sign(
                "firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)), key: f.actor("firmB").key)
            let valid = f.sign("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
            let otherChain = Transaction.signed(
                chainID: try Label("other-chain"), signer: f.id("firmA"), nonce: 9, body: valid.body,
                key: f.actor("firmA").key)
            let cases: [(String, String, String)] = [
                ("not JSON", "{transaction:", "api.malformed_json"),
                ("missing field", #"{"tx": "00"}"#, "api.malformed_json"),
                ("wrong type", #"{"transaction": 12}"#, "api.malformed_json"),
                ("an array", #"["00"]"#, "api.malformed_json"),
                ("empty body", "", "api.malformed_json"),
                ("odd hex", #"{"transaction": "abc"}"#, "api.bad_hex"),
                ("not hex", #"{"transaction": "zz"}"#, "api.bad_hex"),
                ("truncated", #"{"transaction": "01"}"#, "encoding.truncated"),
                ("empty", #"{"transaction": ""}"#, "encoding.truncated"),
                (
                    "trailing", #"{"transaction": "\#(Hex.encode(valid.canonicalBytes + [0]))"}"#,
                    "encoding.trailing_bytes"
                ),
                ("bad signature", #"{"transaction": "\#(Hex.encode(forged.canonicalBytes))"}"#, "tx.bad_signature"),
                ("other chain", #"{"transaction": "\#(Hex.encode(otherChain.canonicalBytes))"}"#, "tx.wrong_chain"),
            ]
            for (name, body, code) in cases {
                let response = try await node.client.post("/v1/transactions", json: body)
                #expect(response.status == 400, "\(name): \(response)")
                #expect(response.code == code, "\(name): \(response)")
                #expect((response.object["message"] as? String)?.isEmpty == false, "\(name): \(response)")
            }
            #expect(try await node.submit([valid]).first?.status == 202)
            let replay = try await node.submit([valid])
            #expect(replay.first?.status == 400 && replay.first?.code == "mempool.duplicate")

            let ids: [(String, String)] = [
                ("/v1/transactions/xyz", "api.bad_id"),
                ("/v1/transactions/\(valid.id.hex.uppercased())", "api.bad_id"),
                ("/v1/transactions/\(valid.id.hex.dropLast())", "api.bad_id"),
                ("/v1/transactions/\(valid.id.hex)0/proof", "api.bad_id"),
                ("/v1/pieces/1234", "api.bad_id"),
                ("/v1/members/%20", "api.bad_id"),
                ("/v1/members/abc/invoices", "api.bad_id"),
                ("/v1/blocks/0", "api.bad_height"),
                ("/v1/blocks/-1", "api.bad_height"),
                ("/v1/blocks/1e3", "api.bad_height"),
                ("/v1/blocks/99999999999999999999999", "api.bad_height"),
                ("/v1/members/\(f.id("firmA").hex)/invoices?from=yesterday", "api.bad_query"),
                ("/v1/members/\(f.id("firmA").hex)/invoices?from=10&to=5", "api.bad_query"),
                ("/v1/members/\(f.id("firmA").hex)/payments?to=-5", "api.bad_query"),
            ]
            for (target, code) in ids {
                let response = try await node.client.get(target)
                #expect(response.status == 400 && response.code == code, "\(target): \(response)")
            }
        }
    }

    @Test func unknownThingsAre404() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            let unknown = String(repeating: "0f", count: 32)
            for target in [
                "/v1/transactions/\(unknown)", "/v1/transactions/\(unknown)/proof", "/v1/blocks/7",
                "/v1/pieces/\(unknown)", "/v2/status", "/", "/v1/transactions/\(unknown)/proof/extra", "/metrics/x",
            ] {
                let response = try await node.client.get(target)
                #expect(response.status == 404 && response.code == "api.not_found", "\(target): \(response)")
            }
            // The registry is read by members: unsigned, 401; signed, an unknown member is 404.
            #expect(try await node.client.get("/v1/members/\(unknown)").status == 401)
            let member = try await node.signedGet("/v1/members/\(unknown)", as: fixture.actor("firmA"))
            #expect(member.status == 404 && member.code == "api.not_found", "\(member)")
            let wrongMethod = try await node.client.request("DELETE", "/v1/status")
            #expect(wrongMethod.status == 404 && wrongMethod.code == "api.not_found")
        }
    }

    /// A body over the limit is refused with 413 whether it declares its length or streams in chunks.
    @Test func oversizedBodiesAre413() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            let huge = #"{"transaction": ""# + String(repeating: "ab", count: NodeAPI.maxBodyBytes) + #""}"#
            let declared = try await node.client.post("/v1/transactions", json: huge)
            #expect(declared.status == 413 && declared.code == "api.too_large", "\(declared)")

            var chunked = Array("POST /v1/transactions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 8_192)
            for _ in 0..<(NodeAPI.maxBodyBytes / piece.count + 2) {
                chunked += Array("2000\r\n".utf8) + piece + Array("\r\n".utf8)
            }
            chunked += Array("0\r\n\r\n".utf8)
            let streamed = try await node.client.raw(chunked)
            #expect(streamed.status == 413 && streamed.code == "api.too_large", "\(streamed)")

            // Just under the limit is read, then refused for what it is.
            let under = #"{"transaction": ""# + String(repeating: "ab", count: Limits.maxTransactionBytes + 1) + #""}"#
            let decoded = try await node.client.post("/v1/transactions", json: under)
            #expect(decoded.status == 400 && decoded.code == "encoding.over_limit", "\(decoded)")
        }
    }

    @Test func aFullMempoolIs429() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture, mempool: Mempool.Bounds(maxCount: 2, maxBytes: 1 << 20)) { node in
            var f = fixture
            let card = IdentityCard(category: .gold, weight: 1_000, fineness: 999)
            let transactions = (0..<3).map { _ in f.sign("firmA", .registerPiece(.init(card: card, certificate: nil))) }
            let responses = try await node.submit(transactions)
            #expect(responses.map(\.status) == [202, 202, 429])
            #expect(responses[2].code == "mempool.full")
            try await node.commitBlock()
            #expect(try await node.submit([transactions[2]]).first?.status == 202, "room again after a block")
        }
    }

    /// A store that is down answers 503 with its code, never its reason; health says so too.
    @Test func aStoreThatIsDownIs503() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            try await node.store.close()
            for target in ["/healthz", "/v1/blocks/latest", "/v1/transactions/\(String(repeating: "1", count: 64))"] {
                let response = try await node.signedGet(target, as: fixture.actor("firmA"))
                #expect(response.status == 503 && response.code == "store.closed", "\(target): \(response)")
                #expect(response.object["message"] as? String == "the node cannot answer now; try again later")
            }
        }
    }

    /// Seeded garbage: random methods, paths built from the routes and junk, random headers and bodies. Whatever
    /// comes in, the answer is a documented status, and every refusal a JSON `{code, message}`.
    @Test(arguments: [1, 2, 3] as [UInt64]) func garbageNeverYields500(seed: UInt64) async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            var random = SeededRandom(seed: seed)
            let member = fixture.id("firmA").hex
            let allowed: Set<Int> = [200, 202, 400, 401, 403, 404, 413, 429]
            var seen = Set<Int>()
            for round in 0..<150 {
                let request = GarbageRequest.make(&random, member: member, maxBody: NodeAPI.maxBodyBytes)
                let response = try await node.client.request(
                    request.method, request.target, headers: request.headers, body: request.body)
                let label = "seed \(seed) round \(round): \(request.method) \(request.target)"
                #expect(response.status != 500 && allowed.contains(response.status), "\(label) → \(response)")
                seen.insert(response.status)
                if response.status >= 400 {
                    #expect(response.code?.contains(".") == true, "\(label) → \(response)")
                }
            }
            #expect(seen.isSuperset(of: [200, 400, 404]), "the garbage reached every class: \(seen.sorted())")
            #expect(try await node.client.get("/healthz").status == 200, "the node still serves after the garbage")
        }
    }
}

/// One random request for `garbageNeverYields500`.
struct GarbageRequest {
    var method: String
    var target: String
    var headers: [(String, String)]
    var body: [UInt8]?

    static func make(_ random: inout SeededRandom, member: String, maxBody: Int) -> GarbageRequest {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let junk = [
            "", "x", "..", "%00", "%ff%fe", "latest", "0", "-1", "18446744073709551616",
            String(repeating: "a", count: 64),
            String(repeating: "f", count: 63), member, member.uppercased(), "proof", "%2e%2e", "~", "a;b", "null",
            "\u{00e9}",
        ].map { $0.addingPercentEncodingForPath }
        let paths = [
            "/v1/transactions", "/v1/transactions/\(pick(junk))", "/v1/transactions/\(pick(junk))/proof",
            "/v1/blocks/\(pick(junk))", "/v1/pieces/\(pick(junk))", "/v1/members", "/v1/members/\(pick(junk))",
            "/v1/members/\(pick(junk))/\(pick(["invoices", "payments", "pledges", "loans", "x"]))", "/v1/status",
            "/healthz", "/metrics", "/\(pick(junk))/\(pick(junk))", "/v1//\(pick(junk))",
        ]
        var target = pick(paths)
        if random.next() % 3 == 0 {
            target += "?" + pick(["from=\(pick(junk))", "to=1&from=2", "from=0&to=99999999999999999", "a=b&&c", "%zz"])
        }
        var headers = [(String, String)]()
        if random.next() % 3 == 0 {
            headers.append(
                (
                    "Authorization",
                    pick([
                        "Facet member=\(member), time=\(random.next() % 2_000_000_000_000), signature=\(String(repeating: "0", count: 128))",
                        "Facet", "Facet member=, time=, signature=", "Basic Zm9vOmJhcg==", "Facet member=\(member)",
                    ])
                ))
        }
        if random.next() % 4 == 0 { headers.append(("Content-Type", pick(["text/plain", "application/json", "x/y"]))) }
        var body: [UInt8]?
        let method = pick(["GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
        if method != "GET" || random.next() % 5 == 0 {
            switch random.next() % 5 {
            case 0: body = (0..<Int(random.next() % 256)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1:
                body = Array(#"{"transaction": "\#(String(repeating: "ab", count: Int(random.next() % 300)))"}"#.utf8)
            case 2: body = Array(#"{"transaction": null, "extra": [1, 2, {"#.utf8)
            case 3: body = [UInt8](repeating: UInt8(ascii: "7"), count: maxBody + Int(random.next() % 1000))
            default: body = []
            }
        }
        return GarbageRequest(method: method, target: target, headers: headers, body: body)
    }
}

extension String {
    /// Percent-encodes what may not appear raw in a path segment, keeping the junk's shape otherwise.
    fileprivate var addingPercentEncodingForPath: String {
        addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#")))
            ?? ""
    }
}
