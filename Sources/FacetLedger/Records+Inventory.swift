import FacetCore

public enum PieceCategory: UInt8, CanonicalEnum, CaseIterable {
    case naturalDiamond = 1, labGrownDiamond = 2, gold = 3, platinum = 4, jadeite = 5, coloredStone = 6
    case pearl = 7, crystal = 8

    /// Stones are weighed in millicarats, metals and carvings in milligrams.
    public var weighedInCarats: Bool {
        switch self {
        case .naturalDiamond, .labGrownDiamond, .coloredStone: return true
        case .gold, .platinum, .jadeite, .pearl, .crystal: return false
        }
    }

    public var isMetal: Bool { self == .gold || self == .platinum }
}

/// The identity card: what the piece is. Fields that do not apply to a category are absent.
public struct IdentityCard: Hashable, Sendable, CanonicalCodable {
    public var category: PieceCategory
    /// Millicarats for stones, milligrams otherwise (`PieceCategory.weighedInCarats`).
    public var weight: UInt64
    public var color: Label?
    public var clarity: Label?
    public var cut: Label?
    /// Parts per thousand of precious metal (999 for fine gold); metals only.
    public var fineness: UInt16?
    public var description: String

    public init(
        category: PieceCategory, weight: UInt64, color: Label? = nil, clarity: Label? = nil,
        cut: Label? = nil, fineness: UInt16? = nil, description: String = ""
    ) {
        self.category = category
        self.weight = weight
        self.color = color
        self.clarity = clarity
        self.cut = cut
        self.fineness = fineness
        self.description = description
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(category)
        encoder.u64(weight)
        encoder.optional(color)
        encoder.optional(clarity)
        encoder.optional(cut)
        encoder.u8(fineness == nil ? 0 : 1)
        if let fineness { encoder.u16(fineness) }
        encoder.text(description)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        category = try decoder.decode()
        weight = try decoder.u64()
        guard weight > 0 && weight <= Limits.maxWeight else {
            throw CoreError(.outOfRange, "a weight is between 1 and \(Limits.maxWeight)")
        }
        color = try decoder.optional()
        clarity = try decoder.optional()
        cut = try decoder.optional()
        switch try decoder.u8() {
        case 0: fineness = nil
        case 1:
            let value = try decoder.u16()
            guard value >= 1 && value <= 1000 else { throw CoreError(.outOfRange, "fineness is 1 to 1000") }
            fineness = value
        case let other: throw CoreError(.unknownTag, "an optional's tag is 0 or 1, not \(other)")
        }
        description = try decoder.text()
    }
}

/// A gem lab's certificate: the lab and its certificate number. A number is registered once per lab.
public struct CertificateRef: Hashable, Sendable, CanonicalCodable {
    public var lab: MemberID
    public var number: Label

    public init(lab: MemberID, number: Label) {
        self.lab = lab
        self.number = number
    }

    /// The state key of the uniqueness index.
    public var indexKey: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(lab)
        encoder.encode(number)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        lab = try decoder.decode()
        number = try decoder.decode()
    }
}

public struct Inspection: Hashable, Sendable, CanonicalCodable {
    public var inspector: MemberID
    /// The identity-card number the inspection center issued.
    public var cardNumber: Label
    public var passed: Bool
    public var at: Timestamp

    public init(inspector: MemberID, cardNumber: Label, passed: Bool, at: Timestamp) {
        self.inspector = inspector
        self.cardNumber = cardNumber
        self.passed = passed
        self.at = at
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(inspector)
        encoder.encode(cardNumber)
        encoder.bool(passed)
        encoder.encode(at)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        inspector = try decoder.decode()
        cardNumber = try decoder.decode()
        passed = try decoder.bool()
        at = try decoder.decode()
    }
}

public struct Custody: Hashable, Sendable, CanonicalCodable {
    public var warehouse: MemberID
    public var bonded: Bool
    public var since: Timestamp

    public init(warehouse: MemberID, bonded: Bool, since: Timestamp) {
        self.warehouse = warehouse
        self.bonded = bonded
        self.since = since
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(warehouse)
        encoder.bool(bonded)
        encoder.encode(since)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        warehouse = try decoder.decode()
        bonded = try decoder.bool()
        since = try decoder.decode()
    }
}

/// `active` pieces are in the owner's stock; `sold` pieces left the ledger with a retail sale.
public enum PieceStatus: UInt8, CanonicalEnum { case active = 1, sold = 2 }

/// A piece of inventory and everything that constrains it now. Its history is the list of transactions
/// that named it; the state keeps only the present.
public struct Piece: Hashable, Sendable, CanonicalCodable {
    public var id: PieceID
    public var owner: MemberID
    public var card: IdentityCard
    public var certificate: CertificateRef?
    /// True once the lab named by `certificate` has signed the certification.
    public var certified: Bool
    public var inspection: Inspection?
    public var custody: Custody?
    public var lastAudit: Timestamp?
    /// The unconfirmed invoice that is selling this piece: it cannot be sold or pledged meanwhile.
    public var onInvoice: InvoiceID?
    /// The loan this piece secures: it cannot be sold, moved or pledged again until released.
    public var pledgedTo: LoanID?
    public var status: PieceStatus
    public var registeredAt: Timestamp

    public init(
        id: PieceID, owner: MemberID, card: IdentityCard, certificate: CertificateRef?,
        registeredAt: Timestamp
    ) {
        self.id = id
        self.owner = owner
        self.card = card
        self.certificate = certificate
        self.certified = false
        self.inspection = nil
        self.custody = nil
        self.lastAudit = nil
        self.onInvoice = nil
        self.pledgedTo = nil
        self.status = .active
        self.registeredAt = registeredAt
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(owner)
        encoder.encode(card)
        encoder.optional(certificate)
        encoder.bool(certified)
        encoder.optional(inspection)
        encoder.optional(custody)
        encoder.optional(lastAudit)
        encoder.optional(onInvoice)
        encoder.optional(pledgedTo)
        encoder.encode(status)
        encoder.encode(registeredAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        owner = try decoder.decode()
        card = try decoder.decode()
        certificate = try decoder.optional()
        certified = try decoder.bool()
        inspection = try decoder.optional()
        custody = try decoder.optional()
        lastAudit = try decoder.optional()
        onInvoice = try decoder.optional()
        pledgedTo = try decoder.optional()
        status = try decoder.decode()
        registeredAt = try decoder.decode()
    }
}
