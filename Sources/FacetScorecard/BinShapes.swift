/// Peak and valley binnings, and the cross-validation that decides whether one beats the monotone binning.
///
/// A peak: the bad rate rises strictly across the range bins up to one bin, then falls strictly (a valley: falls,
/// then rises), as a debt-to-income ratio or an age can behave. For each split of the fine classes into a left and
/// a right run, the left run is merged to rise and the right to fall (valley: the reverse), the two joined, and
/// the bins capped at `maxBins`; the split with the highest IV wins (the leftmost on a tie), and of the best peak and
/// the best valley the one with the higher IV (the peak on a tie). A shape is kept only when it has at least three
/// bins and is truly non-monotone.
enum BinShapes {
    /// The pooled held-out AUC a shape must add over the monotone binning to be chosen.
    static let requiredGain = 0.002
    /// Folds of the cross-validation.
    static let folds = 5

    /// Whether the bad rates rise then fall (`peak`) or fall then rise, with at least one of each step.
    static func isShape(_ rates: [Double], peak: Bool) -> Bool {
        guard rates.count >= 3 else { return false }
        var turned = false
        var stepsBefore = 0
        for (a, b) in zip(rates, rates.dropFirst()) {
            let up = peak ? a < b : a > b
            let down = peak ? a > b : a < b
            if !turned && up {
                stepsBefore += 1
            } else if down && stepsBefore > 0 {
                turned = true
            } else {
                return false
            }
        }
        return turned
    }
}

extension Binner {
    /// The best peak or valley of the fine classes `ranges`, or nil when none is truly shaped.
    func bestShape(_ ranges: [RangeCount]) -> (ranges: [RangeCount], direction: String)? {
        guard ranges.count >= 3 else { return nil }
        var best: (ranges: [RangeCount], direction: String, iv: Double)?
        for (peak, name) in [(true, "peak"), (false, "valley")] {
            for split in 1..<ranges.count {
                let left = monotoneRun(Array(ranges[..<split]), ascending: peak)
                let right = monotoneRun(Array(ranges[split...]), ascending: !peak)
                let joined = capped(left + right)
                guard BinShapes.isShape(joined.map(\.badRate), peak: peak) else { continue }
                let iv = Self.iv(joined)
                if best == nil || iv > best!.iv { best = (joined, name, iv) }
            }
        }
        return best.map { ($0.ranges, $0.direction) }
    }

    /// The pooled held-out AUC of the shaped binning minus the monotone one's: rows are dealt to `BinShapes.folds`
    /// folds by their position in value order (so each fold spans every value), each fold scored by the bad rates
    /// of the bins fitted on the others. A fold without a shape scores with its monotone bins on both sides.
    func crossValidatedGain(_ pairs: [(value: Double, bad: UInt8)], total: Int) -> Double {
        var monotoneScores = [Double]()
        var shapedScores = [Double]()
        var outcomes = [UInt8]()
        let trainingTotal = total * (BinShapes.folds - 1) / BinShapes.folds
        for fold in 0..<BinShapes.folds {
            let training = pairs.indices.filter { $0 % BinShapes.folds != fold }.map { pairs[$0] }
            let candidates = shapeCandidates(training, total: trainingTotal)
            let shaped = candidates.shaped?.ranges ?? candidates.monotone.ranges
            for index in pairs.indices where index % BinShapes.folds == fold {
                let pair = pairs[index]
                monotoneScores.append(-Self.rate(of: pair.value, in: candidates.monotone.ranges))
                shapedScores.append(-Self.rate(of: pair.value, in: shaped))
                outcomes.append(pair.bad)
            }
        }
        guard outcomes.contains(0), outcomes.contains(1) else { return 0 }
        return Discrimination.auc(scores: shapedScores, bads: outcomes)
            - Discrimination.auc(scores: monotoneScores, bads: outcomes)
    }

    /// The bad rate of the range `value` falls in (0 when there are no ranges).
    static func rate(of value: Double, in ranges: [RangeCount]) -> Double {
        for range in ranges {
            if let upper = range.upper, value >= upper { continue }
            return range.count == 0 ? 0 : range.badRate
        }
        return ranges.last.map { $0.count == 0 ? 0 : $0.badRate } ?? 0
    }
}
