import FacetCore
import Foundation
import Testing

@testable import FacetClient

/// The `Authorization` header of private reads, checked the way a node checks it: parse, then verify the signature
/// with the member's public key over `METHOD\nPATH?QUERY\ntime` (purpose signIn, the chain id).
@Suite struct RequestSignatureTests {
    let signer: MemberKey
    let chainID: Label

    init() throws {
        signer = MemberKey(firstKey: try SigningKey(seed: Array(repeating: 1, count: 32)))
        chainID = try Label("facet-test")
    }

    @Test func headerVerifiesUnderTheMembersKey() throws {
        let path = "/v1/members/\(signer.member.hex)/invoices?from=1767225600000&to=1769904000000"
        let header = RequestSignature(
            method: "GET", pathAndQuery: path, timeMillis: 1_767_300_000_123, chainID: chainID, signer: signer
        ).description
        #expect(header.hasPrefix("Facet member=\(signer.member.hex), time=1767300000123, signature="))
        let parsed = try #require(RequestSignature(header: header))
        #expect(parsed.member == signer.member)
        #expect(parsed.timeMillis == 1_767_300_000_123)
        // The node's check, spelled out: the signed text and the domain prefix of contracts/encoding.md.
        let text = Array("GET\n\(path)\n1767300000123".utf8)
        #expect(signer.key.publicKey.verify(parsed.signature, purpose: .signIn, chainID: chainID, payload: text))
        #expect(parsed.verifies(method: "GET", pathAndQuery: path, chainID: chainID, key: signer.key.publicKey))
    }

    @Test func signatureBindsMethodPathQueryTimeChainAndPurpose() throws {
        let path = "/v1/members/\(signer.member.hex)/loans"
        let signature = RequestSignature(
            method: "GET", pathAndQuery: path, timeMillis: 1000, chainID: chainID, signer: signer)
        let key = signer.key.publicKey
        #expect(signature.verifies(method: "GET", pathAndQuery: path, chainID: chainID, key: key))
        #expect(!signature.verifies(method: "POST", pathAndQuery: path, chainID: chainID, key: key))
        #expect(!signature.verifies(method: "GET", pathAndQuery: path + "?from=0", chainID: chainID, key: key))
        #expect(!signature.verifies(method: "GET", pathAndQuery: path, chainID: try Label("facet-other"), key: key))
        let later = RequestSignature(member: signature.member, timeMillis: 1001, signature: signature.signature)
        #expect(!later.verifies(method: "GET", pathAndQuery: path, chainID: chainID, key: key))
        let payload = RequestSignature.payload(method: "GET", pathAndQuery: path, timeMillis: 1000)
        #expect(!key.verify(signature.signature, purpose: .transaction, chainID: chainID, payload: payload))
        let other = try SigningKey(seed: Array(repeating: 2, count: 32)).publicKey
        #expect(!signature.verifies(method: "GET", pathAndQuery: path, chainID: chainID, key: other))
    }

    @Test func clientSignsThePathAndQueryItSends() throws {
        let client = NodeClient(baseURL: URL(string: "http://127.0.0.1:7700")!, now: { 1_767_300_000_000 })
        let from = try Timestamp(millis: 1_767_225_600_000)
        let to = try Timestamp(millis: 1_769_904_000_000)
        let path = NodeClient.path(signer.member, "invoices", from: from, to: to)
        #expect(path == "/v1/members/\(signer.member.hex)/invoices?from=1767225600000&to=1769904000000")
        #expect(NodeClient.path(signer.member, "payments", to: to).hasSuffix("/payments?to=1769904000000"))
        #expect(NodeClient.path(signer.member, "pledges") == "/v1/members/\(signer.member.hex)/pledges")
        let header = client.authorization(pathAndQuery: path, chainID: chainID, signer: signer)
        let parsed = try #require(RequestSignature(header: header))
        #expect(parsed.timeMillis == 1_767_300_000_000)
        #expect(parsed.verifies(method: "GET", pathAndQuery: path, chainID: chainID, key: signer.key.publicKey))
    }

    @Test func malformedHeadersDoNotParse() {
        let id = signer.member.hex
        let signature = String(repeating: "0", count: 128)
        #expect(RequestSignature(header: "Facet member=\(id), time=1, signature=\(signature)") != nil)
        #expect(RequestSignature(header: "Bearer member=\(id), time=1, signature=\(signature)") == nil)
        #expect(RequestSignature(header: "Facet member=\(id), time=x, signature=\(signature)") == nil)
        #expect(RequestSignature(header: "Facet member=\(id), time=1") == nil)
        #expect(RequestSignature(header: "Facet member=\(id), time=1, time=2, signature=\(signature)") == nil)
    }

    @Test func aRotatedKeySignsForItsMembersFirstId() throws {
        let rotated = try SigningKey(seed: Array(repeating: 3, count: 32))
        let member = MemberKey(member: signer.member, key: rotated)
        let header = RequestSignature(
            method: "GET", pathAndQuery: "/v1/members/\(signer.member.hex)/loans", timeMillis: 5, chainID: chainID,
            signer: member)
        #expect(header.member == signer.member)
        #expect(
            header.verifies(
                method: "GET", pathAndQuery: "/v1/members/\(signer.member.hex)/loans", chainID: chainID,
                key: rotated.publicKey))
    }
}
