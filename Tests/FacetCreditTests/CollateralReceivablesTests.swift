import FacetCore
import FacetCredit
import FacetLedger
import Testing

@Suite struct CollateralReceivablesTests {
    typealias F = PricingFixtures

    static func terms() throws -> ReceivableTerms {
        guard let terms = try F.product("receivables").receivables else {
            preconditionFailure("the receivables product has receivable terms")
        }
        return terms
    }

    static func receivable(
        _ n: UInt64, buyer: UInt64? = 100, amount: Int64 = 1_000_000, ageDays: Int64 = 10, confirmed: Bool = true
    ) -> Receivable {
        Receivable(
            id: F.invoice(n), buyer: buyer.map { F.member($0) }, outstanding: amount,
            issuedAt: F.day(20_000 - ageDays), confirmed: confirmed)
    }

    @Test func onlyConfirmedUnpaidUnfinancedRecentInvoicesCount() throws {
        var financed = Self.receivable(4)
        financed.financed = true
        var disputed = Self.receivable(5)
        disputed.disputed = true
        var cancelled = Self.receivable(6)
        cancelled.cancelled = true
        let receivables = [
            Self.receivable(1, confirmed: false), Self.receivable(2, amount: 0), Self.receivable(3, ageDays: 91),
            financed, disputed, cancelled, Self.receivable(7, buyer: nil),
            // Eligible, at the cut-off exactly, each with its own buyer so no concentration cut applies.
            Self.receivable(8, buyer: 101, ageDays: 90), Self.receivable(9, buyer: 102),
            Self.receivable(10, buyer: 103),
        ]
        let rows = ReceivablesBase.value(receivables, terms: try Self.terms(), asOf: F.today)
        let expected: [ReceivableExclusion?] = [
            .unconfirmed, .paid, .tooOld, .financed, .disputed, .cancelled, .unconfirmed, nil, nil, nil,
        ]
        let exclusions: [ReceivableExclusion?] = rows.map { $0.exclusion }
        #expect(exclusions == expected)
        for row in rows where row.exclusion != nil { #expect(row.eligible == 0 && row.advance == 0) }
        // Three buyers of a third each, under the 40% limit: 80% of each.
        #expect(rows.suffix(3).map(\.advance) == [800_000, 800_000, 800_000])
        #expect(rows.suffix(3).map(\.concentrationCut) == [0, 0, 0])
    }

    @Test func aBuyerAboveTheConcentrationLimitIsCut() throws {
        // Buyer 100 holds 3,000,000 of 5,000,000 eligible: its cap is 40%, 2,000,000.
        let receivables = [
            Self.receivable(1, buyer: 100), Self.receivable(2, buyer: 100), Self.receivable(3, buyer: 100),
            Self.receivable(4, buyer: 101), Self.receivable(5, buyer: 102),
        ]
        let rows = ReceivablesBase.value(receivables, terms: try Self.terms(), asOf: F.today)
        #expect(rows.map(\.concentrationCut) == [0, 0, 1_000_000, 0, 0])
        #expect(rows.map(\.eligible) == [1_000_000, 1_000_000, 0, 1_000_000, 1_000_000])
        var perBuyer = [Int64](repeating: 0, count: 3)
        for row in rows {
            guard let buyer = row.buyer else { continue }
            perBuyer[Int(buyer.hash.w3 - 100)] += row.eligible
        }
        #expect(perBuyer.allSatisfy { $0 <= 2_000_000 })
        #expect(rows.map(\.advance).reduce(0, +) == 3_200_000)
    }

    @Test func aSingleBuyerBookIsHeldToTheLimit() throws {
        let rows = ReceivablesBase.value(
            [Self.receivable(1, amount: 2_500_000)], terms: try Self.terms(), asOf: F.today)
        #expect(rows[0].eligible == 1_000_000)
        #expect(rows[0].advance == 800_000)
    }

    @Test func anInvoiceFromTheLedgerKeepsItsState() throws {
        let amount = try Money(minorUnits: 1_000_000, currency: .cny)
        var invoice = Invoice(
            id: F.invoice(1), seller: F.member(1), buyer: F.member(2), amount: amount, issuedAt: F.day(19_990),
            dueAt: F.day(20_020), pieces: [], channel: .wholesale)
        #expect(Receivable(invoice).confirmed == false)
        invoice.confirmedAt = F.day(19_991)
        invoice.financed = true
        let receivable = Receivable(invoice)
        #expect(receivable.confirmed && receivable.financed && receivable.outstanding == 1_000_000)
    }
}
