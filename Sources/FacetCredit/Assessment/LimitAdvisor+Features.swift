import FacetScorecard

extension LimitAdvisor {
    /// A better bin of a feature and the value that reaches it.
    struct BinTarget: Hashable, Sendable {
        var bin: Int
        var value: Double
        var points: Double
    }

    /// One advice per model feature a firm can act on (`AdvisedFeature`), in the model's feature order.
    func featureAdvice() -> [LimitAdvice] {
        context.model.features.compactMap { advise($0) }
    }

    /// The nearest better bin (the smallest move of the value) in the feature's declared direction that improves
    /// the grade; failing that, the nearest that raises a limit. Nil for a feature at its best bin, without a value
    /// (missing, or a special code that is not a quantity), categorical, not one a firm can act on, or not eligible
    /// in the ledger model's specification.
    func advise(_ feature: ScorecardModel.Feature) -> LimitAdvice? {
        guard let advised = AdvisedFeature.named(feature.name), feature.binning.kind == .numeric,
            let direction = feature.direction ?? FeatureName.specification.direction(of: feature.name),
            case .number(let value)? = evidence.features.values[feature.name]
        else { return nil }
        let current = feature.binning.binIndex(for: .number(value))
        guard feature.binning.bins[current].kind == .range else { return nil }
        let targets = Self.targets(feature.binning, from: current, value: value, step: advised.unit.step).filter {
            direction == .higherIsSafer ? $0.value > value : $0.value < value
        }
        var fallback: (target: BinTarget, effect: Effect)?
        for target in targets {
            var changed = evidence
            changed.features.values[feature.name] = .number(target.value)
            let effect = effect(of: changed)
            if effect.gradeSteps > 0 {
                return advice(feature.name, advised, from: value, to: target.value, effect)
            }
            if fallback == nil && effect.improves { fallback = (target, effect) }
        }
        guard let fallback else { return nil }
        return advice(feature.name, advised, from: value, to: fallback.target.value, fallback.effect)
    }

    func advice(_ name: String, _ advised: AdvisedFeature, from value: Double, to target: Double, _ effect: Effect)
        -> LimitAdvice
    {
        let raising = target > value
        var text =
            "\(raising ? "Raise" : "Lower") \(advised.subject) from \(Self.format(value, advised.unit, evidence)) to "
            + Self.format(target, advised.unit, evidence)
        if let hint = raising ? advised.raise : advised.lower { text += " (\(hint))" }
        text += ": " + describe(effect)
        return LimitAdvice(
            code: LimitAdvice.improvePrefix + name, text: text, feature: name, currentValue: value,
            targetValue: target, grade: effect.grade, score: effect.score, gradeSteps: effect.gradeSteps,
            limits: effect.limits)
    }

    /// The range bins that earn more points than bin `current`, each with the value nearest `value` inside it,
    /// rounded to `step` where the rounded value stays inside; nearest first (ties: more points, then bin order).
    static func targets(_ binning: FeatureBinning, from current: Int, value: Double, step: Double) -> [BinTarget] {
        let bins = binning.bins
        var found = [BinTarget]()
        for index in bins.indices where bins[index].kind == .range && bins[index].points > bins[current].points {
            let candidates: [Double]
            if index > current {
                // Up: the bin's lower bound, which is the previous range bin's upper when not stated.
                guard let lower = bins[index].lower ?? bins[index - 1].upper else { continue }
                let rounded = (lower / step).rounded(.up) * step
                candidates = [rounded, rounded + step, lower]
            } else {
                // Down: just below the bin's upper bound.
                guard let upper = bins[index].upper else { continue }
                let rounded = ((upper / step).rounded(.up) - 1) * step
                candidates = [rounded, rounded - step, upper.nextDown]
            }
            guard let target = candidates.first(where: { binning.binIndex(for: .number($0)) == index }) else {
                continue
            }
            found.append(BinTarget(bin: index, value: target, points: bins[index].points))
        }
        return found.sorted {
            let a = abs($0.value - value)
            let b = abs($1.value - value)
            if a != b { return a < b }
            return $0.points != $1.points ? $0.points > $1.points : $0.bin < $1.bin
        }
    }

    /// A feature value as the firm reads it; a value off the unit's step shows two more decimals.
    static func format(_ value: Double, _ unit: AdvisedFeature.Unit, _ evidence: CreditEvidence) -> String {
        let units = value / unit.step
        let extra = abs(units - units.rounded()) < 1e-6 ? 0 : 2
        switch unit {
        case .currency: return AdviceText.fixed(value, decimals: extra) + " " + evidence.currency.code
        case .percent: return AdviceText.fixed(value * 100, decimals: extra) + "%"
        case .ratio: return AdviceText.fixed(value, decimals: 2 + extra)
        case .days: return AdviceText.fixed(value, decimals: extra) + " days"
        case .count: return AdviceText.fixed(value, decimals: extra)
        }
    }
}
