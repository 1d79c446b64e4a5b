import FacetCore
import FacetScorecard

/// Finds "what would raise my limit" by counterfactuals: it changes the firm's evidence the way one action would,
/// reassesses it with the real scorecard and engine, and keeps the actions that raise the grade or a limit.
///
/// Record actions (`LimitAdvisor+Records.swift`) change pieces and receivables only; the features the ledger would
/// recompute after them (verified share, audited share) may raise the score as well, which the advice does not
/// claim. Score actions (`LimitAdvisor+Features.swift`) move one feature to its nearest better bin.
struct LimitAdvisor: Sendable {
    /// A counterfactual's effect against the actual outcome.
    struct Effect: Hashable, Sendable {
        var gradeSteps: Int
        var grade: String?
        var score: Double?
        var limits: [LimitAdvice.LimitChange]
        var outcome: AssessmentContext.Outcome

        /// A better grade, or a higher limit for some product (a decline turned into an offer included).
        var improves: Bool { gradeSteps > 0 || limits.contains { $0.after > $0.before } }
    }

    let context: AssessmentContext
    let evidence: CreditEvidence
    let base: AssessmentContext.Outcome

    /// Every improving action, ordered by `LimitAdvice.precedes`, at most `LimitAdvice.maxItems`.
    func advice() -> [LimitAdvice] {
        let found = recordAdvice() + featureAdvice()
        return Array(found.sorted(by: LimitAdvice.precedes).prefix(LimitAdvice.maxItems))
    }

    func effect(of changed: CreditEvidence) -> Effect {
        let outcome = context.outcome(changed)
        let steps = context.gradeRank(base.score.grade) - context.gradeRank(outcome.score.grade)
        var limits = [LimitAdvice.LimitChange]()
        for (index, product) in context.products.enumerated() {
            let before = base.offeredLimits[index]
            let after = outcome.offeredLimits[index]
            if before != after { limits.append(.init(product: product.id, before: before, after: after)) }
        }
        return Effect(
            gradeSteps: steps, grade: outcome.score.grade == base.score.grade ? nil : outcome.score.grade,
            score: outcome.score.score == base.score.score ? nil : outcome.score.score, limits: limits,
            outcome: outcome)
    }

    /// The effect in words: the new grade, and the product whose limit rises most (with how many others rise).
    func describe(_ effect: Effect) -> String {
        var parts = [String]()
        if let grade = effect.grade { parts.append("your grade moves from \(base.score.grade) to \(grade)") }
        let rising = effect.limits.filter { $0.after > $0.before }
        if let top = rising.max(by: { ($0.after - $0.before) < ($1.after - $1.before) }) {
            let money = { (amount: Int64) in AdviceText.money(amount, evidence.currency) }
            var text =
                top.before == 0
                ? "\(top.product) offers up to \(money(top.after))"
                : "the \(top.product) limit rises from \(money(top.before)) to \(money(top.after))"
            if rising.count > 1 {
                text += " (and \(rising.count - 1) more \(rising.count == 2 ? "product" : "products"))"
            }
            parts.append(text)
        }
        return parts.joined(separator: ", and ")
    }
}
