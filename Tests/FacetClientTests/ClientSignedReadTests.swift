import FacetCore
import FacetLedger
import Foundation
import Testing

@testable import FacetClient

/// The `Authorization` header the client builds, checked the way a node checks it: parse, then verify the signature
/// with the member's public key over `METHOD\nPATH?QUERY\ntime\nnode\nnonce` (purpose signIn, the chain id).
@Suite struct ClientSignedReadTests {
    let signer: MemberKey
    let chainID: Label
    let node = MemberID(SHA256Hash.digest(Array("node".utf8)))

    init() throws {
        signer = MemberKey(firstKey: try SigningKey(seed: Array(repeating: 1, count: 32)))
        chainID = try Label("facet-test")
    }

    @Test func clientSignsThePathAndQueryForTheNodeWithAFreshNonce() throws {
        let client = NodeClient(baseURL: URL(string: "http://127.0.0.1:7700")!, now: { 1_767_300_000_000 })
        let from = try Timestamp(millis: 1_767_225_600_000)
        let to = try Timestamp(millis: 1_769_904_000_000)
        let path = NodeClient.path(signer.member, "invoices", from: from, to: to)
        #expect(path == "/v1/members/\(signer.member.hex)/invoices?from=1767225600000&to=1769904000000")
        #expect(NodeClient.path(signer.member, "pledges") == "/v1/members/\(signer.member.hex)/pledges")
        let header = client.authorization(pathAndQuery: path, chainID: chainID, node: node, signer: signer)
        let parsed = try #require(SignedRead(header: header))
        #expect(parsed.time == 1_767_300_000_000 && parsed.member == signer.member && parsed.node == node)
        let nonce = try #require(parsed.nonce)
        #expect(parsed.verifies(method: "GET", target: path, key: signer.key.publicKey, chainID: chainID))
        // The node's check, spelled out: the signed text and the domain prefix of contracts/encoding.md.
        let text = Array("GET\n\(path)\n1767300000000\n\(node.hex)\n\(Hex.encode(nonce))".utf8)
        #expect(signer.key.publicKey.verify(parsed.signature, purpose: .signIn, chainID: chainID, payload: text))
        let again = try #require(
            SignedRead(header: client.authorization(pathAndQuery: path, chainID: chainID, node: node, signer: signer)))
        #expect(again.nonce != parsed.nonce && again.signature != parsed.signature, "two reads, two signatures")
    }

    @Test func signatureBindsMethodTargetTimeChainNodeAndNonce() throws {
        let path = "/v1/members/\(signer.member.hex)/loans"
        let nonce = [UInt8](repeating: 9, count: SignedRead.nonceBytes)
        let signed = SignedRead.sign(
            method: "GET", target: path, time: 1000, member: signer.member, key: signer.key, chainID: chainID,
            node: node, nonce: nonce)
        let key = signer.key.publicKey
        #expect(signed.verifies(method: "GET", target: path, key: key, chainID: chainID))
        #expect(!signed.verifies(method: "POST", target: path, key: key, chainID: chainID))
        #expect(!signed.verifies(method: "GET", target: path + "?from=0", key: key, chainID: chainID))
        #expect(!signed.verifies(method: "GET", target: path, key: key, chainID: try Label("facet-other")))
        let otherNode = SignedRead(
            member: signed.member, time: 1000, node: MemberID(SHA256Hash.digest([1])), nonce: nonce,
            signature: signed.signature)
        #expect(!otherNode.verifies(method: "GET", target: path, key: key, chainID: chainID))
        let otherNonce = SignedRead(
            member: signed.member, time: 1000, node: node, nonce: [UInt8](repeating: 8, count: 16),
            signature: signed.signature)
        #expect(!otherNonce.verifies(method: "GET", target: path, key: key, chainID: chainID))
        let unbound = SignedRead(member: signed.member, time: 1000, signature: signed.signature)
        #expect(!unbound.verifies(method: "GET", target: path, key: key, chainID: chainID))
    }

    @Test func malformedHeadersDoNotParse() {
        let id = signer.member.hex
        let signature = String(repeating: "0", count: 128)
        let nonce = String(repeating: "ab", count: 16)
        let bound = "node=\(node.hex), nonce=\(nonce)"
        #expect(SignedRead(header: "Facet member=\(id), \(bound), time=1, signature=\(signature)") != nil)
        #expect(SignedRead(header: "Facet member=\(id), time=1, signature=\(signature)")?.node == nil)
        #expect(SignedRead(header: "Facet member=\(id), node=\(node.hex), time=1, signature=\(signature)") == nil)
        #expect(SignedRead(header: "Facet member=\(id), nonce=\(nonce), time=1, signature=\(signature)") == nil)
        #expect(SignedRead(header: "Facet member=\(id), node=\(node.hex), nonce=ab, time=1, signature=\(signature)") == nil)
        #expect(SignedRead(header: "Bearer member=\(id), time=1, signature=\(signature)") == nil)
        #expect(SignedRead(header: "Facet member=\(id), \(bound), time=x, signature=\(signature)") == nil)
        #expect(SignedRead(header: "Facet member=\(id), \(bound), time=1, time=2, signature=\(signature)") == nil)
    }
}
