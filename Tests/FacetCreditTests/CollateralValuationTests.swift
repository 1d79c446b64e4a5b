import FacetCore
import FacetCredit
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@Suite struct CollateralValuationTests {
    typealias F = PricingFixtures

    static func terms() throws -> CollateralTerms {
        guard let terms = try F.product("inventory-pledge").collateral else {
            preconditionFailure("the inventory pledge has collateral terms")
        }
        return terms
    }

    static func valued(_ piece: CollateralPiece, prices: [PriceSeries] = F.prices) throws -> PieceValuation {
        CollateralValuation.value(piece, prices: prices, terms: try terms(), asOf: F.today)
    }

    @Test func goldIsWeightTimesFinenessTimesPrice() throws {
        // 100 g × 0.916 × 480.00 CNY/g = 43,968.00 CNY; flat prices, so the 10% base haircut alone.
        let valuation = try Self.valued(F.gold(1, grams: 100, fineness: 916))
        #expect(valuation.value == 4_396_800)
        #expect(valuation.volatilityAddOn == 0)
        #expect(valuation.haircut == 0.1)
        #expect(valuation.lendableValue == 3_957_120)
    }

    @Test func diamondsAreAdjustedByGradeAndSize() throws {
        // At the band's own grade and size: carats × price per carat.
        #expect(try Self.valued(F.diamond(1)).value == 4_200_000)
        // H (0.88/1.00) and SI1 (0.87/1.00): discounts in full.
        #expect(try Self.valued(F.diamond(2, color: "H", clarity: "SI1")).value == Int64((4_200_000.0 * 0.88 * 0.87)))
        // D (1.40) and VVS1 (1.25): half the premiums, 1.20 and 1.125.
        #expect(try Self.valued(F.diamond(3, color: "D", clarity: "VVS1")).value == 5_670_000)
        // 0.5 ct: half the carats at 0.60 of the 1 ct per-carat price.
        #expect(try Self.valued(F.diamond(4, millicarats: 500)).value == 1_260_000)
        // Lab-grown from its own series.
        #expect(try Self.valued(F.diamond(5, category: .labGrownDiamond)).value == 450_000)
        #expect(try Self.valued(F.diamond(6, color: "Z")).exclusion == PieceExclusion.gradeNotPriced)
    }

    @Test func eligibilityExcludesEachIneligiblePieceWithItsReason() throws {
        var sold = F.gold(1)
        sold.sold = true
        var pledged = F.gold(2)
        pledged.pledged = true
        var onInvoice = F.gold(3)
        onInvoice.onInvoice = true
        var uncertified = F.diamond(4)
        uncertified.certified = false
        var failed = F.diamond(5)
        failed.inspectionPassed = false
        var unaudited = F.gold(6)
        unaudited.inWarehouse = false
        var staleAudit = F.gold(7)
        staleAudit.inWarehouse = false
        staleAudit.lastAudit = F.day(20_000 - 91)
        var freshAudit = F.gold(8)
        freshAudit.inWarehouse = false
        freshAudit.lastAudit = F.day(20_000 - 90)
        let pearl = CollateralPiece(
            id: F.piece(9), card: IdentityCard(category: .pearl, weight: 5_000), certified: false, inWarehouse: true)
        let metalWithoutFineness = CollateralPiece(
            id: F.piece(10), card: IdentityCard(category: .gold, weight: 5_000), certified: false, inWarehouse: true)
        let pieces: [CollateralPiece] = [
            sold, pledged, onInvoice, uncertified, failed, unaudited, staleAudit, freshAudit, pearl,
            metalWithoutFineness,
        ]
        let valuations = CollateralValuation.value(
            pieces.reversed(), prices: F.prices, terms: try Self.terms(), asOf: F.today)
        let ids: [PieceID] = valuations.map { $0.piece }
        #expect(ids == (1...10).map { F.piece(UInt64($0)) }, "in ascending id order")
        let expected: [PieceExclusion?] = [
            .sold, .pledged, .onInvoice, .uncertified, .failedInspection, .unverifiedCustody, .unverifiedCustody, nil,
            .noReferencePrice, .incompleteCard,
        ]
        let exclusions: [PieceExclusion?] = valuations.map { $0.exclusion }
        #expect(exclusions == expected)
        for valuation in valuations where !valuation.isEligible { #expect(valuation.lendableValue == 0) }
    }

    @Test func aCategoryTheProductOmitsIsNotAccepted() throws {
        var terms = try Self.terms()
        terms.haircuts.removeAll { $0.category == "gold" }
        let valuation = CollateralValuation.value(F.gold(1), prices: F.prices, terms: terms, asOf: F.today)
        #expect(valuation.exclusion == PieceExclusion.categoryNotAccepted)
    }

    @Test func volatilityAddsToTheHaircutUpToItsCap() throws {
        // Monthly closes alternating ±2%: log returns of ±ln(1.02) around a small mean.
        var history: [Int64] = [100_000]
        for month in 1...12 { history.append(month % 2 == 1 ? 102_000 : 100_000) }
        let sigma = try #require(CollateralValuation.monthlyVolatility(history, lookbackMonths: 12))
        let up = log(1.02)
        let returns = (1...12).map { $0 % 2 == 1 ? up : -up }
        let mean = returns.reduce(0, +) / 12
        let expected = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 11).squareRoot()
        #expect(abs(sigma - expected) < 1e-15)
        var prices = F.prices
        prices[0].monthlyHistory = history
        let valuation = try Self.valued(F.gold(1), prices: prices)
        #expect(abs(valuation.volatilityAddOn - 2.33 * sigma * 3.0.squareRoot()) < 1e-15)
        #expect(valuation.haircut == 0.1 + valuation.volatilityAddOn)
        #expect(valuation.lendableValue < Int64(Double(valuation.value) * 0.9))
        // Too short a history: the maximum haircut.
        prices[0].monthlyHistory = [48_000, 48_000]
        #expect(try Self.valued(F.gold(1), prices: prices).haircut == 0.9)
        // A wild series is held to the cap.
        prices[0].monthlyHistory = (0...12).map { $0 % 2 == 0 ? 10_000 : 40_000 }
        #expect(try Self.valued(F.gold(1), prices: prices).haircut == 0.9)
    }

    /// Every band the demo consortium publishes prices the pieces the demo registers: the diamond bands' labels
    /// parse as a grade, so no seeded stone is excluded as `grade_not_priced`.
    @Test func theDemoSeedsBandsPriceTheirCategories() throws {
        let seed = try JSONSerialization.jsonObject(
            with: Data(contentsOf: ContractFiles.root.appendingPathComponent("seeds/consortium.json")))
        let bands = try #require((seed as? [String: Any])?["prices"] as? [[String: Any]])
        #expect(!bands.isEmpty)
        for band in bands {
            let name = try #require(band["category"] as? String)
            let category = try #require(CollateralValuation.category(named: name), "\(name) is a category")
            let label = try #require(band["band"] as? String)
            let price = try #require(band["startMinorPerUnit"] as? Int)
            let series = [PriceSeries(category: category, band: label, pricePerUnit: Int64(price))]
            let card: IdentityCard
            switch category {
            case .gold, .platinum: card = IdentityCard(category: category, weight: 10_000, fineness: 999)
            case .naturalDiamond, .labGrownDiamond:
                card = IdentityCard(
                    category: category, weight: 1_200, color: F.label("F"), clarity: F.label("VS1"))
            default: card = IdentityCard(category: category, weight: 10_000)
            }
            let piece = CollateralPiece(id: F.piece(1), card: card, certified: true, inWarehouse: true)
            let valuation = CollateralValuation.value(piece, prices: series, terms: try Self.terms(), asOf: F.today)
            #expect(valuation.isEligible, "\(label): \(String(describing: valuation.exclusion))")
            #expect(valuation.value > 0 && valuation.lendableValue > 0 && valuation.lendableValue < valuation.value)
        }
    }

    @Test func aSeriesFromTheLedgerEndsWithTheCurrentPrice() throws {
        func published(_ minor: Int64, day: Int64) throws -> ReferencePrice {
            ReferencePrice(
                publisher: F.member(1), category: .gold, band: F.label("AU9999-PER-G"),
                pricePerUnit: try Money(minorUnits: minor, currency: .cny), at: F.day(day))
        }
        let series = PriceSeries(
            current: try published(48_500, day: 20_000),
            monthEnds: [try published(47_000, day: 19_940), try published(48_000, day: 19_970)])
        #expect(series.band == "AU9999-PER-G" && series.pricePerUnit == 48_500)
        #expect(series.monthlyHistory == [47_000, 48_000, 48_500])
    }

    /// Only prices within the genesis' validity count: a piece whose category has only stale prices counts zero,
    /// with a reason the firm can read.
    @Test func aStalePriceCountsForNothing() throws {
        func gold(_ validUntil: Timestamp) -> [PriceSeries] {
            [
                PriceSeries(
                    category: .gold, band: "AU9999-PER-G", pricePerUnit: 48_000, monthlyHistory: F.flat(48_000),
                    publisher: F.member(1), validUntil: validUntil)
            ]
        }
        let fresh = try Self.valued(F.gold(1), prices: gold(F.day(20_001)))
        #expect(fresh.isEligible && fresh.value == 4_795_200)
        let stale = try Self.valued(F.gold(1), prices: gold(F.today))
        #expect(stale.exclusion == .staleReferencePrice && stale.value == 0 && stale.lendableValue == 0)
        #expect(PieceExclusion.staleReferencePrice.rawValue == "stale_reference_price")
        #expect(try Self.valued(F.gold(1), prices: []).exclusion == .noReferencePrice)
    }

    /// Where several exchanges publish a band, the band's price is their median; across bands, the piece takes the
    /// median of its values: one exchange or one label cannot swing a borrowing base alone.
    @Test func theMedianOfExchangesAndBandsSetsTheValue() throws {
        func series(_ band: String, _ price: Int64, by exchange: UInt64) -> PriceSeries {
            PriceSeries(
                category: .gold, band: band, pricePerUnit: price, monthlyHistory: F.flat(price),
                publisher: F.member(exchange), validUntil: F.day(20_010))
        }
        // 100 g of 999 gold at 480.00 CNY/g is 47,952.00 CNY.
        let honest = 4_795_200 as Int64
        let outlier = [series("AU9999-PER-G", 48_000, by: 1), series("AU9999-PER-G", 1, by: 2)]
        let three = outlier + [series("AU9999-PER-G", 48_000, by: 3)]
        #expect(try Self.valued(F.gold(1), prices: three).value == honest)
        let high = outlier + [series("AU9999-PER-G", 9_000_000, by: 3)]
        #expect(try Self.valued(F.gold(1), prices: high).value == honest)
        let bands = [
            series("AU9999-PER-G", 48_000, by: 1), series("AU999-PER-G", 48_000, by: 1), series("AU750-PER-G", 1, by: 2),
        ]
        #expect(try Self.valued(F.gold(1), prices: bands).value == honest)
    }

    /// A lab or warehouse suspended after it vouched for a piece: its word weighs as the firm's own from the
    /// suspension on (the certification or custody stops counting), and the valuation names it for the lender.
    @Test func aSuspendedAttestorsWordNoLongerCounts() throws {
        let lab = F.member(7)
        let warehouse = F.member(8)
        var piece = Piece(
            id: F.piece(1), owner: F.member(1),
            card: IdentityCard(category: .naturalDiamond, weight: 1_000, color: F.label("G"), clarity: F.label("VS2")),
            certificate: CertificateRef(lab: lab, number: F.label("GIA-1")), registeredAt: F.day(19_000))
        piece.certified = true
        piece.custody = Custody(warehouse: warehouse, bonded: true, since: F.day(19_500))
        let honest = try Self.valued(CollateralPiece(piece))
        #expect(honest.isEligible && honest.value == 4_200_000 && honest.suspendedAttestors.isEmpty)
        let labGone = try Self.valued(CollateralPiece(piece) { $0 == lab })
        #expect(labGone.exclusion == .uncertified && labGone.suspendedAttestors == [lab])
        let warehouseGone = try Self.valued(CollateralPiece(piece) { $0 == warehouse })
        #expect(warehouseGone.exclusion == .unverifiedCustody && warehouseGone.suspendedAttestors == [warehouse])
    }
}
