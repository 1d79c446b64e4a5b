import FacetCore
import FacetDemo
import FacetLedger
import Foundation
import Testing

@Suite struct PastLoanTests {
    /// A small history long enough for loans to mature, with a high default rate so a few default.
    static func history() throws -> DemoHistory.Run {
        try DemoHistory.run(firms: 30, months: 8, seed: 21, defaultRatePermille: 250)
    }

    @Test func loansEndRepaidLateOrInDefaultOnTheLedger() throws {
        let run = try Self.history()
        #expect(run.refusals.isEmpty, "\(run.refusals.prefix(20).joined(separator: "\n"))")
        for kind in ["grant_consent", "make_offer", "accept_offer", "pledge", "repay", "release", "declare_default"] {
            #expect((run.accepted[kind] ?? 0) > 0, "no accepted \(kind)")
        }
        let truth = run.generator.groundTruth
        let outcomes = Set(truth.loans.map(\.outcome))
        #expect(outcomes.isSuperset(of: [.repaid, .defaulted]), "outcomes \(outcomes)")
        let ledgerLoans = run.state.records.values.compactMap { value -> Loan? in
            if case .loan(let loan) = value { return loan }
            return nil
        }
        #expect(ledgerLoans.count == truth.loans.count)
        for loan in truth.loans {
            let onLedger = try #require(ledgerLoans.first { $0.id.hex == loan.id })
            switch loan.outcome {
            case .repaid, .late:
                #expect(onLedger.status == .repaid && onLedger.collateral.isEmpty)
            case .defaulted:
                #expect(onLedger.status == .defaulted)
            case .open:
                #expect(onLedger.status == .active)
            }
        }
    }

    @Test func theDoublePledgeIsTheOnlyRefusalAndCarriesItsCode() throws {
        let run = try Self.history()
        let expected = try #require(run.generator.doublePledge)
        #expect(expected.code == .alreadyPledged)
        #expect(run.refused.count == 1)
        #expect(run.refused.first?.id == expected.transaction)
        #expect(run.refused.first?.code == .alreadyPledged)
        #expect(run.generator.groundTruth.doublePledge?.transaction == expected.transaction.hex)
        #expect(run.generator.groundTruth.doublePledge?.code == "pledge.already_pledged")
    }

    @Test func theGroundTruthEncodesRoundTripsAndIsWritten() throws {
        let run = try DemoHistory.run(firms: 12, months: 4, seed: 5)
        let truth = run.generator.groundTruth
        #expect(truth.firms.count == 12)
        #expect(truth.firms.allSatisfy { (0...1).contains($0.defaultProbability) })
        #expect(try GroundTruth.decode(truth.encoded()) == truth)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facet-ground-truth-\(truth.seed).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try truth.write(to: url)
        #expect(try GroundTruth.decode(Data(contentsOf: url)) == truth)
        let missing = URL(fileURLWithPath: "/nonexistent-facet-dir/ground-truth.json")
        let error = #expect(throws: DemoError.self) { try truth.write(to: missing) }
        #expect(error?.code == .groundTruthUnwritable)
    }

    @Test func poorerAndMisbehavingFirmsAreLikelierToDefault() throws {
        let consortium = try DemoHistory.consortium(firms: 300, months: 24, seed: 20_240_101)
        let generator = HistoryGenerator(consortium: consortium)
        let truth = generator.groundTruth
        let good = truth.firms.filter { $0.quality >= 700 }.map(\.defaultProbability)
        let poor = truth.firms.filter { $0.quality < 400 }.map(\.defaultProbability)
        #expect(!good.isEmpty && !poor.isEmpty)
        let goodMean: Double = good.reduce(0, +) / Double(good.count)
        let poorMean: Double = poor.reduce(0, +) / Double(poor.count)
        #expect(goodMean < poorMean)
        let misbehaving = truth.firms.filter(\.misbehaving)
        #expect(!misbehaving.isEmpty)
        for firm in misbehaving {
            let betterHonest = truth.firms.filter { $0.quality >= firm.quality && !$0.misbehaving }
            let riskier = betterHonest.filter { $0.defaultProbability >= firm.defaultProbability }
            #expect(riskier.isEmpty, "\(firm.name) is no riskier than an honest firm of its quality")
        }
    }
}
