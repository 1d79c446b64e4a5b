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

    /// Each malformed form is refused with the code that names what is wrong, by the one parser the node, the
    /// client, the dashboard's sign-in and the benchmarks share.
    @Test func eachMalformedHeaderHasItsCode() throws {
        let member = fixture.id("firmA").hex
        let node = fixture.id("v1").hex
        let signature = String(repeating: "ab", count: 64)
        let nonce = String(repeating: "0f", count: SignedRead.nonceBytes)
        let tail = "time=5, signature=\(signature)"
        let good = "Facet member=\(member), node=\(node), nonce=\(nonce), \(tail)"
        #expect(try SignedRead.parse(header: good).nonce == Hex.decode(nonce))
        let cases: [(String, SignedReadError.Code)] = [
            (good + String(repeating: " ", count: SignedRead.maxHeaderBytes), .tooLong),
            ("Bearer x", .scheme),
            ("facet member=\(member), time=5, signature=\(signature)", .scheme),
            ("Facet member=\(member), time5, signature=\(signature)", .malformedField),
            ("Facet member=\(member), time=5, signature=\(signature), extra=1", .unknownField),
            ("Facet member=\(member), time=5, signature=\(signature), time=6", .duplicateField),
            ("Facet member=\(member), signature=\(signature)", .missingField),
            ("Facet member=\(member.dropLast()), time=5, signature=\(signature)", .badMember),
            ("Facet member=\(member.dropLast())g, time=5, signature=\(signature)", .badMember),
            ("Facet member=\(member), time=-5, signature=\(signature)", .badTime),
            ("Facet member=\(member), time=+5, signature=\(signature)", .badTime),
            ("Facet member=\(member), time=, signature=\(signature)", .badTime),
            ("Facet member=\(member), time=9999999999999999999, signature=\(signature)", .badTime),
            ("Facet member=\(member), time=5, signature=\(signature.dropLast(2))", .badSignature),
            ("Facet member=\(member), time=5, signature=\(signature)\n", .badSignature),
            ("Facet member=\(member), node=\(node.dropLast()), nonce=\(nonce), \(tail)", .badNode),
            ("Facet member=\(member), node=\(node), nonce=\(nonce)00, \(tail)", .badNonce),
            ("Facet member=\(member), node=\(node), nonce=\(nonce.dropLast())x, \(tail)", .badNonce),
            ("Facet member=\(member), node=\(node), \(tail)", .nodeWithoutNonce),
            ("Facet member=\(member), nonce=\(nonce), \(tail)", .nodeWithoutNonce),
        ]
        for (header, code) in cases {
            #expect(throws: SignedReadError.self, "\(header)") { try SignedRead.parse(header: header) }
            do {
                _ = try SignedRead.parse(header: header)
            } catch {
                #expect(error.code == code, "\(header)")
            }
            #expect(SignedRead(header: header) == nil)
        }
        #expect(Set(cases.map(\.1)) == Set(SignedReadError.Code.allCases), "every code has a case")
    }

    /// The sign-in's form fields go through the same parser: what the dashboard used to forgive (a signature with a
    /// trailing newline, a signed time) is refused now, as in a header.
    @Test func signInFieldsAreParsedAsStrictlyAsAHeader() throws {
        let member = fixture.id("firmA").hex
        let signature = String(repeating: "ab", count: 64)
        #expect(try SignedRead.parse(member: member, time: "5", signature: signature).time == 5)
        let cases: [(String?, String?, String?, SignedReadError.Code)] = [
            (nil, "5", signature, .missingField),
            (member, "5", signature + "\n", .badSignature),
            (" " + member, "5", signature, .badMember),
            (member, "+5", signature, .badTime),
        ]
        for (member, time, signature, code) in cases {
            do {
                _ = try SignedRead.parse(member: member, time: time, signature: signature)
                Issue.record("\(String(describing: member)) \(String(describing: time)) was accepted")
            } catch {
                #expect(error.code == code)
            }
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
