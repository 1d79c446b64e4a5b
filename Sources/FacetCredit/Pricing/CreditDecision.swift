import FacetLedger

/// The outcome of `CreditEngine.decide`: an offer with every number shown, or a decline with its reasons.
public enum CreditDecision: Hashable, Sendable {
    case offer(CreditOffer)
    case decline(CreditDecline)

    public var offer: CreditOffer? {
        if case .offer(let offer) = self { return offer }
        return nil
    }

    public var decline: CreditDecline? {
        if case .decline(let decline) = self { return decline }
        return nil
    }
}

/// A reason to decline, with its stable code.
public struct DeclineReason: Hashable, Sendable {
    public var code: CreditDecisionCode
    public var message: String
}

public struct CreditDecline: Hashable, Sendable {
    public var product: String
    public var lender: String
    public var reasons: [DeclineReason]
    /// The limit as far as it was computed (absent when the firm failed the policy's gates first).
    public var limit: CreditLimit?
    public var pieces: [PieceValuation]
    public var receivables: [ReceivableValuation]

    public var codes: [CreditDecisionCode] { reasons.map(\.code) }
}

/// The guarantor's part of a guaranteed offer.
public struct GuaranteeOffer: Hashable, Sendable {
    public var coverageBps: Int
    /// The annual fee, as a share of the limit.
    public var feeBps: Int
    /// The fee over the tenor, `⌊limit × fee × tenorDays/365⌋`.
    public var feeAmount: Int64
    /// The lender's LGD before the guarantee; `RateBreakdown.lgd` is after it.
    public var lgdBeforeGuarantee: Double
}

public struct CreditOffer: Hashable, Sendable {
    public var product: String
    public var ledgerProduct: Product
    public var lender: String
    public var limit: CreditLimit
    public var rate: RateBreakdown
    public var tenorDays: UInt32
    /// The pieces or invoices that secure the limit, highest lendable value first, as many as cover it (at most
    /// `Limits.maxCollateralPerOffer`).
    public var collateral: [Collateral]
    public var guarantee: GuaranteeOffer?
    /// Every piece and receivable looked at, with its value or why it was excluded.
    public var pieces: [PieceValuation]
    public var receivables: [ReceivableValuation]
}
