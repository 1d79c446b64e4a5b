/// How features are cut into bins.
public struct BinningSettings: Codable, Hashable, Sendable {
    /// Quantile pre-bins (fine classes) of a numeric feature before merging.
    public var maxFineBins: Int
    /// The smallest share of all training rows a range bin may hold; smaller ones merge with a neighbour.
    public var minBinShare: Double
    /// The most range bins a numeric feature keeps once monotonic.
    public var maxBins: Int
    /// Numbers that are codes rather than quantities (e.g. -999): each gets its own bin, outside monotonicity.
    public var specialValues: [Double]
    /// Categories holding less than this share of the training rows merge into `other`.
    public var rareCategoryShare: Double
    /// When true, a numeric feature may take a peak or valley shape (bad rate rising then falling, or the reverse)
    /// where that ranks held-out rows better than the monotone binning under 5-fold cross-validation on the
    /// training rows. Nil (absent from older model files) is false.
    public var shapes: Bool?

    public init(
        maxFineBins: Int = 20, minBinShare: Double = 0.05, maxBins: Int = 8, specialValues: [Double] = [],
        rareCategoryShare: Double = 0.05, shapes: Bool? = nil
    ) {
        precondition(maxFineBins >= 1 && maxBins >= 1, "a feature has at least one bin")
        self.maxFineBins = maxFineBins
        self.minBinShare = minBinShare
        self.maxBins = maxBins
        self.specialValues = specialValues
        self.rareCategoryShare = rareCategoryShare
        self.shapes = shapes
    }
}

/// Cuts features into bins with a monotonic bad rate.
///
/// Numeric: up to `maxFineBins` quantile pre-bins (cut points are the values at ranks `k·n/maxFineBins` of the
/// sorted values, so equal values never straddle a cut); then, while a range bin holds fewer than `minBinShare` of
/// the rows or has no good or no bad, the smallest such bin (leftmost on a tie) merges with its smaller neighbour
/// (the left one on a tie). Last, adjacent bins merge wherever the bad rate fails to rise strictly (ascending) or
/// fall strictly (descending); both directions are tried and the one with the higher IV kept (descending on a tie).
/// Beyond `maxBins`, the adjacent pair with the closest bad rates merges (leftmost on a tie) until few enough remain.
/// Merging two bins of a monotonic sequence keeps it monotonic, and merging never shrinks a bin, so the result
/// meets all three rules. Missing and each special value get their own bins, outside monotonicity.
public struct Binner: Sendable {
    public var settings: BinningSettings

    public init(settings: BinningSettings = BinningSettings()) {
        self.settings = settings
    }

    public func bin(_ dataset: Dataset, feature: String, kind: FeatureKind) -> FeatureBinning {
        let values = dataset.rows.map { $0[feature] ?? .missing }
        return bin(values: values, targets: dataset.targets, feature: feature, kind: kind)
    }

    public func bin(values: [FeatureValue], targets: [UInt8], feature: String, kind: FeatureKind) -> FeatureBinning {
        precondition(values.count == targets.count, "one target per value")
        var binning: FeatureBinning
        switch kind {
        case .numeric: binning = numericBinning(values: values, targets: targets, feature: feature)
        case .categorical: binning = categoricalBinning(values: values, targets: targets, feature: feature)
        }
        for (value, target) in zip(values, targets) {
            let index = binning.binIndex(for: value)
            if kind == .numeric && binning.bins[index].kind == .range { continue }  // counted while merging
            if kind == .categorical && binning.bins[index].kind == .categories { continue }
            if target == 1 { binning.bins[index].bads += 1 } else { binning.bins[index].goods += 1 }
        }
        binning.computeWeights(totalRows: values.count)
        return binning
    }

    private var minCount: (Int) -> Int {
        let share = settings.minBinShare
        return { total in Int((share * Double(total)).rounded(.up)) }
    }

    private func numericBinning(values: [FeatureValue], targets: [UInt8], feature: String) -> FeatureBinning {
        let specials = Array(Set(settings.specialValues)).sorted()
        var pairs = [(value: Double, bad: UInt8)]()
        for (value, target) in zip(values, targets) {
            guard let number = value.number, !number.isNaN, !specials.contains(number) else { continue }
            pairs.append((number, target))
        }
        pairs.sort { $0.value < $1.value || ($0.value == $1.value && $0.bad < $1.bad) }
        let (chosen, direction) = rangeBins(pairs, total: values.count)
        var bins = chosen.enumerated().map { offset, range in
            ScorecardBin(
                kind: .range, label: rangeLabel(range.lower, range.upper), lower: range.lower, upper: range.upper,
                goods: range.goods, bads: range.bads)
        }
        if bins.isEmpty { bins.append(ScorecardBin(kind: .range, label: rangeLabel(nil, nil))) }
        for special in specials {
            bins.append(ScorecardBin(kind: .special, label: "= \(special)", special: special))
        }
        bins.append(ScorecardBin(kind: .missing, label: "missing"))
        return FeatureBinning(name: feature, kind: .numeric, bins: bins, iv: 0, direction: direction)
    }

    /// The range bins of sorted (value, bad) pairs and their shape: the monotone binning, or with `shapes` on, the
    /// best peak or valley when it wins under cross-validation (`BinShapes`).
    func rangeBins(_ pairs: [(value: Double, bad: UInt8)], total: Int) -> (ranges: [RangeCount], direction: String) {
        let candidates = shapeCandidates(pairs, total: total)
        guard settings.shapes == true, let shaped = candidates.shaped,
            crossValidatedGain(pairs, total: total) > BinShapes.requiredGain
        else { return candidates.monotone }
        return shaped
    }

    /// The monotone binning (the direction with the higher IV, descending on a tie) and, with at least three fine
    /// classes, the best peak or valley.
    func shapeCandidates(_ pairs: [(value: Double, bad: UInt8)], total: Int) -> (
        monotone: (ranges: [RangeCount], direction: String), shaped: (ranges: [RangeCount], direction: String)?
    ) {
        let ranges = enforceSize(fineClasses(pairs), minCount: minCount(total))
        let ascending = monotonic(ranges, ascending: true)
        let descending = monotonic(ranges, ascending: false)
        let ivUp = Self.iv(ascending)
        let ivDown = Self.iv(descending)
        let chosen = ivUp > ivDown ? ascending : descending
        let direction = chosen.count <= 1 ? "flat" : (ivUp > ivDown ? "ascending" : "descending")
        let shaped = settings.shapes == true ? bestShape(ranges) : nil
        return ((chosen, direction), shaped)
    }

    static func iv(_ ranges: [RangeCount]) -> Double {
        WeightOfEvidence.compute(goods: ranges.map(\.goods), bads: ranges.map(\.bads)).iv
    }

    struct RangeCount {
        var lower: Double?
        var upper: Double?
        var goods: Int
        var bads: Int
        var count: Int { goods + bads }
        var badRate: Double { Double(bads) / Double(count) }

        func merged(with right: RangeCount) -> RangeCount {
            RangeCount(lower: lower, upper: right.upper, goods: goods + right.goods, bads: bads + right.bads)
        }
    }

    func fineClasses(_ pairs: [(value: Double, bad: UInt8)]) -> [RangeCount] {
        guard let first = pairs.first else { return [] }
        var cuts = [Double]()
        let fine = max(1, settings.maxFineBins)
        for k in 1..<max(fine, 2) where k < fine {
            let cut = pairs[k * pairs.count / fine].value
            if cut > first.value && cut != cuts.last { cuts.append(cut) }
        }
        var ranges = [RangeCount]()
        var lower: Double? = nil
        for cut in cuts + [Double.infinity] {
            ranges.append(RangeCount(lower: lower, upper: cut.isFinite ? cut : nil, goods: 0, bads: 0))
            lower = cut
        }
        var index = 0
        for pair in pairs {
            while let upper = ranges[index].upper, pair.value >= upper { index += 1 }
            if pair.bad == 1 { ranges[index].bads += 1 } else { ranges[index].goods += 1 }
        }
        return ranges
    }

    func enforceSize(_ input: [RangeCount], minCount: Int) -> [RangeCount] {
        var ranges = input
        while ranges.count > 1 {
            var worst: Int? = nil
            for (index, range) in ranges.enumerated()
            where range.count < minCount || range.goods == 0 || range.bads == 0 {
                if worst == nil || range.count < ranges[worst!].count { worst = index }
            }
            guard let index = worst else { break }
            let left = index - 1
            let right = index + 1
            let mergeLeft: Bool
            if left < 0 {
                mergeLeft = false
            } else if right >= ranges.count {
                mergeLeft = true
            } else {
                mergeLeft = ranges[left].count <= ranges[right].count
            }
            if mergeLeft {
                ranges[left] = ranges[left].merged(with: ranges[index])
                ranges.remove(at: index)
            } else {
                ranges[index] = ranges[index].merged(with: ranges[right])
                ranges.remove(at: right)
            }
        }
        return ranges
    }

    func monotonic(_ input: [RangeCount], ascending: Bool) -> [RangeCount] {
        capped(monotoneRun(input, ascending: ascending))
    }

    /// Adjacent ranges merged wherever the bad rate fails to rise strictly (ascending) or fall strictly.
    func monotoneRun(_ input: [RangeCount], ascending: Bool) -> [RangeCount] {
        var ranges = input
        var index = 0
        while index + 1 < ranges.count {
            let rising = ranges[index].badRate < ranges[index + 1].badRate
            let falling = ranges[index].badRate > ranges[index + 1].badRate
            if ascending ? rising : falling {
                index += 1
                continue
            }
            ranges[index] = ranges[index].merged(with: ranges[index + 1])
            ranges.remove(at: index + 1)
            index = max(0, index - 1)
        }
        return ranges
    }

    /// Beyond `maxBins`, the adjacent pair with the closest bad rates merges (leftmost on a tie). A merged pair's
    /// rate lies between the two, so a monotone or single-peaked sequence keeps its shape.
    func capped(_ input: [RangeCount]) -> [RangeCount] {
        var ranges = input
        while ranges.count > max(1, settings.maxBins) {
            var closest = 0
            for pair in 1..<(ranges.count - 1) {
                let gap = abs(ranges[pair].badRate - ranges[pair + 1].badRate)
                if gap < abs(ranges[closest].badRate - ranges[closest + 1].badRate) { closest = pair }
            }
            ranges[closest] = ranges[closest].merged(with: ranges[closest + 1])
            ranges.remove(at: closest + 1)
        }
        return ranges
    }

    private func categoricalBinning(values: [FeatureValue], targets: [UInt8], feature: String) -> FeatureBinning {
        var counts = [String: (goods: Int, bads: Int)]()
        for (value, target) in zip(values, targets) {
            guard case .text(let text) = value else { continue }
            var count = counts[text] ?? (0, 0)
            if target == 1 { count.bads += 1 } else { count.goods += 1 }
            counts[text] = count
        }
        let rare = Int((settings.rareCategoryShare * Double(values.count)).rounded(.up))
        var frequent = [(name: String, goods: Int, bads: Int)]()
        var other = ScorecardBin(kind: .other, label: "other", categories: [])
        for name in counts.keys.sorted() {
            let count = counts[name]!
            if count.goods + count.bads < rare {
                other.categories?.append(name)
                other.goods += count.goods
                other.bads += count.bads
            } else {
                frequent.append((name, count.goods, count.bads))
            }
        }
        func rate(_ entry: (name: String, goods: Int, bads: Int)) -> Double {
            Double(entry.bads) / Double(entry.goods + entry.bads)
        }
        frequent.sort { rate($0) < rate($1) || (rate($0) == rate($1) && $0.name < $1.name) }
        var bins = frequent.map { entry in
            ScorecardBin(
                kind: .categories, label: entry.name, categories: [entry.name], goods: entry.goods, bads: entry.bads)
        }
        other.goods = 0  // recounted with the missing bin by `bin(values:…)`
        other.bads = 0
        bins.append(other)
        bins.append(ScorecardBin(kind: .missing, label: "missing"))
        return FeatureBinning(name: feature, kind: .categorical, bins: bins, iv: 0, direction: "")
    }

    private func rangeLabel(_ lower: Double?, _ upper: Double?) -> String {
        switch (lower, upper) {
        case (nil, nil): return "all"
        case (nil, let upper?): return "< \(upper)"
        case (let lower?, nil): return ">= \(lower)"
        case (let lower?, let upper?): return "[\(lower), \(upper))"
        }
    }
}
