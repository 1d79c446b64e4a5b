import FacetScorecard

/// The fixed part of an assessment (model, products in the policy's order, policy, tenor), which scores and decides
/// any version of a firm's evidence: the actual one and each counterfactual the advice tries.
struct AssessmentContext: Sendable {
    /// What one version of the evidence yields.
    struct Outcome: Hashable, Sendable {
        var score: ScoreResult
        var inputs: CreditInputs
        /// One per product, in `products` order.
        var decisions: [CreditDecision]

        /// The limit each product offers, in `products` order: zero for a decline, which lends nothing.
        var offeredLimits: [Int64] { decisions.map { $0.offer?.limit.amount ?? 0 } }
    }

    let model: ScorecardModel
    let products: [CreditProduct]
    let policy: LenderPolicy
    let requestedTenorDays: UInt32?

    func outcome(_ evidence: CreditEvidence) -> Outcome {
        let score = model.score(evidence.features.values)
        let inputs = CreditAssessment.inputs(
            evidence, pd: score.pd, grade: score.grade, requestedTenorDays: requestedTenorDays)
        let decisions = products.map { CreditEngine.decide(inputs, product: $0, policy: policy) }
        return Outcome(score: score, inputs: inputs, decisions: decisions)
    }

    /// The position of a grade on the model's master scale, best first; past the end when it is not on it.
    func gradeRank(_ grade: String) -> Int {
        model.masterScale.grades.firstIndex { $0.name == grade } ?? model.masterScale.grades.count
    }
}
