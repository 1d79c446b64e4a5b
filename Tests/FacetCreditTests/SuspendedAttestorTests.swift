import FacetCore
import FacetCredit
import FacetLedger
import FacetTestSupport
import Testing

/// An attestor suspended by the admins' quorum: what it vouched for weighs as self-issued from the suspending block
/// on, for good; what it vouches for after reinstatement counts in full. Known answers at the standard weights
/// (third-party evidence 1, self-issued 0.2).
@Suite struct SuspendedAttestorTests {
    static let twoAdmins = LedgerParams(chainID: LedgerFixture.chainID, memberApprovals: 2)

    /// firmA's month: 1000 confirmed by firmB, 600 paid by firmB (unconfirmed), 300 paid by the bank to firmC's
    /// account, 500 to firmC unvouched, and 800 of livestream sales the platform settled.
    func sales() -> FeatureLedger {
        var ledger = FeatureLedger(params: Self.twoAdmins)
        let confirmed = ledger.invoice("firmA", "firmB", 1000)
        ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: confirmed)))
        let paid = ledger.invoice("firmA", "firmB", 600)
        ledger.submit("firmB", .payInvoice(PayInvoice(invoice: paid, amount: FeatureLedger.yuan(600))))
        let bankPaid = ledger.invoice("firmA", "firmC", 300)
        ledger.submit("bank", .payInvoice(PayInvoice(invoice: bankPaid, amount: FeatureLedger.yuan(300))))
        ledger.invoice("firmA", "firmC", 500)
        let start = ledger.fixture.time
        ledger.fixture.advance(days: 1)
        let settlement = SettlePlatformSales(
            seller: ledger.fixture.id("firmA"), periodStart: start, periodEnd: ledger.fixture.time,
            gross: FeatureLedger.yuan(800), orders: 4, refunds: FeatureLedger.yuan(0))
        ledger.submit("platform", .settlePlatformSales(settlement))
        return ledger
    }

    /// Both admins vote; the member is suspended by the second vote.
    func suspend(_ name: String, in ledger: inout FeatureLedger) {
        let body = TransactionBody.suspendMember(.init(member: ledger.fixture.id(name), reason: "false attestations"))
        ledger.submit("admin", body)
        ledger.submit("admin2", body)
    }

    func revenue(_ ledger: FeatureLedger) -> Double? { ledger.number("firmA", FeatureName.revenue3m) }

    @Test func aSuspendedBuyersConfirmationsAndPaymentsWeighAsSelfIssued() {
        var ledger = sales()
        // 1000 + 600 + 300 + 0.2 × 500 + 800.
        #expect(featureNear(revenue(ledger), 2800))
        #expect(featureNear(ledger.number("firmA", FeatureName.verifiedTradeShare), 2700.0 / 3200))
        let vote = TransactionBody.suspendMember(.init(member: ledger.fixture.id("firmB"), reason: "x"))
        ledger.submit("admin", vote)
        #expect(!ledger.index.isSuspended(ledger.fixture.id("firmB")), "one vote of two suspends nobody")
        #expect(featureNear(revenue(ledger), 2800))
        ledger.submit("admin2", vote)
        #expect(ledger.index.isSuspended(ledger.fixture.id("firmB")))
        #expect(ledger.fixture.state.record(Member.self, ledger.fixture.id("firmB").hash)?.status == .suspended)
        // firmB's 1600 now weighs 0.2: the revenue drops by exactly 0.8 × 1600.
        #expect(featureNear(revenue(ledger), 2800 - 0.8 * 1600))
        #expect(featureNear(ledger.number("firmA", FeatureName.verifiedTradeShare), 1100.0 / 3200))
        let warnings = ledger.index.features(of: ledger.fixture.id("firmA"), asOf: ledger.fixture.time).warnings
        #expect(warnings.map(\.code) == [FeatureWarning.suspendedAttestors])
        #expect(warnings.first?.members == [ledger.fixture.id("firmB")])
        #expect(warnings.first?.records.count == 2, "the confirmed and the paid invoice")
        #expect(ledger.index.features(of: ledger.fixture.id("firmC"), asOf: ledger.fixture.time).warnings.isEmpty)
        // Concentration follows: firmB weighs 320 now, firmC 300 + 100.
        #expect(featureNear(ledger.number("firmA", FeatureName.buyerHHI), (320.0 * 320 + 400 * 400) / (720 * 720)))
    }

    @Test func reinstatementRestoresNewAttestationsOnly() {
        var ledger = sales()
        suspend("firmB", in: &ledger)
        let reinstate = TransactionBody.reinstateMember(.init(member: ledger.fixture.id("firmB")))
        ledger.submit("admin", reinstate)
        ledger.submit("admin2", reinstate)
        #expect(!ledger.index.isSuspended(ledger.fixture.id("firmB")))
        #expect(featureNear(revenue(ledger), 1520), "what firmB vouched for before its suspension stays voided")
        let later = ledger.invoice("firmA", "firmB", 400)
        ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: later)))
        #expect(featureNear(revenue(ledger), 1920), "a confirmation after reinstatement counts in full")
    }

    @Test func aSuspendedBankAndPlatformWeighAsSelfIssued() {
        var ledger = sales()
        suspend("bank", in: &ledger)
        // The bank's 300: 2800 − 0.8 × 300.
        #expect(featureNear(revenue(ledger), 2560))
        suspend("platform", in: &ledger)
        // The platform's 800 weighs 160 now.
        #expect(featureNear(revenue(ledger), 2560 - 640))
        #expect(featureNear(ledger.number("firmA", FeatureName.platformSettlementShare), 0))
        let month = ledger.index.monthlyRevenue(of: ledger.fixture.id("firmA"), asOf: ledger.fixture.time, months: 1)
        #expect(featureNear(month.first?.platformSettled, 0))
        #expect(featureNear(month.first?.selfIssued, 500 + 300 + 800))
    }

    /// firmA's gold piece, priced, certified by the lab and audited in the warehouse: both shares are 1 until the
    /// lab, then the warehouse, is suspended.
    @Test func aSuspendedLabOrWarehouseNoLongerCertifiesOrAudits() throws {
        var ledger = FeatureLedger(params: Self.twoAdmins)
        let gold = IdentityCard(category: .gold, weight: 10_000, fineness: 999)
        let piece = PieceID(ledger.submit("firmA", .registerPiece(.init(card: gold, certificate: nil))))
        let price = PublishPrice(
            category: .gold, band: try Label("AU9999-PER-G"), pricePerUnit: FeatureLedger.yuan(500))
        ledger.submit("exchange", .publishPrice(price))
        ledger.submit("lab", .certifyPiece(.init(piece: piece, number: try Label("AU-1"), grading: gold)))
        ledger.submit("warehouse", .custodyIn(.init(piece: piece, bonded: true)))
        ledger.submit("warehouse", .stockAudit(.init(firm: ledger.fixture.id("firmA"), pieces: [piece])))
        #expect(featureNear(ledger.number("firmA", FeatureName.inventoryValue), 5_000))
        #expect(ledger.number("firmA", FeatureName.certifiedStockShare) == 1)
        #expect(ledger.number("firmA", FeatureName.auditedStockShare) == 1)
        suspend("lab", in: &ledger)
        #expect(ledger.number("firmA", FeatureName.certifiedStockShare) == 0)
        #expect(ledger.number("firmA", FeatureName.auditedStockShare) == 1)
        suspend("warehouse", in: &ledger)
        #expect(ledger.number("firmA", FeatureName.auditedStockShare) == 0)
        #expect(featureNear(ledger.number("firmA", FeatureName.inventoryValue), 5_000), "the piece is still stock")
    }

    /// The index counts the admins' votes as the ledger does: over a seeded run of suspensions and reinstatements
    /// by three admins (votes lapsing when their admin is suspended), it holds each member suspended exactly when
    /// the ledger's state does.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func theIndexFollowsTheLedgersVotes(seed: UInt64) {
        var ledger = FeatureLedger(params: Self.twoAdmins)
        let admin3 = ledger.fixture.addOutsider("admin3", roles: .admin)
        ledger.submit("admin", .registerMember(.init(name: "admin3", roles: .admin, publicKey: admin3.key.publicKey)))
        ledger.submit("admin2", .approveMember(.init(member: admin3.id)))
        var rng = SeededRandom(seed: seed)
        let admins = ["admin", "admin2", "admin3"]
        let targets = admins + ["firmA", "firmB", "bank"]
        var changes = 0
        for step in 0..<300 {
            let voter = admins[Int.random(in: 0..<admins.count, using: &rng)]
            let target = ledger.fixture.id(targets[Int.random(in: 0..<targets.count, using: &rng)])
            let suspended = ledger.fixture.state.record(Member.self, target.hash)?.status == .suspended
            let body: TransactionBody =
                suspended ? .reinstateMember(.init(member: target)) : .suspendMember(.init(member: target, reason: "x"))
            let transaction = ledger.fixture.sign(voter, body)
            let outcome = ledger.fixture.run([transaction])
            ledger.index.apply(
                height: outcome.height, time: outcome.time, transactions: [transaction], results: outcome.results)
            for name in targets {
                let id = ledger.fixture.id(name)
                let held = ledger.fixture.state.record(Member.self, id.hash)?.status == .suspended
                #expect(ledger.index.isSuspended(id) == held, "seed \(seed) step \(step): \(name)")
                if held != ledger.index.isSuspended(id) { return }
            }
            if ledger.fixture.state.record(Member.self, target.hash)?.status == .suspended ? !suspended : suspended {
                changes += 1
            }
        }
        #expect(changes >= 10, "seed \(seed): only \(changes) status changes, too few to mean much")
    }

    @Test func anUninvolvedSuspensionChangesNothing() {
        var ledger = sales()
        let firm = ledger.fixture.id("firmA")
        let asOf = ledger.fixture.time
        let before = ledger.index.features(of: firm, asOf: asOf)
        suspend("lender2", in: &ledger)
        let after = ledger.index.features(of: firm, asOf: asOf)
        #expect(after.values == before.values)
        #expect(after.evidence == before.evidence)
    }
}
