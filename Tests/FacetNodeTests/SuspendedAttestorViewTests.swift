import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// An attestor suspended by the admins' quorum is flagged on every record it attested that a lender reads: the
/// invoice it confirmed, the payment it signed, the transaction itself, and the piece it took into custody. Before
/// the suspension nothing is flagged.
@Suite struct SuspendedAttestorViewTests {
    struct Views {
        var invoices: [[String: Any]]
        var payments: [[String: Any]]
        var piece: [String: Any]
        var payment: [String: Any]
    }

    /// What the consenting lender reads of firmA's records, and of the scenario's payment and piece P1.
    static func read(_ node: APITestNode, _ s: APIScenario) async throws -> Views {
        let lender = s.fixture.actor("lender")
        let base = "/v1/members/\(s.fixture.id("firmA").hex)"
        let invoices = try await node.signedGet("\(base)/invoices", as: lender)
        let payments = try await node.signedGet("\(base)/payments", as: lender)
        let piece = try await node.signedGet("/v1/pieces/\(s.p1.hash.hex)", as: lender)
        let payment = try await node.signedGet("/v1/transactions/\(s.payment.id.hex)", as: lender)
        for response in [invoices, payments, piece, payment] { try #require(response.status == 200, "\(response)") }
        return Views(invoices: invoices.array, payments: payments.array, piece: piece.object, payment: payment.object)
    }

    static func invoice(_ views: Views, _ id: InvoiceID) -> [String: Any]? {
        views.invoices.first { $0["id"] as? String == id.hex }
    }

    @Test func recordsItAttestedCarryTheFlagOnlyAfterTheSuspension() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            let s = try await APIScenario.run(on: node, fixture: fixture)
            var f = s.fixture
            let firmB = f.id("firmB")
            let warehouse = f.id("warehouse")

            let before = try await Self.read(node, s)
            #expect(Self.invoice(before, s.i1)?["suspendedAttestors"] as? [String] == [])
            #expect(before.payments.map { $0["signerSuspended"] as? Bool } == [false])
            #expect(before.payment["signerSuspended"] as? Bool == false)
            #expect(before.piece["suspendedAttestors"] as? [String] == [])

            var votes = [Transaction]()
            for member in [firmB, warehouse] {
                for admin in ["admin", "admin2"] {
                    votes.append(f.sign(admin, .suspendMember(.init(member: member, reason: "false attestations"))))
                }
            }
            _ = try await node.submit(votes)
            try await node.commitBlock()
            for member in [firmB, warehouse] {
                try #require(await node.node.record(Member.self, member.hash)?.status == .suspended)
            }

            let after = try await Self.read(node, s)
            #expect(Self.invoice(after, s.i1)?["suspendedAttestors"] as? [String] == [firmB.hex])
            #expect(Self.invoice(after, s.i2)?["suspendedAttestors"] as? [String] == [], "firmB is no party to I2")
            #expect(after.payments.map { $0["signerSuspended"] as? Bool } == [true])
            #expect(after.payment["signerSuspended"] as? Bool == true)
            // P1 went to firmB with I1: the lender, consented by firmA only, reads its provenance card.
            #expect(after.piece["view"] as? String == "provenance")
            #expect(after.piece["suspendedAttestors"] as? [String] == [warehouse.hex])
            // Its owner reads the full card: the custody step and firmB's confirmation (which moved the piece to it)
            // are flagged in its history, firmA's registration and invoice are not.
            let full = try await node.signedGet("/v1/pieces/\(s.p1.hash.hex)", as: f.actor("firmB")).object
            #expect(full["suspendedAttestors"] as? [String] == [firmB.hex, warehouse.hex].sorted())
            let history = full["history"] as? [[String: Any]] ?? []
            let flagged = history.filter { $0["signerSuspended"] as? Bool == true }.compactMap { $0["kind"] as? String }
            #expect(flagged.sorted() == ["confirm_invoice", "custody_in"], "\(history)")
            #expect(history.count > flagged.count)
        }
    }
}
