import FacetCore

/// The stable codes of a credit decision's declines and of unreadable product and policy files. Listed in
/// `contracts/errors.md`; a code keeps its meaning once published.
public enum CreditDecisionCode: String, ErrorCode, Codable {
    /// The lender's policy does not offer this product.
    case productNotOffered = "credit.product_not_offered"
    /// The firm's default probability is above the policy's maximum.
    case pdAbovePolicy = "credit.pd_above_policy"
    /// The firm's rating grade is worse than the policy's worst accepted grade, or not on its scale.
    case gradeBelowPolicy = "credit.grade_below_policy"
    /// A secured product found no eligible collateral (every piece or receivable was excluded).
    case noEligibleCollateral = "credit.no_eligible_collateral"
    /// The least of the limit's caps is below the minimum the product and policy lend.
    case limitBelowMinimum = "credit.limit_below_minimum"
    /// The inputs are not usable: a PD outside [0, 1], a negative revenue or a requested tenor of zero.
    case inputsInvalid = "credit.inputs_invalid"
    /// A product file is not valid JSON, misses a field, has one of the wrong type or an unknown one, or holds
    /// a value out of range.
    case productMalformed = "credit.product_malformed"
    /// A lender policy file is not valid JSON, misses a field, has one of the wrong type or an unknown one, or
    /// holds a value out of range.
    case policyMalformed = "credit.policy_malformed"
}

/// A product or policy file that cannot be used, with its stable code and a reason naming the field.
public typealias CreditTermsError = FacetError<CreditDecisionCode>
