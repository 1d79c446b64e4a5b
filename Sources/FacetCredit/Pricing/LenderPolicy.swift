import Foundation

/// A lender's credit policy as `contracts/policies/*.json` defines it: its costs and appetite, and the caps on
/// what it lends. Rates and shares are basis points; amounts are minor units of the consortium's currency.
public struct LenderPolicy: Codable, Hashable, Sendable {
    /// The lender's key in `seeds/consortium.json`.
    public var lender: String
    /// The lender's member name on the ledger: how a node finds the policy of the member asking.
    public var memberName: String?
    /// The member name of the guarantor the lender's guarantee offers name; nil when it offers no guarantee.
    public var guarantor: String?
    public var riskAppetite: String
    /// What the lender pays for its money, a year (the seed's `fundingCostBps`).
    public var fundingCostBps: Int
    /// Servicing, monitoring and collection, a year.
    public var operatingCostBps: Int
    /// The return the lender's equity requires: the capital a loan ties up (IRB K) costs this much a year.
    public var hurdleRateBps: Int
    /// Profit over all costs, a year.
    public var marginBps: Int
    /// The highest PD accepted.
    public var maxPdBps: Int
    /// Grades from best to worst (the scorecard's master-scale names, "1" to "10"); `worstGrade` is the last
    /// accepted.
    public var gradeScale: [String]
    public var worstGrade: String
    /// The limit is at most this share of 12-month verified revenue.
    public var revenueCapBps: Int
    /// Monthly cash flow covers the level monthly payment of the limit at least this many times (15000 = 1.5×).
    public var minCashFlowCoverBps: Int
    public var maxTenorDays: UInt32
    public var minimumLimitMinor: Int64
    /// Product ids (file names in `contracts/products/`) the lender offers.
    public var products: [String]
    /// Minor units per million euros, for Basel's SME firm-size adjustment; nil to apply none.
    public var smeMinorUnitsPerMillionEUR: Int64?

    /// Reads a policy file strictly; `credit.policy_malformed` names the field at fault.
    public static func decode(_ data: Data) throws(CreditTermsError) -> LenderPolicy {
        let policy = try TermsJSON.decode(LenderPolicy.self, from: data, code: .policyMalformed)
        try policy.validate()
        return policy
    }

    func validate() throws(CreditTermsError) {
        func check(_ condition: Bool, _ message: String) throws(CreditTermsError) {
            if !condition { throw CreditTermsError(.policyMalformed, "\(lender): \(message)") }
        }
        try check(!lender.isEmpty, "lender is empty")
        for (name, bps) in [
            ("fundingCostBps", fundingCostBps), ("operatingCostBps", operatingCostBps),
            ("hurdleRateBps", hurdleRateBps), ("marginBps", marginBps), ("revenueCapBps", revenueCapBps),
        ] {
            try check(bps >= 0 && bps <= 10_000, "\(name) is 0 to 10000")
        }
        try check(maxPdBps >= 1 && maxPdBps < 10_000, "maxPdBps is 1 to 9999")
        try check(gradeScale.contains(worstGrade), "worstGrade \(worstGrade) is not on gradeScale")
        try check(Set(gradeScale).count == gradeScale.count, "gradeScale repeats a grade")
        try check(minCashFlowCoverBps >= 1, "minCashFlowCoverBps is positive")
        try check(maxTenorDays >= 1 && maxTenorDays <= 3_650, "maxTenorDays is 1 to 3650")
        try check(minimumLimitMinor > 0, "minimumLimitMinor is positive")
        try check(!products.isEmpty, "products is empty")
        if let sme = smeMinorUnitsPerMillionEUR { try check(sme > 0, "smeMinorUnitsPerMillionEUR is positive") }
        try check(
            !products.contains("guarantee") || guarantor?.isEmpty == false,
            "a policy offering guarantee names its guarantor")
    }

    /// True when `grade` is on the scale at or above `worstGrade`.
    public func accepts(grade: String) -> Bool {
        guard let index = gradeScale.firstIndex(of: grade), let worst = gradeScale.firstIndex(of: worstGrade) else {
            return false
        }
        return index <= worst
    }
}
