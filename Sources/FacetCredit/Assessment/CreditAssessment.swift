import FacetCore
import FacetLedger
import FacetScorecard

/// One firm's credit at one ledger height under one lender's policy: its score with the reasons that cost it the
/// most points, a decision for every product the lender offers, and what the firm could do to raise its limits.
///
/// Everything here is recomputed from `CreditEvidence` by the real scorecard and `CreditEngine.decide`, so a lender,
/// the firm and an auditor holding the same evidence and model get the same assessment, bit for bit.
public struct CreditAssessment: Hashable, Sendable {
    public var firm: MemberID
    /// The ledger height the evidence was read at.
    public var height: UInt64
    public var asOf: Timestamp
    /// The scorecard's content hash, as an offer names it.
    public var modelHash: String
    public var score: Double
    public var pd: Double
    public var grade: String
    /// Up to `ScorecardModel.maxReasons` features below their best bin, the largest shortfall first, with the
    /// model's plain-words text.
    public var reasons: [ScoreResult.Reason]
    /// What every decision read: the score's PD and grade, revenue and cash flow in minor units, the records.
    public var inputs: CreditInputs
    /// One per product the policy lists and the caller supplied, in the policy's order.
    public var decisions: [CreditDecision]
    /// At most `LimitAdvice.maxItems`, grade improvements first, then by limit gained.
    public var advice: [LimitAdvice]

    /// Scores the firm, decides every product the policy offers, and searches for the actions that would raise its
    /// grade or a limit. Products the policy lists but `products` lacks are skipped; products it does not list are
    /// ignored. `advice: false` leaves the advice out (a list of applicants). Pure: no clock, no randomness, no
    /// dictionary iteration.
    public static func assess(
        _ evidence: CreditEvidence, model: ScorecardModel, products: [CreditProduct], policy: LenderPolicy,
        requestedTenorDays: UInt32? = nil, advice withAdvice: Bool = true
    ) -> CreditAssessment {
        let context = AssessmentContext(
            model: model, products: offered(products, policy: policy), policy: policy,
            requestedTenorDays: requestedTenorDays)
        let outcome = context.outcome(evidence)
        // The advice search re-decides every product for each candidate action: the bulk of an assessment's cost,
        // which a list of applicants does without.
        let advice = withAdvice ? LimitAdvisor(context: context, evidence: evidence, base: outcome).advice() : []
        let features = evidence.features
        return CreditAssessment(
            firm: features.firm, height: features.height, asOf: features.asOf, modelHash: hash(of: model),
            score: outcome.score.score, pd: outcome.score.pd, grade: outcome.score.grade,
            reasons: outcome.score.reasons, inputs: outcome.inputs, decisions: outcome.decisions, advice: advice)
    }

    /// The products the policy lists, in its order; the first of several with one id.
    static func offered(_ products: [CreditProduct], policy: LenderPolicy) -> [CreditProduct] {
        policy.products.compactMap { id in products.first { $0.id == id } }
    }

    /// The model's stated hash; an unsealed model is named by its content hash, and one that cannot be encoded
    /// (a non-finite number) by none.
    static func hash(of model: ScorecardModel) -> String {
        if let stated = model.hash { return stated }
        return (try? model.contentHash()) ?? ""
    }
}
