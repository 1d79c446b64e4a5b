import FacetLedger
import Foundation

/// A credit product as `contracts/products/*.json` defines it: what secures it, how collateral is valued and
/// cut, and its loss given default. Rates and shares are basis points (1/10,000); amounts are minor units.
public struct CreditProduct: Codable, Hashable, Sendable {
    /// The file's name without `.json`, which a lender policy lists (`working-capital`).
    public var id: String
    /// The ledger's product kind an offer carries: `workingCapital`, `receivablesFinancing`, `inventoryPledge`
    /// or `guarantee`.
    public var kind: String
    public var description: String
    /// The smallest limit worth offering.
    public var minimumLimitMinor: Int64
    public var maxTenorDays: UInt32
    /// LGD of the part of the exposure no collateral covers.
    public var lgdUnsecuredBps: Int
    /// LGD of the part the product's collateral covers (at lendable value).
    public var lgdSecuredBps: Int
    /// Pieces as collateral: present for a borrowing base of inventory.
    public var collateral: CollateralTerms?
    /// Receivables as collateral: present for a borrowing base of invoices.
    public var receivables: ReceivableTerms?
    /// A guarantor's cover: present for a guaranteed loan.
    public var guarantee: GuaranteeTerms?

    /// True when the limit includes a borrowing base.
    public var isSecured: Bool { collateral != nil || receivables != nil }

    /// The ledger's product kind.
    public var ledgerProduct: Product {
        guard let product = Self.kinds.first(where: { $0.name == kind })?.product else {
            preconditionFailure("a decoded product was validated")
        }
        return product
    }

    static let kinds: [(name: String, product: Product)] = [
        ("workingCapital", .workingCapital), ("receivablesFinancing", .receivablesFinancing),
        ("inventoryPledge", .inventoryPledge), ("guarantee", .guarantee),
    ]

    /// Reads a product file strictly; `credit.product_malformed` names the field at fault.
    public static func decode(_ data: Data) throws(CreditTermsError) -> CreditProduct {
        let product = try TermsJSON.decode(CreditProduct.self, from: data, code: .productMalformed)
        try product.validate()
        return product
    }

    func validate() throws(CreditTermsError) {
        func check(_ condition: Bool, _ message: String) throws(CreditTermsError) {
            if !condition { throw CreditTermsError(.productMalformed, "\(id): \(message)") }
        }
        try check(!id.isEmpty, "id is empty")
        try check(Self.kinds.contains { $0.name == kind }, "kind \(kind) is not a ledger product")
        try check(minimumLimitMinor > 0, "minimumLimitMinor is positive")
        try check(maxTenorDays >= 1 && maxTenorDays <= 3_650, "maxTenorDays is 1 to 3650")
        try check(Self.isShare(lgdUnsecuredBps) && Self.isShare(lgdSecuredBps), "an LGD is 0 to 10000 bps")
        try check(!(collateral != nil && receivables != nil), "a product is secured by pieces or receivables, not both")
        if let collateral {
            try check(collateral.auditMaxAgeDays >= 1, "collateral.auditMaxAgeDays is positive")
            var seen = [String]()
            for haircut in collateral.haircuts {
                try check(
                    CollateralValuation.category(named: haircut.category) != nil, "unknown category \(haircut.category)"
                )
                try check(!seen.contains(haircut.category), "category \(haircut.category) is listed twice")
                try check(Self.isShare(haircut.haircutBps), "a haircut is 0 to 10000 bps")
                seen.append(haircut.category)
            }
            let volatility = collateral.volatility
            try check(volatility.lookbackMonths >= 2, "volatility.lookbackMonths is at least 2")
            try check(
                volatility.multiplier.isFinite && volatility.multiplier >= 0
                    && volatility.horizonMonths.isFinite && volatility.horizonMonths >= 0,
                "volatility.multiplier and horizonMonths are finite and not negative")
            try check(Self.isShare(volatility.maxHaircutBps), "volatility.maxHaircutBps is 0 to 10000 bps")
        }
        if let receivables {
            try check(Self.isShare(receivables.advanceRateBps), "receivables.advanceRateBps is 0 to 10000")
            try check(receivables.agingCutoffDays >= 1, "receivables.agingCutoffDays is positive")
            try check(
                receivables.concentrationLimitBps >= 1 && receivables.concentrationLimitBps <= 10_000,
                "receivables.concentrationLimitBps is 1 to 10000")
        }
        if let guarantee {
            try check(Self.isShare(guarantee.coverageBps), "guarantee.coverageBps is 0 to 10000")
            try check(guarantee.feeBps >= 0 && guarantee.feeBps <= 10_000, "guarantee.feeBps is 0 to 10000")
        }
        try check((guarantee != nil) == (kind == "guarantee"), "a guarantee product, and only it, has guarantee terms")
    }

    static func isShare(_ bps: Int) -> Bool { bps >= 0 && bps <= 10_000 }
}

/// How pieces count toward a borrowing base.
public struct CollateralTerms: Codable, Hashable, Sendable {
    /// A piece outside a warehouse's custody counts only if a warehouse audited it within this many days.
    public var auditMaxAgeDays: Int
    /// The base haircut per category (`gold`, `naturalDiamond`, …); a category not listed is not accepted.
    public var haircuts: [CategoryHaircut]
    public var volatility: VolatilityAddOn
}

public struct CategoryHaircut: Codable, Hashable, Sendable {
    public var category: String
    public var haircutBps: Int
}

/// The volatility add-on to a haircut: `multiplier × σ × √horizonMonths`, σ the sample standard deviation of
/// the category's last `lookbackMonths` monthly log returns; the whole haircut is capped at `maxHaircutBps`.
public struct VolatilityAddOn: Codable, Hashable, Sendable {
    public var lookbackMonths: Int
    public var multiplier: Double
    public var horizonMonths: Double
    public var maxHaircutBps: Int
}

/// How invoices count toward a borrowing base: only buyer-confirmed, unpaid, unfinanced, undisputed invoices no
/// older than the cut-off, each buyer's share held to the concentration limit, advanced at the advance rate.
public struct ReceivableTerms: Codable, Hashable, Sendable {
    public var advanceRateBps: Int
    public var agingCutoffDays: Int
    public var concentrationLimitBps: Int
}

/// A guarantor covers `coverageBps` of the loss for an annual fee of `feeBps` of the limit, paid by the firm.
public struct GuaranteeTerms: Codable, Hashable, Sendable {
    public var coverageBps: Int
    public var feeBps: Int
}
