import FacetCore

/// The tables of the world state. The raw value is part of every state key, so it never changes.
public enum StateTable: UInt8, CanonicalEnum, Comparable, CaseIterable {
    case params = 1
    case validators = 2
    case member = 3
    case nonce = 4
    case publicKeyIndex = 5
    case piece = 6
    case certificateIndex = 7
    case invoice = 8
    case dispute = 9
    case settlement = 10
    case price = 11
    case consent = 12
    case offer = 13
    case loan = 14
    case guarantee = 15
    case evidence = 16
    case model = 17
    case repaymentClaim = 18
    case statusProposal = 19

    public static func < (lhs: StateTable, rhs: StateTable) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One entry of the world state: a table and a 32-byte id (an object id, or the hash of a composite key).
/// In the sparse Merkle tree the entry sits at `SHA-256(table || id)`.
public struct StateKey: Hashable, Comparable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let table: StateTable
    public let id: Hash256

    public init(_ table: StateTable, _ id: Hash256) {
        self.table = table
        self.id = id
    }

    /// Singleton entries (parameters, validator schedule) use the zero id.
    public static let params = StateKey(.params, .zero)
    public static let validators = StateKey(.validators, .zero)

    public var treeKey: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public var description: String { "\(table)/\(id.hex.prefix(16))" }

    public static func < (lhs: StateKey, rhs: StateKey) -> Bool {
        lhs.table != rhs.table ? lhs.table < rhs.table : lhs.id < rhs.id
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(table)
        encoder.encode(id)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        table = try decoder.decode()
        id = try decoder.decode()
    }
}
