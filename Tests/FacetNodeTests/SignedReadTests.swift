import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// The `Authorization` header of private reads, and the access rule, without a server.
@Suite struct SignedReadTests {
    let fixture = LedgerFixture(validators: 1)

    @Test func aSignedHeaderRoundTripsAndBindsMethodTargetTimeAndChain() throws {
        let firm = fixture.actor("firmA")
        let chain = fixture.genesis.params.chainID
        let signed = SignedRead.sign(
            method: "GET", target: "/v1/members/x/invoices?from=1", time: 1_767_225_600_000, member: firm.id,
            key: firm.key, chainID: chain)
        let parsed = try #require(SignedRead(header: signed.headerValue))
        #expect(parsed == signed)
        let key = firm.key.publicKey
        #expect(parsed.verifies(method: "GET", target: "/v1/members/x/invoices?from=1", key: key, chainID: chain))
        #expect(!parsed.verifies(method: "POST", target: "/v1/members/x/invoices?from=1", key: key, chainID: chain))
        #expect(!parsed.verifies(method: "GET", target: "/v1/members/x/invoices", key: key, chainID: chain))
        #expect(
            !parsed.verifies(method: "GET", target: "/v1/members/x/invoices?from=1", key: key, chainID: try Label("x")))
        let later = SignedRead(member: parsed.member, time: parsed.time + 1, signature: parsed.signature)
        #expect(!later.verifies(method: "GET", target: "/v1/members/x/invoices?from=1", key: key, chainID: chain))
    }

    @Test func headerParsing() {
        let member = fixture.id("firmA").hex
        let signature = String(repeating: "ab", count: 64)
        let reordered = "Facet  signature=\(signature) , time=5,member=\(member)"
        #expect(SignedRead(header: reordered)?.time == 5)
        for bad in [
            "", "Facet", "Bearer x", "facet member=\(member), time=5, signature=\(signature)",
            "Facet member=\(member), time=5, signature=\(signature), time=6",
            "Facet member=\(member), time=5, signature=\(signature), extra=1",
            "Facet member=\(member), time=-5, signature=\(signature)",
            "Facet member=\(member), time=5 , signature=\(signature.dropLast())",
            "Facet member=\(member.dropLast()), time=5, signature=\(signature)",
            "Facet member=\(member), time=99999999999999999999, signature=\(signature)",
            "Facet member=\(member), time=5, signature=\(signature)" + String(repeating: " ", count: 600),
        ] {
            #expect(SignedRead(header: bad) == nil, "\(bad)")
        }
    }

    @Test func freshnessIsFiveMinutesEitherWay() {
        let now = Timestamp(uncheckedMillis: 1_767_225_600_000)
        func read(_ offset: Int64) -> SignedRead {
            SignedRead(member: fixture.id("firmA"), time: now.millis + offset, signature: Signature(r: .zero, s: .zero))
        }
        #expect(read(0).isFresh(at: now) && read(300_000).isFresh(at: now) && read(-300_000).isFresh(at: now))
        #expect(!read(300_001).isFresh(at: now) && !read(-300_001).isFresh(at: now))
        #expect(!SignedRead(member: fixture.id("firmA"), time: .min, signature: read(0).signature).isFresh(at: now))
    }

    @Test func consentCountsOnlyForItsPairAndUntilItExpires() {
        let (firm, lender) = (fixture.id("firmA"), fixture.id("lender"))
        let granted = Timestamp(uncheckedMillis: 1_000)
        let expiry = Timestamp(uncheckedMillis: 5_000)
        let consent = Consent(firm: firm, lender: lender, grantedAt: granted, expiresAt: expiry)
        #expect(consent.isActive(at: Timestamp(uncheckedMillis: 4_999)) && !consent.isActive(at: expiry))
        let asLender = Reader(member: lender, roles: .lender, isActive: true)
        let asFirm = Reader(member: firm, roles: .firm, isActive: true)
        #expect(AccessPolicy.readsFirm(firm, reader: asFirm, consentActive: false) == .party)
        #expect(AccessPolicy.readsFirm(firm, reader: asLender, consentActive: true) == .consent(firm: firm))
        #expect(AccessPolicy.readsFirm(firm, reader: asLender, consentActive: false) == nil)
        let suspended = Reader(member: lender, roles: .lender, isActive: false)
        #expect(AccessPolicy.readsFirm(firm, reader: suspended, consentActive: true) == nil)
        #expect(AccessPolicy.readsFirm(firm, reader: .anonymous, consentActive: true) == nil)
    }
}
