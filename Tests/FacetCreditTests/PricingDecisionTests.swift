import FacetCore
import FacetCredit
import FacetLedger
import FacetTestSupport
import Foundation
import Testing

@Suite struct PricingDecisionTests {
    typealias F = PricingFixtures

    static func inputs(
        pd: Double = 0.01, grade: String = "3", revenue: Int64 = 1_000_000_000, cashFlow: Int64 = 10_000_000,
        pieces: [CollateralPiece] = [], receivables: [Receivable] = []
    ) -> CreditInputs {
        CreditInputs(
            asOf: F.today, pd: pd, grade: grade, revenue12m: revenue, monthlyCashFlow: cashFlow, pieces: pieces,
            receivables: receivables, prices: F.prices)
    }

    @Test func theRateIsTheSumOfItsParts() throws {
        let policy = try F.policy("bank-b")
        let rate = RateBreakdown(pd: 0.01, lgd: 0.45, tenorDays: 365, policy: policy, salesMillionsEUR: nil)
        #expect(rate.fundingCost == 0.035 && rate.operatingCost == 0.015 && rate.margin == 0.02)
        #expect(rate.expectedLoss == 0.01 * 0.45)
        let k = IRBCapital(pd: 0.01, lgd: 0.45, maturityYears: 1).k
        #expect(rate.capitalCharge == k * 0.12)
        let sum = rate.fundingCost + rate.operatingCost + rate.expectedLoss + rate.capitalCharge + rate.margin
        #expect(rate.total == sum)
        #expect(rate.basisPoints == UInt32((sum * 10_000).rounded()))
        // 3.5% + 1.5% + 0.45% + K(1%, 45%, M 1)·12% + 2%, K = 5.862% (SciPy, as in IRBCapitalTests): 8.153%.
        #expect(rate.basisPoints == 815)
    }

    @Test func everyOfferShowsItsPartsAndBindingConstraint() throws {
        let decision = CreditEngine.decide(
            Self.inputs(
                revenue: 100_000_000_000, cashFlow: 1_000_000_000, pieces: (1...4).map { F.gold($0, grams: 1_000) }),
            product: try F.product("inventory-pledge"),
            policy: try F.policy("bank-b"))
        let offer = try #require(decision.offer)
        #expect(offer.ledgerProduct == .inventoryPledge && offer.tenorDays == 180)
        let rate = offer.rate
        #expect(
            rate.total == rate.fundingCost + rate.operatingCost + rate.expectedLoss + rate.capitalCharge + rate.margin)
        #expect(rate.lgd == 0.3)
        #expect(offer.limit.constraints.map(\.kind) == [.revenueCap, .cashFlowCover, .borrowingBase])
        // 4 kg of fine gold at 480 CNY/g, less 10%: a borrowing base of 1,726,272.00 CNY, below the other caps.
        #expect(offer.limit.binding == .borrowingBase)
        #expect(offer.limit.amount == 4 * 43_156_800)
        #expect(offer.collateral == (1...4).map { Collateral.piece(F.piece($0)) })
    }

    @Test func aGuaranteeCutsTheLendersLossAndChargesItsFee() throws {
        let decision = CreditEngine.decide(
            Self.inputs(), product: try F.product("guarantee"), policy: try F.policy("bank-b"))
        let offer = try #require(decision.offer)
        let guarantee = try #require(offer.guarantee)
        #expect(guarantee.lgdBeforeGuarantee == 0.45)
        #expect(abs(offer.rate.lgd - 0.45 * 0.3) < 1e-15)
        #expect(guarantee.feeAmount == Int64((Double(offer.limit.amount) * 0.015 * 1.0).rounded(.down)))
        let unguarded = try #require(
            CreditEngine.decide(
                Self.inputs(), product: try F.product("working-capital"), policy: try F.policy("bank-b")
            )
            .offer)
        #expect(offer.rate.total < unguarded.rate.total)
    }

    @Test func declinesCarryTheirCodes() throws {
        let bankA = try F.primeBank()
        let fintech = try F.policy("fintech")
        let workingCapital = try F.product("working-capital")
        func codes(_ decision: CreditDecision) -> [CreditDecisionCode] { decision.decline?.codes ?? [] }
        #expect(
            codes(CreditEngine.decide(Self.inputs(), product: try F.product("guarantee"), policy: bankA)) == [
                .productNotOffered
            ])
        #expect(
            codes(CreditEngine.decide(Self.inputs(pd: 0.03), product: workingCapital, policy: bankA)) == [
                .pdAbovePolicy
            ])
        #expect(
            codes(CreditEngine.decide(Self.inputs(grade: "5"), product: workingCapital, policy: bankA)) == [
                .gradeBelowPolicy
            ])
        #expect(
            codes(CreditEngine.decide(Self.inputs(grade: "AA"), product: workingCapital, policy: bankA)) == [
                .gradeBelowPolicy
            ])
        #expect(
            codes(CreditEngine.decide(Self.inputs(pd: 0.5, grade: "9"), product: workingCapital, policy: fintech))
                == [.pdAbovePolicy, .gradeBelowPolicy])
        #expect(
            codes(CreditEngine.decide(Self.inputs(pd: .nan), product: workingCapital, policy: bankA)) == [
                .inputsInvalid
            ])
        #expect(
            codes(CreditEngine.decide(Self.inputs(revenue: -1), product: workingCapital, policy: bankA)) == [
                .inputsInvalid
            ])
        // Revenue of 10,000.00 CNY caps the line at 1,500.00, below bank-a's 100,000.00 minimum.
        let small = CreditEngine.decide(Self.inputs(revenue: 1_000_000), product: workingCapital, policy: bankA)
        #expect(codes(small) == [.limitBelowMinimum])
        #expect(small.decline?.limit?.binding == .revenueCap)
        // Only pledged pieces: nothing to lend against.
        var pledged = F.gold(1, grams: 10_000)
        pledged.pledged = true
        let noCollateral = CreditEngine.decide(
            Self.inputs(pieces: [pledged]), product: try F.product("inventory-pledge"), policy: bankA)
        #expect(codes(noCollateral) == [.noEligibleCollateral])
        #expect(noCollateral.decline?.pieces.first?.exclusion == .pledged)
        let noReceivables = CreditEngine.decide(
            Self.inputs(receivables: []), product: try F.product("receivables"), policy: bankA)
        #expect(codes(noReceivables) == [.noEligibleCollateral])
    }

    @Test func onlyEligibleUnpledgedPiecesEnterTheBorrowingBase() throws {
        var pledged = F.gold(1, grams: 100_000)
        pledged.pledged = true
        var uncertified = F.diamond(2, millicarats: 50_000)
        uncertified.certified = false
        let eligible = F.gold(3, grams: 1_000)
        let decision = CreditEngine.decide(
            Self.inputs(revenue: 100_000_000_000, cashFlow: 1_000_000_000, pieces: [pledged, uncertified, eligible]),
            product: try F.product("inventory-pledge"), policy: try F.policy("bank-b"))
        let offer = try #require(decision.offer)
        #expect(offer.limit.amount == 43_156_800)
        #expect(offer.collateral == [.piece(F.piece(3))])
    }

    @Test func anOfferNamesAtMostTheLedgersCollateralCount() throws {
        let pieces = (1...40).map { F.gold(UInt64($0), grams: UInt64($0) * 10) }
        let offer = try #require(
            CreditEngine.decide(
                Self.inputs(revenue: 100_000_000_000, cashFlow: 1_000_000_000, pieces: pieces),
                product: try F.product("inventory-pledge"), policy: try F.policy("bank-b")
            ).offer)
        #expect(offer.collateral.count == Limits.maxCollateralPerOffer)
        // The 16 heaviest bangles, 25..40 × 10 g.
        #expect(offer.collateral.first == .piece(F.piece(40)) && offer.collateral.last == .piece(F.piece(25)))
    }

    /// A property over seeded inputs: a limit is never above any of its caps, equals the least of them, and the
    /// same inputs give the same decision.
    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func limitsNeverExceedAnyCap(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let products = try F.productNames.map { try F.product($0) }
        let policies = try F.lenderNames.map { try F.policy($0) }
        var offers = 0
        var limitedDeclines = 0
        for _ in 0..<150 {
            let pieces = (0..<Int.random(in: 0...6, using: &random)).map { n in
                var piece = F.gold(UInt64(n + 1), grams: UInt64.random(in: 1...3_000, using: &random))
                piece.pledged = Bool.random(using: &random)
                piece.inWarehouse = Bool.random(using: &random)
                return piece
            }
            let receivables = (0..<Int.random(in: 0...6, using: &random)).map { n in
                Receivable(
                    id: F.invoice(UInt64(n + 1)), buyer: F.member(UInt64.random(in: 1...3, using: &random)),
                    outstanding: Int64.random(in: 0...50_000_000, using: &random),
                    issuedAt: F.day(20_000 - Int64.random(in: 0...120, using: &random)),
                    confirmed: Bool.random(using: &random), financed: Bool.random(using: &random))
            }
            let inputs = CreditInputs(
                asOf: F.today, pd: Double.random(in: 0...0.05, using: &random),
                grade: ["1", "3", "5", "6"].randomElement(using: &random) ?? "A",
                revenue12m: Int64(pow(10, Double.random(in: 4...10, using: &random))),
                monthlyCashFlow: Int64(pow(10, Double.random(in: 4...9, using: &random))) - 50_000, pieces: pieces,
                receivables: receivables, prices: F.prices,
                requestedTenorDays: UInt32.random(in: 1...400, using: &random))
            let product = products[Int.random(in: 0..<products.count, using: &random)]
            let policy = policies[Int.random(in: 0..<policies.count, using: &random)]
            let decision = CreditEngine.decide(inputs, product: product, policy: policy)
            #expect(decision == CreditEngine.decide(inputs, product: product, policy: policy))
            guard let limit = decision.offer?.limit ?? decision.decline?.limit else { continue }
            for constraint in limit.constraints { #expect(limit.amount <= constraint.amount, "seed \(seed)") }
            #expect(limit.constraints.contains { $0.amount == limit.amount && $0.kind == limit.binding })
            #expect(limit.amount >= 0)
            if decision.decline != nil { limitedDeclines += 1 }
            if let offer = decision.offer {
                offers += 1
                #expect(limit.amount >= max(product.minimumLimitMinor, policy.minimumLimitMinor))
                #expect(offer.tenorDays <= min(product.maxTenorDays, policy.maxTenorDays))
                let hasBase = limit.constraints.contains { $0.kind == LimitConstraint.Kind.borrowingBase }
                #expect(hasBase == product.isSecured)
            }
        }
        // The seeds reach both outcomes, so the property is not vacuous.
        #expect(offers >= 10 && limitedDeclines >= 10, "seed \(seed): \(offers) offers, \(limitedDeclines) declines")
    }
}
