/// One bin of a feature: which values fall in it, its training counts, weight of evidence and points.
///
/// Weight of evidence is `ln(%good / %bad)`: a bin with relatively more goods than bads has a positive WoE and earns
/// points. A bin with no goods or no bads adds 0.5 to both counts (only for its WoE and IV term); an empty bin
/// (never seen in training) has WoE 0, so an unseen value is neutral.
public struct ScorecardBin: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// Numbers with `lower <= x < upper` (a missing bound is unbounded).
        case range
        /// Texts listed in `categories`.
        case categories
        /// Texts seen rarely or never in training.
        case other
        /// The number `special` exactly (a code such as -999 that is not a quantity).
        case special
        /// No value.
        case missing
    }

    public var kind: Kind
    public var label: String
    public var lower: Double?
    public var upper: Double?
    public var categories: [String]?
    public var special: Double?
    public var goods: Int
    public var bads: Int
    /// The share of the training rows in this bin, the reference for population stability.
    public var share: Double
    public var woe: Double
    public var points: Double

    public init(
        kind: Kind, label: String, lower: Double? = nil, upper: Double? = nil, categories: [String]? = nil,
        special: Double? = nil, goods: Int = 0, bads: Int = 0
    ) {
        self.kind = kind
        self.label = label
        self.lower = lower
        self.upper = upper
        self.categories = categories
        self.special = special
        self.goods = goods
        self.bads = bads
        self.share = 0
        self.woe = 0
        self.points = 0
    }

    public var count: Int { goods + bads }
    public var badRate: Double { count == 0 ? 0 : Double(bads) / Double(count) }
}

/// Weight of evidence and information value from counts per bin, in bin order.
public enum WeightOfEvidence {
    /// WoE per bin and the IV `Σ (%good − %bad) · WoE`, with the smoothing `ScorecardBin` describes. Sums run in bin
    /// order, so the result is the same bits everywhere.
    public static func compute(goods: [Int], bads: [Int]) -> (woe: [Double], iv: Double) {
        precondition(goods.count == bads.count, "one good and one bad count per bin")
        let totalGoods = Double(goods.reduce(0, +))
        let totalBads = Double(bads.reduce(0, +))
        guard totalGoods > 0, totalBads > 0 else { return (Array(repeating: 0, count: goods.count), 0) }
        var woes = [Double]()
        var iv = 0.0
        for (good, bad) in zip(goods, bads) {
            if good == 0 && bad == 0 {
                woes.append(0)
                continue
            }
            let smoothing = good == 0 || bad == 0 ? 0.5 : 0
            let goodShare = (Double(good) + smoothing) / totalGoods
            let badShare = (Double(bad) + smoothing) / totalBads
            let woe = (goodShare / badShare).logValue
            woes.append(woe)
            iv += (goodShare - badShare) * woe
        }
        return (woes, iv)
    }
}
