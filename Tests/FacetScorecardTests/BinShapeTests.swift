@testable import FacetScorecard
import Testing

/// Peak and valley binnings: chosen when they beat the monotone binning under cross-validation, never otherwise.
@Suite struct BinShapeTests {
    /// Values 0…999; the bad rate is 10 % below 300, 50 % from 300 to 699, 10 % from 700 (bad exactly when 7·v mod
    /// 50 is below 5 or 25, so every run of fifty values from a multiple of fifty holds the stated share, and the
    /// bads spread over the cross-validation's folds).
    static func peaked() -> (values: [FeatureValue], targets: [UInt8]) {
        let values = (0..<1_000).map { FeatureValue.number(Double($0)) }
        let targets: [UInt8] = (0..<1_000).map { v in
            let below = (300..<700).contains(v) ? 25 : 5
            return (v * 7) % 50 < below ? 1 : 0
        }
        return (values, targets)
    }

    @Test func aPeakKnownAnswer() {
        let book = Self.peaked()
        let binner = Binner(settings: BinningSettings(shapes: true))
        let binning = binner.bin(values: book.values, targets: book.targets, feature: "dti", kind: .numeric)
        #expect(binning.direction == "peak")
        let ranges = binning.bins.filter { $0.kind == .range }
        #expect(ranges.map(\.upper) == [300, 700, nil])
        #expect(ranges.map(\.badRate) == [0.1, 0.5, 0.1])
        #expect(ranges.map(\.count) == [300, 400, 300])
        // Monotone only, the peak is flattened: fewer bins and far less information.
        let monotone = Binner().bin(values: book.values, targets: book.targets, feature: "dti", kind: .numeric)
        #expect(["ascending", "descending"].contains(monotone.direction))
        #expect(monotone.iv < binning.iv / 2)
    }

    @Test func aValleyIsFoundToo() {
        let book = Self.peaked()
        let flipped = book.targets.map { 1 - $0 }
        let binning = Binner(settings: BinningSettings(shapes: true)).bin(
            values: book.values, targets: flipped, feature: "age", kind: .numeric)
        #expect(binning.direction == "valley")
        #expect(binning.bins.filter { $0.kind == .range }.map(\.upper) == [300, 700, nil])
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aMonotoneFeatureStaysMonotone(seed: UInt64) {
        print("BinShapeTests seed \(seed)")
        // Income lowers risk monotonically in the synthetic book: a shape must not win there by chance.
        let data = SyntheticBook.make(seed: seed)
        let binning = Binner(settings: BinningSettings(shapes: true)).bin(data, feature: "income", kind: .numeric)
        #expect(binning.direction == "descending")
    }

    @Test func aDeclaredFeatureIsNeverShaped() throws {
        let book = Self.peaked()
        let rows = book.values.map { ["dti": $0] as FeatureRow }
        let data = Dataset(features: [(name: "dti", kind: .numeric)], rows: rows, targets: book.targets)
        var settings = TrainingSettings(binning: BinningSettings(shapes: true))
        let free = try ScorecardTrainer(settings: settings).train(data)
        #expect(free.features.first?.binning.direction == "peak")
        settings.specification = ModelSpecification(features: [.init(name: "dti", direction: .higherIsRiskier)])
        let declared = try? ScorecardTrainer(settings: settings).train(data)
        #expect(declared?.features.first?.binning.direction != "peak")
    }
}
