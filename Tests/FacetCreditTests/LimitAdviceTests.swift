import FacetCore
import FacetCredit
import FacetLedger
import FacetScorecard
import Testing

@Suite struct LimitAdviceTests {
    typealias A = AssessmentFixtures
    typealias F = PricingFixtures

    /// The inputs the assessment used, with some pieces in a warehouse's custody, audited at the assessment's time.
    static func inCustody(_ assessment: CreditAssessment, _ ids: [Hash256], certify: Bool = false) -> CreditInputs {
        var inputs = assessment.inputs
        for index in inputs.pieces.indices where ids.contains(inputs.pieces[index].id.hash) {
            inputs.pieces[index].inWarehouse = true
            inputs.pieces[index].lastAudit = inputs.asOf
            if certify { inputs.pieces[index].certified = true }
        }
        return inputs
    }

    static func limit(_ inputs: CreditInputs, _ product: String) throws -> Int64 {
        try CreditEngine.decide(inputs, product: F.product(product), policy: F.primeBank()).offer?.limit.amount
            ?? 0
    }

    @Test func certifiedPiecesOutsideAWarehouseAreAdvisedIntoCustody() throws {
        // A 2 ct stone, 70,980 CNY lendable once certified and in custody.
        var uncertified = F.diamond(5, millicarats: 2_000)
        uncertified.certified = false
        uncertified.inWarehouse = false
        let evidence = A.evidence(pieces: [
            A.diamond(1, inWarehouse: true), A.diamond(2, inWarehouse: false), A.diamond(3, inWarehouse: false),
            A.diamond(4, inWarehouse: false), uncertified,
            A.diamond(6, inWarehouse: true),
        ])
        var sold = A.diamond(7, inWarehouse: false)
        sold.sold = true
        var withSold = evidence
        withSold.pieces.append(sold)
        let assessment = try A.assess(withSold)
        // Two pieces in custody: 54,600 CNY lendable, below bank-a's 100,000 CNY minimum.
        #expect(assessment.decisions[2].decline?.codes == [.limitBelowMinimum])
        let custody = try #require(assessment.advice.first { $0.code == LimitAdvice.custodyPieces })
        let outside = [F.piece(2), F.piece(3), F.piece(4)].map(\.hash)
        #expect(custody.records.sorted() == outside)
        let expected = try Self.limit(Self.inCustody(assessment, outside), "inventory-pledge")
        #expect(expected == 5 * 2_730_000)
        #expect(custody.limits == [.init(product: "inventory-pledge", before: 0, after: expected)])
        #expect(custody.grade == nil && custody.gradeSteps == 0)
        #expect(custody.text.hasPrefix("Put these 3 pieces in a bonded warehouse (81,900.00 CNY lendable)"))
        // The uncertified stone is a lab's job first.
        let certify = try #require(assessment.advice.first { $0.code == LimitAdvice.certifyPieces })
        #expect(certify.records == [F.piece(5).hash])
        let certified = try Self.limit(Self.inCustody(assessment, [F.piece(5).hash], certify: true), "inventory-pledge")
        #expect(certify.limits == [.init(product: "inventory-pledge", before: 0, after: certified)])
        #expect(certified > 2 * 2_730_000 && certified < expected)
        // Custody adds more than certification, so it comes first.
        let codes = assessment.advice.map(\.code)
        #expect(try #require(codes.firstIndex(of: custody.code)) < #require(codes.firstIndex(of: certify.code)))
    }

    @Test func custodyAdviceNamesOnlyThePiecesTheLimitNeeds() throws {
        // 3,600,000 CNY a year: a cash flow of 30,000 CNY a month covers about 118,000 CNY over 180 days, so past
        // four pieces more collateral lends nothing.
        let features = A.features(revenue12m: 3_600_000, revenue3m: 900_000)
        let evidence = A.evidence(
            features, pieces: [A.diamond(1, inWarehouse: true)] + (2...7).map { A.diamond($0, inWarehouse: false) })
        let assessment = try A.assess(evidence)
        let custody = try #require(assessment.advice.first { $0.code == LimitAdvice.custodyPieces })
        let all = (2...7).map { F.piece($0).hash }
        let fullLimit = try Self.limit(Self.inCustody(assessment, all), "inventory-pledge")
        #expect(custody.limits.map(\.after) == [fullLimit])
        #expect(custody.records.count < all.count)
        #expect(try Self.limit(Self.inCustody(assessment, custody.records), "inventory-pledge") == fullLimit)
        let fewer = Array(custody.records.dropLast())
        #expect(try Self.limit(Self.inCustody(assessment, fewer), "inventory-pledge") < fullLimit)
        let binding = try #require(
            CreditEngine.decide(
                Self.inCustody(assessment, all), product: F.product("inventory-pledge"), policy: F.primeBank()
            ).offer)
        #expect(binding.limit.binding == .cashFlowCover)
    }

    @Test func unconfirmedInvoicesAreAdvisedForConfirmation() throws {
        let evidence = A.evidence(receivables: [
            A.invoice(11, buyer: 101, confirmed: true), A.invoice(12, buyer: 102, confirmed: false),
            A.invoice(13, buyer: 103, confirmed: false), A.invoice(14, buyer: 104, confirmed: false, yuan: 90_000),
            A.invoice(15, buyer: 105, confirmed: false), A.invoice(16, buyer: nil, confirmed: false),
            A.invoice(17, buyer: 107, confirmed: true, disputed: true, yuan: 150_000),
        ])
        let assessment = try A.assess(evidence)
        // One confirmed 60,000 CNY invoice alone: 40% concentration, 80% advance, below the minimum.
        #expect(assessment.decisions[1].decline?.codes == [.limitBelowMinimum])
        let confirm = try #require(assessment.advice.first { $0.code == LimitAdvice.confirmInvoices })
        // Largest first; the sale to the public has no buyer who could confirm it.
        #expect(confirm.records == [F.invoice(14), F.invoice(12), F.invoice(13), F.invoice(15)].map(\.hash))
        var inputs = assessment.inputs
        for index in inputs.receivables.indices where confirm.records.contains(inputs.receivables[index].id.hash) {
            inputs.receivables[index].confirmed = true
        }
        let expected = try Self.limit(inputs, "receivables")
        #expect(expected > 0)
        #expect(confirm.limits == [.init(product: "receivables", before: 0, after: expected)])
        #expect(confirm.text.hasPrefix("Have your buyers confirm these 4 invoices (270,000.00 CNY outstanding)"))
        let resolve = try #require(assessment.advice.first { $0.code == LimitAdvice.resolveDisputes })
        // Settled, it and the confirmed invoice lend 80% of 60,000 + 40% × 210,000 CNY: 115,200 CNY.
        #expect(resolve.records == [F.invoice(17).hash])
        var settled = assessment.inputs
        for index in settled.receivables.indices where settled.receivables[index].id == F.invoice(17) {
            settled.receivables[index].disputed = false
        }
        #expect(try Self.limit(settled, "receivables") == 11_520_000)
        #expect(resolve.limits == [.init(product: "receivables", before: 0, after: 11_520_000)])
    }

    @Test func aFirmAtItsBestBinsGetsNoScoreAdvice() throws {
        let assessment = try A.assess(A.evidence(A.features(share: 0.7, hhi: 0.2, tenure: 24)))
        #expect(assessment.score == 640 && assessment.grade == "2")
        #expect(assessment.reasons.isEmpty)
        #expect(!assessment.advice.contains { $0.code.hasPrefix(LimitAdvice.improvePrefix) })
    }

    @Test func aScoreAdvicesTargetYieldsTheGradeItClaims() throws {
        let model = try A.model()
        let evidence = A.evidence(A.features(share: 0.45, hhi: 0.35, tenure: 6))
        let assessment = try A.assess(evidence)
        #expect(assessment.grade == "5" && assessment.decisions.allSatisfy { $0.offer == nil })
        let scoreAdvice = assessment.advice.filter { $0.code.hasPrefix(LimitAdvice.improvePrefix) }
        // Tenure costs as many points as the trade share, but only time can raise it.
        #expect(scoreAdvice.map(\.code) == ["improve_verified_trade_share", "improve_buyer_hhi"])
        for advice in scoreAdvice {
            let feature = try #require(advice.feature)
            let target = try #require(advice.targetValue)
            var row = evidence.features.values
            row[feature] = .number(target)
            let rescored = model.score(row)
            #expect(rescored.grade == advice.grade)
            #expect(rescored.score == advice.score)
            #expect(advice.gradeSteps == 1 && advice.grade == "4")
        }
        let share = scoreAdvice[0]
        #expect(share.currentValue == 0.45 && share.targetValue == 0.6)
        #expect(
            share.text.hasPrefix("Raise the share of your sales buyers confirm or a platform settles from 45% to 60%"))
        // 610 points is PD 1.39%, within the prime bank's 1.5%: the working-capital line opens.
        #expect(share.limits.map(\.product) == ["working-capital"])
        #expect(share.limits.allSatisfy { $0.before == 0 && $0.after > 0 })
        let hhi = scoreAdvice[1]
        #expect(hhi.targetValue == 0.29 && hhi.limits.isEmpty)
        #expect(hhi.text.hasPrefix("Lower how concentrated your sales are on few buyers from 0.35 to 0.29"))
    }

    @Test func adviceIsOrderedByGradeThenLimitGainAndBounded() throws {
        let evidence = A.evidence(
            A.features(share: 0.45, hhi: 0.35, tenure: 6),
            pieces: (1...4).map { A.diamond($0, inWarehouse: false) },
            receivables: (11...15).map { A.invoice($0, buyer: $0 + 90, confirmed: false) })
        let advice = try A.assess(evidence).advice
        #expect(advice.count <= LimitAdvice.maxItems)
        for (earlier, later) in zip(advice, advice.dropFirst()) {
            #expect(
                earlier.gradeSteps > later.gradeSteps
                    || (earlier.gradeSteps == later.gradeSteps && earlier.limitGain >= later.limitGain))
        }
        #expect(advice.first?.gradeSteps == 1)
        #expect(advice.allSatisfy { $0.records.count <= LimitAdvice.maxRecords })
    }
}
