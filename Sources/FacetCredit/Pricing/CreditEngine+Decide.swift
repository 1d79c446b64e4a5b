import FacetCore
import FacetLedger

extension CreditEngine {
    /// Decides one firm's credit for one product under one lender's policy. Pure: the same inputs, product and
    /// policy give the same decision, bit for bit.
    ///
    /// Gates first (the policy offers the product; PD and grade within appetite), then the borrowing base of a
    /// secured product, the rate (which does not depend on the limit: a secured limit never exceeds its
    /// collateral's lendable value, so LGD is the product's secured LGD), and the limit as the least of its caps.
    public static func decide(_ inputs: CreditInputs, product: CreditProduct, policy: LenderPolicy) -> CreditDecision {
        var reasons = [DeclineReason]()
        func decline(
            _ limit: CreditLimit? = nil, _ pieces: [PieceValuation] = [], _ receivables: [ReceivableValuation] = []
        )
            -> CreditDecision
        {
            .decline(
                CreditDecline(
                    product: product.id, lender: policy.lender, reasons: reasons, limit: limit, pieces: pieces,
                    receivables: receivables))
        }
        if !policy.products.contains(product.id) {
            reasons.append(.init(code: .productNotOffered, message: "\(policy.lender) does not offer \(product.id)"))
            return decline()
        }
        if let problem = invalidity(inputs) {
            reasons.append(.init(code: .inputsInvalid, message: problem))
            return decline()
        }
        let maxPD = Double(policy.maxPdBps) / 10_000.0
        if inputs.pd > maxPD {
            reasons.append(
                .init(code: .pdAbovePolicy, message: "PD \(inputs.pd) is above \(policy.lender)'s maximum \(maxPD)"))
        }
        if !policy.accepts(grade: inputs.grade) {
            reasons.append(
                .init(
                    code: .gradeBelowPolicy,
                    message: "grade \(inputs.grade) is below \(policy.lender)'s worst accepted \(policy.worstGrade)"))
        }
        if !reasons.isEmpty { return decline() }

        let tenor = min(inputs.requestedTenorDays ?? UInt32.max, product.maxTenorDays, policy.maxTenorDays)
        var pieces = [PieceValuation]()
        var receivables = [ReceivableValuation]()
        var borrowingBase: Int64?
        var pledgeable = [(item: Collateral, lendable: Int64)]()
        if let terms = product.collateral {
            pieces = CollateralValuation.value(inputs.pieces, prices: inputs.prices, terms: terms, asOf: inputs.asOf)
            pledgeable = pieces.filter { $0.isEligible && $0.lendableValue > 0 }.map {
                (.piece($0.piece), $0.lendableValue)
            }
        }
        if let terms = product.receivables {
            receivables = ReceivablesBase.value(inputs.receivables, terms: terms, asOf: inputs.asOf)
            pledgeable = receivables.filter { $0.exclusion == nil && $0.advance > 0 }.map {
                (.invoice($0.invoice), $0.advance)
            }
        }
        if product.isSecured {
            // An offer names at most `Limits.maxCollateralPerOffer` items: the most valuable ones.
            pledgeable.sort { $0.lendable != $1.lendable ? $0.lendable > $1.lendable : $0.item < $1.item }
            pledgeable = Array(pledgeable.prefix(Limits.maxCollateralPerOffer))
            var base: Int64 = 0
            for entry in pledgeable { base = ReceivablesBase.add(base, entry.lendable) }
            borrowingBase = base
            if base == 0 {
                let what = product.collateral != nil ? "piece" : "receivable"
                reasons.append(.init(code: .noEligibleCollateral, message: "no \(what) is eligible for \(product.id)"))
                return decline(nil, pieces, receivables)
            }
        }

        let lgdBefore = Double(product.isSecured ? product.lgdSecuredBps : product.lgdUnsecuredBps) / 10_000.0
        var lgd = lgdBefore
        if let guarantee = product.guarantee {
            // Substitution without double default: the guarantor pays its share of any loss.
            lgd = lgdBefore * (1.0 - Double(guarantee.coverageBps) / 10_000.0)
        }
        let sales = policy.smeMinorUnitsPerMillionEUR.map { Double(max(0, inputs.revenue12m)) / Double($0) }
        let rate = RateBreakdown(pd: inputs.pd, lgd: lgd, tenorDays: tenor, policy: policy, salesMillionsEUR: sales)
        let limit = CreditLimit.limit(
            revenue12m: inputs.revenue12m, monthlyCashFlow: inputs.monthlyCashFlow, policy: policy,
            annualRate: rate.total, tenorDays: tenor, borrowingBase: borrowingBase)
        let minimum = max(product.minimumLimitMinor, policy.minimumLimitMinor)
        if limit.amount < minimum {
            reasons.append(
                .init(
                    code: .limitBelowMinimum,
                    message: "the limit \(limit.amount), bound by \(limit.binding.rawValue), is below \(minimum)"))
            return decline(limit, pieces, receivables)
        }

        var collateral = [Collateral]()
        var covered: Int64 = 0
        for entry in pledgeable where covered < limit.amount {
            collateral.append(entry.item)
            covered = ReceivablesBase.add(covered, entry.lendable)
        }
        let guarantee = product.guarantee.map { terms in
            GuaranteeOffer(
                coverageBps: terms.coverageBps, feeBps: terms.feeBps,
                feeAmount: CollateralValuation.minorUnits(
                    Double(limit.amount) * (Double(terms.feeBps) / 10_000.0) * (Double(tenor) / 365.0)),
                lgdBeforeGuarantee: lgdBefore)
        }
        return .offer(
            CreditOffer(
                product: product.id, ledgerProduct: product.ledgerProduct, lender: policy.lender, limit: limit,
                rate: rate, tenorDays: tenor, collateral: collateral, guarantee: guarantee, pieces: pieces,
                receivables: receivables))
    }

    static func invalidity(_ inputs: CreditInputs) -> String? {
        if !(inputs.pd.isFinite && inputs.pd >= 0 && inputs.pd <= 1) { return "PD \(inputs.pd) is not in [0, 1]" }
        if inputs.revenue12m < 0 { return "revenue \(inputs.revenue12m) is negative" }
        if inputs.requestedTenorDays == 0 { return "a requested tenor is at least a day" }
        return nil
    }
}
