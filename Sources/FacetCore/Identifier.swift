/// What an identifier names; the phantom parameter keeps a piece id from being passed where a loan id is due.
public protocol IdentifierKind: Sendable {
    static var name: String { get }
}

/// A 32-byte identifier. Members are named by the hash of their first public key (stable across key
/// rotation); every other object by the id of the transaction that created it, so ids are unique without
/// coordination and known to the signer before submission.
public struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Sendable, CustomStringConvertible,
    CanonicalCodable
{
    public let hash: Hash256

    public init(_ hash: Hash256) {
        self.hash = hash
    }

    public init?(hex: String) {
        guard let hash = Hash256(hex: hex) else { return nil }
        self.hash = hash
    }

    public var hex: String { hash.hex }
    public var description: String { "\(Kind.name):\(hash.hex.prefix(16))" }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.hash < rhs.hash }

    public func encode(to encoder: inout CanonicalEncoder) { hash.encode(to: &encoder) }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        hash = try Hash256(from: &decoder)
    }
}

public enum MemberKind: IdentifierKind { public static let name = "member" }
public enum PieceKind: IdentifierKind { public static let name = "piece" }
public enum InvoiceKind: IdentifierKind { public static let name = "invoice" }
public enum LoanKind: IdentifierKind { public static let name = "loan" }
public enum OfferKind: IdentifierKind { public static let name = "offer" }
public enum DisputeKind: IdentifierKind { public static let name = "dispute" }
public enum GuaranteeKind: IdentifierKind { public static let name = "guarantee" }
public enum TransactionKind: IdentifierKind { public static let name = "tx" }

public typealias MemberID = Identifier<MemberKind>
public typealias PieceID = Identifier<PieceKind>
public typealias InvoiceID = Identifier<InvoiceKind>
public typealias LoanID = Identifier<LoanKind>
public typealias OfferID = Identifier<OfferKind>
public typealias DisputeID = Identifier<DisputeKind>
public typealias GuaranteeID = Identifier<GuaranteeKind>
public typealias TransactionID = Identifier<TransactionKind>

extension Identifier where Kind == MemberKind {
    /// `SHA-256("facet/member-id" || initial public key)`.
    public init(initialKey: PublicKey) {
        self.init(SHA256Hash.digest(parts: Array("facet/member-id".utf8), initialKey.bytes))
    }
}
