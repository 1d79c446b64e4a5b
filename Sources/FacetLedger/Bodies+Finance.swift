import FacetCore

/// A firm lets a lender read its data and make it offers, until `expiresAt` if given.
public struct GrantConsent: Hashable, Sendable, CanonicalCodable {
    public var lender: MemberID
    public var expiresAt: Timestamp?

    public init(lender: MemberID, expiresAt: Timestamp?) {
        self.lender = lender
        self.expiresAt = expiresAt
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(lender)
        encoder.optional(expiresAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        lender = try decoder.decode()
        expiresAt = try decoder.optional()
    }
}

/// A firm withdraws a lender's access.
public struct RevokeConsent: Hashable, Sendable, CanonicalCodable {
    public var lender: MemberID

    public init(lender: MemberID) {
        self.lender = lender
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(lender)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        lender = try decoder.decode()
    }
}

/// A lender or guarantor registers a scoring model by its content hash, so offers can name it and anyone can
/// find the model file (`contracts/models/NAME.json`) it stands for.
public struct RegisterModel: Hashable, Sendable, CanonicalCodable {
    public var modelHash: Hash256
    public var name: Label

    public init(modelHash: Hash256, name: Label) {
        self.modelHash = modelHash
        self.name = name
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(modelHash)
        encoder.encode(name)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        modelHash = try decoder.decode()
        name = try decoder.decode()
    }
}

/// A lender offers a firm credit, naming the model, the ledger height and the features of its decision, and for a
/// guaranteed loan the guarantor and the share it covers.
public struct MakeOffer: Hashable, Sendable, CanonicalCodable {
    public var firm: MemberID
    public var product: Product
    public var principal: Money
    public var rateBasisPoints: UInt32
    public var termDays: UInt32
    public var modelHash: Hash256
    public var ledgerHeight: UInt64
    /// SHA-256 of the feature values the decision read (`credit-features.md` defines the bytes): anyone holding the
    /// ledger at `ledgerHeight` recomputes them and checks the offer came from them. Zero when none were used.
    public var featuresHash: Hash256
    public var expiresAt: Timestamp
    public var collateral: [Collateral]
    public var guarantee: OfferGuarantee?

    public init(
        firm: MemberID, product: Product, principal: Money, rateBasisPoints: UInt32, termDays: UInt32,
        modelHash: Hash256, ledgerHeight: UInt64, featuresHash: Hash256 = .zero, expiresAt: Timestamp,
        collateral: [Collateral], guarantee: OfferGuarantee? = nil
    ) {
        self.firm = firm
        self.product = product
        self.principal = principal
        self.rateBasisPoints = rateBasisPoints
        self.termDays = termDays
        self.modelHash = modelHash
        self.ledgerHeight = ledgerHeight
        self.featuresHash = featuresHash
        self.expiresAt = expiresAt
        self.collateral = collateral.canonicalSet()
        self.guarantee = guarantee
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(firm)
        encoder.encode(product)
        encoder.encode(principal)
        encoder.u32(rateBasisPoints)
        encoder.u32(termDays)
        encoder.encode(modelHash)
        encoder.u64(ledgerHeight)
        encoder.encode(featuresHash)
        encoder.encode(expiresAt)
        encoder.sortedSet(collateral)
        encoder.optional(guarantee)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        firm = try decoder.decode()
        product = try decoder.decode()
        principal = try decoder.decode()
        rateBasisPoints = try decoder.u32()
        termDays = try decoder.u32()
        modelHash = try decoder.decode()
        ledgerHeight = try decoder.u64()
        featuresHash = try decoder.decode()
        expiresAt = try decoder.decode()
        collateral = try decoder.sortedSet(max: Limits.maxCollateralPerOffer)
        guarantee = try decoder.optional()
    }
}

/// The guarantor a guaranteed offer names, the share of the loss it covers and the fee the firm pays it over the
/// term. The guarantor commits by signing `guarantee` on the loan once the offer is accepted.
public struct OfferGuarantee: Hashable, Sendable, CanonicalCodable {
    public var guarantor: MemberID
    public var coverageBasisPoints: UInt32
    public var fee: Money

    public init(guarantor: MemberID, coverageBasisPoints: UInt32, fee: Money) {
        self.guarantor = guarantor
        self.coverageBasisPoints = coverageBasisPoints
        self.fee = fee
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(guarantor)
        encoder.u32(coverageBasisPoints)
        encoder.encode(fee)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        guarantor = try decoder.decode()
        coverageBasisPoints = try decoder.u32()
        fee = try decoder.decode()
    }
}

/// The firm accepts an open offer; a loan starts.
public struct AcceptOffer: Hashable, Sendable, CanonicalCodable {
    public var offer: OfferID

    public init(offer: OfferID) {
        self.offer = offer
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(offer)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        offer = try decoder.decode()
    }
}

/// A loan and one item of collateral: `pledge` (the borrower pledges a piece or a receivable to its loan) and
/// `release` (the lender, or the borrower of a repaid loan, releases it).
public struct LoanCollateral: Hashable, Sendable, CanonicalCodable {
    public var loan: LoanID
    public var collateral: Collateral

    public init(loan: LoanID, collateral: Collateral) {
        self.loan = loan
        self.collateral = collateral
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(loan)
        encoder.encode(collateral)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        loan = try decoder.decode()
        collateral = try decoder.decode()
    }
}

/// A repayment of part or all of a loan. Signed by the loan's lender it is a receipt and lowers what the loan owes;
/// signed by the borrower it is a claim (`RepaymentClaim`) that changes nothing owed until the lender confirms it.
public struct Repay: Hashable, Sendable, CanonicalCodable {
    public var loan: LoanID
    public var amount: Money

    public init(loan: LoanID, amount: Money) {
        self.loan = loan
        self.amount = amount
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(loan)
        encoder.encode(amount)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        loan = try decoder.decode()
        amount = try decoder.decode()
    }
}

/// The lender declares an overdue loan in default.
public struct DeclareDefault: Hashable, Sendable, CanonicalCodable {
    public var loan: LoanID

    public init(loan: LoanID) {
        self.loan = loan
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(loan)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        loan = try decoder.decode()
    }
}

/// A guarantor covers a share of a loan's loss for a fee.
public struct GuaranteeLoan: Hashable, Sendable, CanonicalCodable {
    public var loan: LoanID
    public var coverageBasisPoints: UInt32
    public var fee: Money

    public init(loan: LoanID, coverageBasisPoints: UInt32, fee: Money) {
        self.loan = loan
        self.coverageBasisPoints = coverageBasisPoints
        self.fee = fee
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(loan)
        encoder.u32(coverageBasisPoints)
        encoder.encode(fee)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        loan = try decoder.decode()
        coverageBasisPoints = try decoder.u32()
        fee = try decoder.decode()
    }
}

public typealias Pledge = LoanCollateral
public typealias Release = LoanCollateral

/// The lender confirms a borrower's repayment claim: what the loan owes falls by the claim's amount.
public struct ConfirmRepayment: Hashable, Sendable, CanonicalCodable {
    public var claim: TransactionID

    public init(claim: TransactionID) {
        self.claim = claim
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(claim)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        claim = try decoder.decode()
    }
}
