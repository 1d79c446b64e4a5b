import FacetCore

/// A firm's grant to a lender to read its data and make it offers.
public struct Consent: Hashable, Sendable, CanonicalCodable {
    public var firm: MemberID
    public var lender: MemberID
    public var grantedAt: Timestamp
    public var expiresAt: Timestamp?

    public init(firm: MemberID, lender: MemberID, grantedAt: Timestamp, expiresAt: Timestamp?) {
        self.firm = firm
        self.lender = lender
        self.grantedAt = grantedAt
        self.expiresAt = expiresAt
    }

    public static func key(firm: MemberID, lender: MemberID) -> Hash256 {
        SHA256Hash.digest(firm.hash.bytes + lender.hash.bytes)
    }

    public func isActive(at time: Timestamp) -> Bool { expiresAt.map { time < $0 } ?? true }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(firm)
        encoder.encode(lender)
        encoder.encode(grantedAt)
        encoder.optional(expiresAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        firm = try decoder.decode()
        lender = try decoder.decode()
        grantedAt = try decoder.decode()
        expiresAt = try decoder.optional()
    }
}

/// A registered scoring model: offers may name only these.
public struct RegisteredModel: Hashable, Sendable, CanonicalCodable {
    public var hash: Hash256
    public var name: Label
    public var registeredBy: MemberID
    public var registeredAt: Timestamp

    public init(hash: Hash256, name: Label, registeredBy: MemberID, registeredAt: Timestamp) {
        self.hash = hash
        self.name = name
        self.registeredBy = registeredBy
        self.registeredAt = registeredAt
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(hash)
        encoder.encode(name)
        encoder.encode(registeredBy)
        encoder.encode(registeredAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        hash = try decoder.decode()
        name = try decoder.decode()
        registeredBy = try decoder.decode()
        registeredAt = try decoder.decode()
    }
}

public enum Product: UInt8, CanonicalEnum, CaseIterable {
    case workingCapital = 1, receivablesFinancing = 2, inventoryPledge = 3, guarantee = 4
}

/// Something pledged to secure a loan.
public enum Collateral: Hashable, Comparable, Sendable, CanonicalCodable {
    case piece(PieceID)
    case invoice(InvoiceID)

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .piece(let id):
            encoder.u8(1)
            encoder.encode(id)
        case .invoice(let id):
            encoder.u8(2)
            encoder.encode(id)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.u8() {
        case 1: self = .piece(try decoder.decode())
        case 2: self = .invoice(try decoder.decode())
        case let other: throw CoreError(.unknownTag, "unknown collateral kind \(other)")
        }
    }
}

public enum OfferStatus: UInt8, CanonicalEnum { case open = 1, accepted = 2 }

/// A lender's signed offer to a firm, naming the model and ledger height its decision came from.
public struct Offer: Hashable, Sendable, CanonicalCodable {
    public var id: OfferID
    public var lender: MemberID
    public var firm: MemberID
    public var product: Product
    public var principal: Money
    /// Annual rate in basis points.
    public var rateBasisPoints: UInt32
    public var termDays: UInt32
    public var modelHash: Hash256
    public var ledgerHeight: UInt64
    public var featuresHash: Hash256
    public var expiresAt: Timestamp
    public var collateral: [Collateral]
    public var guarantee: OfferGuarantee?
    public var status: OfferStatus

    public init(
        id: OfferID, lender: MemberID, firm: MemberID, product: Product, principal: Money,
        rateBasisPoints: UInt32, termDays: UInt32, modelHash: Hash256, ledgerHeight: UInt64,
        featuresHash: Hash256 = .zero, expiresAt: Timestamp, collateral: [Collateral], guarantee: OfferGuarantee? = nil
    ) {
        self.id = id
        self.lender = lender
        self.firm = firm
        self.product = product
        self.principal = principal
        self.rateBasisPoints = rateBasisPoints
        self.termDays = termDays
        self.modelHash = modelHash
        self.ledgerHeight = ledgerHeight
        self.featuresHash = featuresHash
        self.expiresAt = expiresAt
        self.collateral = collateral
        self.guarantee = guarantee
        self.status = .open
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(lender)
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
        encoder.encode(status)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        lender = try decoder.decode()
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
        status = try decoder.decode()
    }
}

public enum LoanStatus: UInt8, CanonicalEnum { case active = 1, repaid = 2, defaulted = 3 }

public struct Loan: Hashable, Sendable, CanonicalCodable {
    public var id: LoanID
    public var offer: OfferID
    public var lender: MemberID
    public var borrower: MemberID
    public var product: Product
    public var principal: Money
    public var outstanding: Money
    public var rateBasisPoints: UInt32
    public var startedAt: Timestamp
    public var dueAt: Timestamp
    public var status: LoanStatus
    /// What secures the loan now, ascending.
    public var collateral: [Collateral]
    /// Share of the loss covered by guarantees, in basis points.
    public var guaranteedBasisPoints: UInt32
    /// The borrower's repayment claim awaiting the lender's confirmation, if any: a loan has at most one open claim,
    /// so a borrower cannot pile claims (each a stored record) onto it (`repay.claim_pending`).
    public var openClaim: TransactionID?

    public init(id: LoanID, offer: Offer, startedAt: Timestamp) {
        self.id = id
        self.offer = offer.id
        self.lender = offer.lender
        self.borrower = offer.firm
        self.product = offer.product
        self.principal = offer.principal
        self.outstanding = offer.principal
        self.rateBasisPoints = offer.rateBasisPoints
        self.startedAt = startedAt
        self.dueAt = startedAt.adding(days: offer.termDays)
        self.status = .active
        self.collateral = []
        self.guaranteedBasisPoints = 0
        self.openClaim = nil
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(offer)
        encoder.encode(lender)
        encoder.encode(borrower)
        encoder.encode(product)
        encoder.encode(principal)
        encoder.encode(outstanding)
        encoder.u32(rateBasisPoints)
        encoder.encode(startedAt)
        encoder.encode(dueAt)
        encoder.encode(status)
        encoder.sortedSet(collateral)
        encoder.u32(guaranteedBasisPoints)
        encoder.optional(openClaim)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        offer = try decoder.decode()
        lender = try decoder.decode()
        borrower = try decoder.decode()
        product = try decoder.decode()
        principal = try decoder.decode()
        outstanding = try decoder.decode()
        rateBasisPoints = try decoder.u32()
        startedAt = try decoder.decode()
        dueAt = try decoder.decode()
        status = try decoder.decode()
        collateral = try decoder.sortedSet(max: Limits.maxListLength)
        guaranteedBasisPoints = try decoder.u32()
        openClaim = try decoder.optional()
    }
}

/// A guarantor's cover of a share of a loan's loss, for a fee.
public struct Guarantee: Hashable, Sendable, CanonicalCodable {
    public var id: GuaranteeID
    public var guarantor: MemberID
    public var loan: LoanID
    public var coverageBasisPoints: UInt32
    public var fee: Money
    public var at: Timestamp

    public init(
        id: GuaranteeID, guarantor: MemberID, loan: LoanID, coverageBasisPoints: UInt32, fee: Money,
        at: Timestamp
    ) {
        self.id = id
        self.guarantor = guarantor
        self.loan = loan
        self.coverageBasisPoints = coverageBasisPoints
        self.fee = fee
        self.at = at
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(guarantor)
        encoder.encode(loan)
        encoder.u32(coverageBasisPoints)
        encoder.encode(fee)
        encoder.encode(at)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        guarantor = try decoder.decode()
        loan = try decoder.decode()
        coverageBasisPoints = try decoder.u32()
        fee = try decoder.decode()
        at = try decoder.decode()
    }
}
