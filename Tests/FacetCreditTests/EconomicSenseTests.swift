import FacetCore
import FacetCredit
import FacetDemo
import FacetScorecard
import FacetTestTraits
import Testing

/// The demo generator's hidden default probability moves with what the ledger shows as business sense says: firms
/// with diversified and confirming buyers, on-time payments, verified and growing revenue, and certified, custodied
/// stock are safer; concentration, disputes, late payments, self-issued revenue and circular trading go with more
/// risk. Measured over every member firm of a generated history at its end: the median true default probability of
/// the firms in a driver's riskier third against its safer third (a median, so the few firms of the circular-trading
/// ring, whose revenue swings with their round-trip invoices, do not decide a driver on their own).
@Suite(.onOwnThread) struct EconomicSenseTests {
    static let seed: UInt64 = 20_240_101

    /// A driver, the direction the issue gives it, and the least ratio of the riskier third's median true PD to
    /// the safer third's that the history must show.
    struct Driver: Sendable, CustomTestStringConvertible {
        let feature: String
        let direction: RiskDirection
        let ratio: Double
        var testDescription: String { feature }
    }

    static let drivers = [
        Driver(feature: FeatureName.buyerHHI, direction: .higherIsRiskier, ratio: 1.5),
        Driver(feature: FeatureName.verifiedTradeShare, direction: .higherIsSafer, ratio: 1.5),
        Driver(feature: FeatureName.latePaymentRate, direction: .higherIsRiskier, ratio: 1.5),
        Driver(feature: FeatureName.revenue12m, direction: .higherIsSafer, ratio: 1.2),
        Driver(feature: FeatureName.revenueGrowth, direction: .higherIsSafer, ratio: 1.2),
        Driver(feature: FeatureName.certifiedStockShare, direction: .higherIsSafer, ratio: 1.2),
        Driver(feature: FeatureName.auditedStockShare, direction: .higherIsSafer, ratio: 1.2),
        Driver(feature: FeatureName.openDisputes, direction: .higherIsRiskier, ratio: 1.2),
        Driver(feature: FeatureName.circularTradeShare, direction: .higherIsRiskier, ratio: 2),
    ]

    /// Each member firm's features at the end of the history and its true default probability.
    static let firms: Result<[(FeatureRow, Double)], any Error> = Result {
        let history = try FeatureDemoHistory(firms: 200, months: 18, seed: seed)
        let index = history.index()
        guard let time = index.time else { return [] }
        let truth = Dictionary(
            uniqueKeysWithValues: history.generator.groundTruth.firms.map { ($0.id, $0.defaultProbability) })
        return history.memberFirms.compactMap { firm in
            truth[firm.hex].map { (index.features(of: firm, asOf: time).values, $0) }
        }
    }

    @Test(arguments: drivers) func theTruePDMovesWithTheDriverAsBusinessSenseSays(_ driver: Driver) throws {
        print("EconomicSenseTests seed \(Self.seed)")
        let firms = try Self.firms.get()
        let pairs = firms.compactMap { row, pd -> (value: Double, pd: Double)? in
            guard case .number(let value)? = row[driver.feature] else { return nil }
            return (value, pd)
        }
        let (low, high) = try #require(Self.thirds(pairs), "\(driver.feature) does not vary")
        let (safer, riskier) = driver.direction == .higherIsRiskier ? (low, high) : (high, low)
        print(
            "EconomicSenseTests: \(driver.feature): median true PD \(riskier) on its riskier side, \(safer) on its "
                + "safer side (\(pairs.count) firms)")
        #expect(riskier >= driver.ratio * safer, "\(driver.feature): \(riskier) against \(safer)")
    }

    /// The median PD of the firms in the lowest third of the values and in the highest; when a third of the firms or
    /// more share the lowest value (no disputes, no circular trade), those against all the others. Nil when every
    /// firm has the same value or a side has fewer than three firms (the ring has three to five).
    static func thirds(_ pairs: [(value: Double, pd: Double)]) -> (low: Double, high: Double)? {
        let values = pairs.map(\.value).sorted()
        guard values.count >= 10 else { return nil }
        let lowCut = values[values.count / 3]
        let highCut = values[values.count * 2 / 3]
        let low = pairs.filter { $0.value <= lowCut }
        let high = lowCut == highCut ? pairs.filter { $0.value > lowCut } : pairs.filter { $0.value >= highCut }
        guard low.count >= 3, high.count >= 3 else { return nil }
        func median(_ group: [(value: Double, pd: Double)]) -> Double {
            let sorted = group.map(\.pd).sorted()
            return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
        }
        return (median(low), median(high))
    }
}
