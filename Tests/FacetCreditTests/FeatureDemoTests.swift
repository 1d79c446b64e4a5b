import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetScorecard
import FacetTestTraits
import Testing

@Suite(.onOwnThread) struct FeatureDemoTests {
    @Test func twoIndexesFedTheSameBlocksAgreeBitForBit() throws {
        let history = try #require(SharedDemo.history)
        let first = history.index()
        let second = history.index()
        let asOf = try #require(first.time)
        for firm in history.memberFirms {
            let a = first.features(of: firm, asOf: asOf)
            let b = second.features(of: firm, asOf: asOf)
            #expect(a == b)
            for name in FeatureName.all {
                #expect(a.values[name] != nil, "\(name) is always present")
                if case .number(let x) = a.values[name], case .number(let y) = b.values[name] {
                    #expect(x.bitPattern == y.bitPattern)
                    #expect(x.isFinite)
                }
            }
        }
        #expect(first.trainingRows() == second.trainingRows())
    }

    @Test func demoFirmsHaveRevenueAndStock() throws {
        let history = try #require(SharedDemo.history)
        let index = history.index()
        let asOf = try #require(index.time)
        let rows = history.memberFirms.map { index.features(of: $0, asOf: asOf).values }
        let withRevenue = rows.filter { ($0[FeatureName.revenue12m]?.number ?? 0) > 0 }
        let withStock = rows.filter { ($0[FeatureName.inventoryValue]?.number ?? 0) > 0 }
        #expect(withRevenue.count > rows.count / 2)
        #expect(withStock.count > rows.count / 2)
        for row in rows {
            if let share = row[FeatureName.verifiedTradeShare]?.number { #expect((0...1.0000001).contains(share)) }
            if let hhi = row[FeatureName.buyerHHI]?.number { #expect(hhi > 0 && hhi <= 1.0000001) }
        }
    }

    @Test func trainingRowsAreTheClosedLoans() throws {
        let history = try #require(SharedDemo.history)
        let index = history.index()
        let rows = index.trainingRows()
        let closed = history.closedLoans
        #expect(!closed.isEmpty)
        #expect(rows.count == closed.count)
        #expect(Set(rows.map(\.loan)) == Set(closed.map(\.id)))
        for row in rows {
            let loan = try #require(closed.first { $0.id == row.loan })
            #expect(row.bad == (loan.status == .defaulted))
            #expect(row.firm == loan.borrower)
            #expect(row.openedAt == loan.startedAt)
        }
        #expect(rows.map(\.openedHeight) == rows.map(\.openedHeight).sorted())
    }
}
