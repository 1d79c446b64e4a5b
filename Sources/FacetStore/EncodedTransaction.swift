import FacetCore
import FacetLedger

/// A transaction as a store keeps it: its canonical bytes (what was signed and hashed), its id and its kind tag,
/// so the store never re-encodes and never needs to decode to index.
public struct EncodedTransaction: Hashable, Sendable {
    public let id: TransactionID
    public let bytes: [UInt8]
    /// `TransactionBody.tag`.
    public let kind: UInt8

    public init(id: TransactionID, bytes: [UInt8], kind: UInt8) {
        self.id = id
        self.bytes = bytes
        self.kind = kind
    }

    public init(_ transaction: Transaction) {
        let bytes = transaction.canonicalBytes
        self.init(id: TransactionID(SHA256Hash.digest(bytes)), bytes: bytes, kind: transaction.body.tag)
    }

    public func decoded() throws(StoreError) -> Transaction {
        do {
            return try Transaction(canonicalBytes: bytes)
        } catch {
            throw StoreError(.corrupt, "stored transaction \(id) does not decode: \(error)")
        }
    }
}
