/// Forward selection by cross-validated AUC, instead of dropping the lower-IV feature of each correlated pair:
/// starting from no feature, each step adds the candidate that raises the mean AUC over `folds` held-out folds the
/// most, among those whose regression keeps every coefficient's sign right, until no candidate adds `minGain`.
/// A correlated feature is then left out because it adds nothing or would flip a sign beside one already chosen,
/// and the model's dropped features say which.
public struct StepwiseSelection: Codable, Hashable, Sendable {
    /// Folds of the cross-validation, stratified by outcome (the k-th bad and the k-th good go to fold k mod folds).
    public var folds: Int
    /// The least rise in cross-validated AUC a feature must bring to be added.
    public var minGain: Double

    public init(folds: Int = 5, minGain: Double = 0.001) {
        precondition(folds >= 2, "cross-validation needs two folds")
        self.folds = folds
        self.minGain = minGain
    }
}
