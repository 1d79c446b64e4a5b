import Foundation

/// A cap on a limit, with its amount, so the limit shows which constraint binds.
public struct LimitConstraint: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// `revenueCapBps` of 12-month verified revenue.
        case revenueCap = "revenue_cap"
        /// The principal whose level monthly payment the monthly cash flow covers `minCashFlowCoverBps` times.
        case cashFlowCover = "cash_flow_cover"
        /// Lendable value of the eligible collateral (secured products only).
        case borrowingBase = "borrowing_base"
    }

    public var kind: Kind
    public var amount: Int64
}

/// A limit: the least of its constraints.
public struct CreditLimit: Hashable, Sendable {
    /// In the order revenue cap, cash-flow cover, borrowing base.
    public var constraints: [LimitConstraint]
    public var amount: Int64
    /// The first constraint (in that order) equal to the limit.
    public var binding: LimitConstraint.Kind

    public init(constraints: [LimitConstraint]) {
        precondition(!constraints.isEmpty, "a limit has at least one constraint")
        var least = constraints[0]
        for constraint in constraints.dropFirst() where constraint.amount < least.amount { least = constraint }
        self.constraints = constraints
        self.amount = least.amount
        self.binding = least.kind
    }

    /// The revenue cap and cash-flow cover of a firm, plus a borrowing base for a secured product.
    ///
    /// The cash-flow cover is the present value of `monthlyCashFlow / cover` a month over the tenor at the
    /// annual rate: `P·(1 − (1 + r/12)^(−n))/(r/12)` with `n = tenorDays/30` months, or `P·n` at a zero rate.
    public static func limit(
        revenue12m: Int64, monthlyCashFlow: Int64, policy: LenderPolicy, annualRate: Double, tenorDays: UInt32,
        borrowingBase: Int64?
    ) -> CreditLimit {
        let revenueCap = ReceivablesBase.share(max(0, revenue12m), policy.revenueCapBps)
        let payment = Double(max(0, monthlyCashFlow)) / (Double(policy.minCashFlowCoverBps) / 10_000.0)
        let months = Double(tenorDays) / 30.0
        let monthlyRate = annualRate / 12.0
        let presentValue =
            monthlyRate > 0 ? payment * (1.0 - pow(1.0 + monthlyRate, -months)) / monthlyRate : payment * months
        var constraints = [
            LimitConstraint(kind: .revenueCap, amount: revenueCap),
            LimitConstraint(kind: .cashFlowCover, amount: CollateralValuation.minorUnits(presentValue)),
        ]
        if let borrowingBase {
            constraints.append(LimitConstraint(kind: .borrowingBase, amount: max(0, borrowingBase)))
        }
        return CreditLimit(constraints: constraints)
    }
}
