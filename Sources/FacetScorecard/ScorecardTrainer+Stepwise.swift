extension ScorecardTrainer {
    /// The features `selection` chooses among `candidates` (ranked by IV), in the order chosen; every candidate
    /// left out is added to `dropped` with the reason of the last step: the sign it would flip, or the gain it
    /// fell short of. Bins and WoE are the training rows'; the folds hold out only the regression's rows.
    func stepwise(
        _ candidates: [Int], _ binnings: [FeatureBinning], columns: [[Double]], targets: [UInt8],
        selection: StepwiseSelection, dropped: inout [ScorecardModel.DroppedFeature], _ progress: (String) -> Void
    ) -> [Int] {
        let folds = Self.stratifiedFolds(targets, count: selection.folds)
        var chosen = [Int]()
        var remaining = candidates
        var best = 0.5
        var refusals = [Int: String]()
        while !remaining.isEmpty {
            refusals = [:]
            var step: (index: Int, auc: Double)?
            for index in remaining {
                let trial = chosen + [index]
                let fit = settings.regression.fit(columns: trial.map { columns[$0] }, targets: targets)
                if let wrong = fit.coefficients.firstIndex(where: { $0 > 0 }) {
                    refusals[index] = signReason(trial, wrong: wrong, binnings, columns: columns)
                    continue
                }
                let auc = crossValidatedAUC(trial.map { columns[$0] }, targets: targets, folds: folds)
                if auc > step?.auc ?? -1 { step = (index, auc) }
            }
            guard let step, step.auc >= best + selection.minGain else { break }
            chosen.append(step.index)
            remaining.removeAll { $0 == step.index }
            best = step.auc
            progress("stepwise: \(binnings[step.index].name) raises the cross-validated AUC to \(Self.fixed(best))")
        }
        for index in remaining {
            let reason =
                refusals[index]
                ?? "adds less than \(selection.minGain) to the cross-validated AUC (\(Self.fixed(best))) of "
                + (chosen.isEmpty ? "no feature" : chosen.map { binnings[$0].name }.joined(separator: ", "))
            dropped.append(.init(name: binnings[index].name, reason: reason, iv: binnings[index].iv))
        }
        return chosen
    }

    /// Why adding the last feature of `trial` was refused: its own coefficient, or the one at `wrong`, took the
    /// wrong sign; named with the feature it is most correlated with.
    private func signReason(_ trial: [Int], wrong: Int, _ binnings: [FeatureBinning], columns: [[Double]]) -> String {
        let added = trial[trial.count - 1]
        let others = wrong == trial.count - 1 ? Array(trial.dropLast()) : [trial[wrong]]
        func correlation(_ index: Int) -> Double { abs(Self.pearson(columns[index], columns[added])) }
        let rival = others.max { correlation($0) < correlation($1) }
        guard let rival else { return "coefficient with the wrong sign" }
        let correlation = Self.fixed(Self.pearson(columns[rival], columns[added]))
        return wrong == trial.count - 1
            ? "coefficient with the wrong sign beside \(binnings[rival].name) (WoE correlation \(correlation))"
            : "turns the coefficient of \(binnings[rival].name) to the wrong sign (WoE correlation \(correlation))"
    }

    /// The mean over folds of the AUC on each fold's rows of the regression fitted on the other folds' rows.
    func crossValidatedAUC(_ columns: [[Double]], targets: [UInt8], folds: [Int]) -> Double {
        let count = (folds.max() ?? 0) + 1
        var total = 0.0
        for fold in 0..<count {
            let train = folds.indices.filter { folds[$0] != fold }
            let test = folds.indices.filter { folds[$0] == fold }
            let fit = settings.regression.fit(
                columns: columns.map { column in train.map { column[$0] } }, targets: train.map { targets[$0] })
            // Higher scores are better: the score is minus the log-odds of bad.
            let scores = test.map { row in
                -zip(fit.coefficients, columns).reduce(fit.intercept) { $0 + $1.0 * $1.1[row] }
            }
            total += Discrimination.auc(scores: scores, bads: test.map { targets[$0] })
        }
        return total / Double(count)
    }

    /// Each row's fold: the k-th bad and the k-th good (in row order) go to fold k mod `count`.
    public static func stratifiedFolds(_ targets: [UInt8], count: Int) -> [Int] {
        var seen = [0, 0]
        return targets.map { target in
            let kind = target == 1 ? 1 : 0
            defer { seen[kind] += 1 }
            return seen[kind] % count
        }
    }

    static func fixed(_ value: Double) -> String { "\((value * 10_000).rounded() / 10_000)" }
}
