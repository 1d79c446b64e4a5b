/// A feature's bins as a trained model holds them: every possible value maps to exactly one bin.
///
/// Bin order: the range bins by value (numeric) or the category bins by training bad rate, lowest first
/// (categorical); then `other` (categorical), the special values ascending (numeric), and `missing` last.
public struct FeatureBinning: Codable, Hashable, Sendable {
    public var name: String
    public var kind: FeatureKind
    public var bins: [ScorecardBin]
    /// Information value on the training data.
    public var iv: Double
    /// For a numeric feature: "ascending" when the bad rate rises with the value across range bins, "descending"
    /// when it falls, "flat" with one range bin. Empty for a categorical one.
    public var direction: String

    public init(name: String, kind: FeatureKind, bins: [ScorecardBin], iv: Double, direction: String) {
        self.name = name
        self.kind = kind
        self.bins = bins
        self.iv = iv
        self.direction = direction
    }

    /// The index of the bin that `value` falls in. Never fails: a text for a numeric feature counts as missing,
    /// an unseen category or a number for a categorical one falls in `other`.
    public func binIndex(for value: FeatureValue) -> Int {
        switch value {
        case .missing:
            return index(of: .missing)
        case .number(let number):
            guard kind == .numeric else { return index(of: .other) }
            if let special = bins.firstIndex(where: { $0.kind == .special && $0.special == number }) {
                return special
            }
            if number.isNaN { return index(of: .missing) }
            for (offset, bin) in bins.enumerated() where bin.kind == .range {
                if let upper = bin.upper, number >= upper { continue }
                return offset
            }
            return index(of: .missing)
        case .text(let text):
            guard kind == .categorical else { return index(of: .missing) }
            if let found = bins.firstIndex(where: { $0.kind == .categories && $0.categories?.contains(text) == true }) {
                return found
            }
            return index(of: .other)
        }
    }

    private func index(of kind: ScorecardBin.Kind) -> Int {
        guard let found = bins.firstIndex(where: { $0.kind == kind }) else {
            preconditionFailure("feature \(name) has no \(kind.rawValue) bin")
        }
        return found
    }

    /// Sets share, WoE and IV from the bins' counts; `totalRows` is the number of training rows.
    mutating func computeWeights(totalRows: Int) {
        let result = WeightOfEvidence.compute(goods: bins.map(\.goods), bads: bins.map(\.bads))
        for index in bins.indices {
            bins[index].woe = result.woe[index]
            bins[index].share = totalRows == 0 ? 0 : Double(bins[index].count) / Double(totalRows)
        }
        iv = result.iv
    }
}
