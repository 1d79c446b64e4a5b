import FacetCore
import FacetCredit
import FacetDemo
import FacetLedger
import FacetScorecard
import FacetTestTraits
import Testing

/// The demo history, generated and executed once for the suites that read it.
enum SharedDemo {
    static let history: FeatureDemoHistory? = try? FeatureDemoHistory(firms: 40, months: 10, seed: 20240101)
    static let others: [UInt64: FeatureDemoHistory] = {
        var histories = [UInt64: FeatureDemoHistory]()
        for seed in otherSeeds { histories[seed] = try? FeatureDemoHistory(firms: 30, months: 7, seed: seed) }
        return histories
    }()
    static let otherSeeds: [UInt64] = [7, 42, 1001]

    static func history(seed: UInt64) -> FeatureDemoHistory? {
        seed == 20240101 ? history : others[seed]
    }
}

@Suite(.onOwnThread) struct RingDetectionTests {
    @Test(arguments: [20240101] + SharedDemo.otherSeeds)
    func exactlyTheRingIsFlaggedOnADemoHistory(seed: UInt64) throws {
        let history = try #require(SharedDemo.history(seed: seed))
        let generator = history.generator
        #expect(generator.ring.count >= 3)
        #expect(!generator.ringInvoices.isEmpty)
        let ring = Set(generator.ring.map { generator.firms[$0].id })
        let index = history.index()
        let asOf = try #require(index.time)
        var flagged = Set<MemberID>()
        for firm in history.memberFirms {
            let features = index.features(of: firm, asOf: asOf)
            let warnings = features.warnings.filter { $0.code == FeatureWarning.circularTrading }
            guard let warning = warnings.first else {
                #expect(features.values[FeatureName.circularTradeShare] != .number(1), "\(firm) is not in a ring")
                continue
            }
            flagged.insert(firm)
            #expect(Set(warning.members) == ring, "the warning names the ring's members")
            let share = try #require(features.values[FeatureName.circularTradeShare]?.number)
            #expect(share > 0.3 && share <= 1)
            #expect(!(features.evidence[FeatureName.circularTradeShare] ?? []).isEmpty)
        }
        #expect(flagged == ring)
    }

    @Test func honestFirmsHaveNoCircularShare() throws {
        let history = try #require(SharedDemo.history)
        let generator = history.generator
        let ring = Set(generator.ring.map { generator.firms[$0].id })
        let index = history.index()
        let asOf = try #require(index.time)
        for firm in history.memberFirms where !ring.contains(firm) {
            let share = index.features(of: firm, asOf: asOf).values[FeatureName.circularTradeShare]
            #expect(share == .number(0) || share == .missing)
        }
    }

    /// firmA → firmB → firmC → firmA with the given amounts, each confirmed by its buyer.
    func triangle(_ amounts: [Int64]) -> FeatureLedger {
        var ledger = FeatureLedger()
        for (index, (seller, buyer)) in [("firmA", "firmB"), ("firmB", "firmC"), ("firmC", "firmA")].enumerated() {
            let id = ledger.invoice(seller, buyer, amounts[index])
            ledger.submit(buyer, .confirmInvoice(ConfirmInvoice(invoice: id)))
        }
        return ledger
    }

    @Test func aBalancedTriangleIsACycle() throws {
        var ledger = triangle([1000, 1100, 950])
        ledger.invoice("firmA", nil, 1000, dueDays: 0, channel: .retail)
        let features = ledger.index.features(of: ledger.fixture.id("firmA"), asOf: ledger.fixture.time)
        let warning = try #require(features.warnings.first)
        #expect(warning.code == FeatureWarning.circularTrading)
        #expect(warning.members == ["firmA", "firmB", "firmC"].map { ledger.fixture.id($0) }.sorted())
        // firmA's 1000 into the cycle over its weighted revenue: 1000 + a fifth of the unpaid retail 1000.
        #expect(featureNear(features.values[FeatureName.circularTradeShare]?.number, 1000.0 / 1200))
    }

    @Test func anUnbalancedTriangleOrAOneWayPairIsNot() {
        let lopsided = triangle([1000, 3000, 950])
        for firm in ["firmA", "firmB", "firmC"] {
            #expect(lopsided.number(firm, FeatureName.circularTradeShare) == 0)
        }
        var once = FeatureLedger()
        for (seller, buyer) in [("firmA", "firmB"), ("firmB", "firmA")] {
            let id = once.invoice(seller, buyer, 1000)
            once.submit(buyer, .confirmInvoice(ConfirmInvoice(invoice: id)))
        }
        #expect(once.number("firmA", FeatureName.circularTradeShare) == 0, "one invoice each way is not back and forth")
        var oneWay = FeatureLedger()
        for _ in 0..<2 {
            let id = oneWay.invoice("firmA", "firmB", 1000)
            oneWay.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: id)))
        }
        #expect(oneWay.number("firmA", FeatureName.circularTradeShare) == 0)
        #expect(oneWay.number("firmB", FeatureName.circularTradeShare) ?? 0 == 0)
    }

    /// Two firms invoicing each other back and forth in balance (three invoices or more each way, most of what each
    /// trades wholesale) are a ring of two (issue 15).
    @Test func twoFirmsInvoicingEachOtherBackAndForthAreARing() throws {
        var pair = FeatureLedger()
        for _ in 0..<3 {
            for (seller, buyer) in [("firmA", "firmB"), ("firmB", "firmA")] {
                let id = pair.invoice(seller, buyer, 1000)
                pair.submit(buyer, .confirmInvoice(ConfirmInvoice(invoice: id)))
            }
        }
        for firm in ["firmA", "firmB"] {
            let features = pair.index.features(of: pair.fixture.id(firm), asOf: pair.fixture.time)
            let warning = try #require(features.warnings.first { $0.code == FeatureWarning.circularTrading })
            #expect(warning.members == ["firmA", "firmB"].map { pair.fixture.id($0) }.sorted())
            #expect(featureNear(features.values[FeatureName.circularTradeShare]?.number, 1))
        }
    }
}
