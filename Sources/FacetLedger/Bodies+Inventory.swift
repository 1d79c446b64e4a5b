import FacetCore

/// A firm registers a piece it owns, with its identity card and, if it has one, the lab certificate it claims (the
/// number is reserved at once; the lab confirms it with `CertifyPiece`).
public struct RegisterPiece: Hashable, Sendable, CanonicalCodable {
    public var card: IdentityCard
    public var certificate: CertificateRef?

    public init(card: IdentityCard, certificate: CertificateRef?) {
        self.card = card
        self.certificate = certificate
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(card)
        encoder.optional(certificate)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        card = try decoder.decode()
        certificate = try decoder.optional()
    }
}

/// A gem lab certifies a piece under its certificate number; its grading replaces the card.
public struct CertifyPiece: Hashable, Sendable, CanonicalCodable {
    public var piece: PieceID
    public var number: Label
    public var grading: IdentityCard

    public init(piece: PieceID, number: Label, grading: IdentityCard) {
        self.piece = piece
        self.number = number
        self.grading = grading
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(piece)
        encoder.encode(number)
        encoder.encode(grading)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        piece = try decoder.decode()
        number = try decoder.decode()
        grading = try decoder.decode()
    }
}

/// An inspection center inspects a piece and issues its identity-card number.
public struct InspectPiece: Hashable, Sendable, CanonicalCodable {
    public var piece: PieceID
    public var cardNumber: Label
    public var passed: Bool
    public var notes: String

    public init(piece: PieceID, cardNumber: Label, passed: Bool, notes: String) {
        self.piece = piece
        self.cardNumber = cardNumber
        self.passed = passed
        self.notes = notes
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(piece)
        encoder.encode(cardNumber)
        encoder.bool(passed)
        encoder.text(notes)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        piece = try decoder.decode()
        cardNumber = try decoder.decode()
        passed = try decoder.bool()
        notes = try decoder.text()
    }
}

/// A warehouse takes custody of a piece.
public struct CustodyIn: Hashable, Sendable, CanonicalCodable {
    public var piece: PieceID
    public var bonded: Bool

    public init(piece: PieceID, bonded: Bool) {
        self.piece = piece
        self.bonded = bonded
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(piece)
        encoder.bool(bonded)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        piece = try decoder.decode()
        bonded = try decoder.bool()
    }
}

/// The custodian warehouse releases a piece.
public struct CustodyOut: Hashable, Sendable, CanonicalCodable {
    public var piece: PieceID

    public init(piece: PieceID) {
        self.piece = piece
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(piece)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        piece = try decoder.decode()
    }
}

/// A warehouse attests that it holds these pieces of a firm today.
public struct StockAudit: Hashable, Sendable, CanonicalCodable {
    public var firm: MemberID
    public var pieces: [PieceID]

    public init(firm: MemberID, pieces: [PieceID]) {
        self.firm = firm
        self.pieces = pieces.canonicalSet()
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(firm)
        encoder.sortedSet(pieces)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        firm = try decoder.decode()
        pieces = try decoder.sortedSet(max: Limits.maxPiecesPerAudit)
    }
}
