import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// Private reads: who is authenticated (401 otherwise) and who may read what (403 otherwise).
@Suite struct APIAccessTests {
    @Test func unauthenticatedReadsAre401() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            _ = try await APIScenario.run(on: node, fixture: fixture)
            let firmA = fixture.actor("firmA")
            let target = "/v1/members/\(firmA.id.hex)/invoices"
            let now = node.clock.now().millis

            var refusals = [String: HTTPTestClient.Response]()
            refusals["missing"] = try await node.client.get(target)
            refusals["other scheme"] = try await node.client.get(target, headers: [("Authorization", "Bearer abc")])
            refusals["garbled"] = try await node.client.get(
                target, headers: [("Authorization", "Facet member=zz, time=1, signature=00")])
            refusals["wrong key"] = try await node.signedGet(target, as: firmA, key: fixture.actor("firmC").key)
            refusals["stale"] = try await node.signedGet(target, as: firmA, time: now - 6 * 60_000)
            refusals["future"] = try await node.signedGet(target, as: firmA, time: now + 6 * 60_000)
            var f = fixture
            refusals["not a member"] = try await node.signedGet(target, as: f.addOutsider("nobody", roles: .firm))
            let signedForAnother = node.signedRead(target, as: firmA)
            refusals["other target"] = try await node.client.get(
                target + "?from=0", headers: [("Authorization", signedForAnother.headerValue)])
            let nonce = [UInt8](repeating: 7, count: SignedRead.nonceBytes)
            let otherChain = SignedRead.sign(
                method: "GET", target: target, time: now, member: firmA.id, key: firmA.key, chainID: try Label("other"),
                node: node.node.validatorID, nonce: nonce)
            refusals["other chain"] = try await node.client.get(
                target, headers: [("Authorization", otherChain.headerValue)])
            let unbound = SignedRead.sign(
                method: "GET", target: target, time: now, member: firmA.id, key: firmA.key, chainID: node.chainID)
            refusals["no node or nonce"] = try await node.client.get(
                target, headers: [("Authorization", unbound.headerValue)])
            for (name, response) in refusals {
                #expect(response.status == 401, "\(name): \(response)")
                #expect(response.code == "api.unauthenticated", "\(name): \(response)")
            }
            // Within the skew both ways, the same signature scheme is accepted.
            #expect(try await node.signedGet(target, as: firmA, time: now - 4 * 60_000).status == 200)
            #expect(try await node.signedGet(target, as: firmA, time: now + 4 * 60_000).status == 200)
        }
    }

    @Test func partiesSeeOnlyWhatTheyShareAndStrangersAre403() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            let s = try await APIScenario.run(on: node, fixture: fixture)
            let base = "/v1/members/\(fixture.id("firmA").hex)"
            func read(_ what: String, as name: String) async throws -> HTTPTestClient.Response {
                try await node.signedGet("\(base)/\(what)", as: fixture.actor(name))
            }

            // The buyer of I1 sees I1 and the payment on it, not I2, and no loan of the firm.
            let buyerInvoices = try await read("invoices", as: "firmB")
            #expect(buyerInvoices.status == 200 && buyerInvoices.array.map { $0["id"] as? String } == [s.i1.hex])
            #expect(try await read("payments", as: "firmB").array.count == 1)
            for what in ["loans", "pledges"] {
                let refused = try await read(what, as: "firmB")
                #expect(refused.status == 403 && refused.code == "api.forbidden", "\(what): \(refused)")
            }
            // The buyer of I2 sees I2 only; the payment on I1 is none of its business.
            #expect(try await read("invoices", as: "firmC").array.map { $0["id"] as? String } == [s.i2.hex])
            #expect(try await read("payments", as: "firmC").status == 403)

            // The lender with consent sees everything; another lender, without consent, nothing.
            for what in ["invoices", "payments", "loans", "pledges"] {
                let consented = try await read(what, as: "lender")
                #expect(consented.status == 200 && !consented.array.isEmpty, "\(what): \(consented)")
                let stranger = try await read(what, as: "lender2")
                #expect(stranger.status == 403 && stranger.code == "api.forbidden", "\(what): \(stranger)")
                let platform = try await read(what, as: "platform")
                #expect(platform.status == 403, "\(what): \(platform)")
            }
            #expect(try await read("invoices", as: "lender").array.count == 2)
        }
    }

    /// Consent is read at the node's clock: revoked or expired, the lender keeps only what it is a party to.
    @Test func revokedOrExpiredConsentEndsTheLendersAccess() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            let s = try await APIScenario.run(on: node, fixture: fixture)
            var f = s.fixture
            let base = "/v1/members/\(f.id("firmA").hex)"
            let expiry = Timestamp(uncheckedMillis: node.clock.now().millis + 3_600_000)
            _ = try await node.submit([
                f.sign("firmA", .revokeConsent(.init(lender: f.id("lender")))),
                f.sign("firmA", .grantConsent(.init(lender: f.id("lender2"), expiresAt: expiry))),
            ])
            try await node.commitBlock()

            let lender = f.actor("lender")
            #expect(try await node.signedGet("\(base)/invoices", as: lender).status == 403)
            #expect(try await node.signedGet("\(base)/payments", as: lender).status == 403)
            let ownLoans = try await node.signedGet("\(base)/loans", as: lender)
            #expect(ownLoans.status == 200 && ownLoans.array.map { $0["id"] as? String } == [s.loan.hex])
            #expect(try await node.signedGet("\(base)/pledges", as: lender).array.count == 1)

            let lender2 = f.actor("lender2")
            #expect(try await node.signedGet("\(base)/invoices", as: lender2).array.count == 2)
            node.clock.advance(millis: 2 * 3_600_000)
            #expect(try await node.signedGet("\(base)/invoices", as: lender2).status == 403)
        }
    }

    @Test func unknownFirmIs404AndASuspendedSignerReadsOnlyItsOwn() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let firmA = f.actor("firmA")
            let unknown = try await node.signedGet("/v1/members/\(String(repeating: "ab", count: 32))/loans", as: firmA)
            #expect(unknown.status == 404 && unknown.code == "api.not_found")
            _ = try await node.submit([
                f.sign("admin", .suspendMember(.init(member: firmA.id, reason: "audit"))),
                f.sign("admin2", .suspendMember(.init(member: firmA.id, reason: "audit"))),
            ])
            try await node.commitBlock()
            // A suspended member is still proven: it reads its own records, and nothing of the consortium's.
            let own = try await node.signedGet("/v1/members/\(firmA.id.hex)/invoices", as: firmA)
            #expect(own.status == 200, "\(own)")
            let registry = try await node.signedGet("/v1/members", as: firmA)
            #expect(registry.status == 403 && registry.code == "api.forbidden", "\(registry)")
        }
    }
}
