import FacetCore

/// A signed transaction: chain id, signer, a per-signer nonce that must increase (replay protection), the
/// body, and the signer's Ed25519 signature over the canonical bytes of everything before it, under
/// `SignaturePurpose.transaction` and the chain id.
public struct Transaction: Hashable, Sendable, CanonicalCodable {
    public let chainID: Label
    public let signer: MemberID
    public let nonce: UInt64
    public let body: TransactionBody
    public let signature: Signature

    public init(chainID: Label, signer: MemberID, nonce: UInt64, body: TransactionBody, signature: Signature) {
        self.chainID = chainID
        self.signer = signer
        self.nonce = nonce
        self.body = body
        self.signature = signature
    }

    /// Builds and signs a transaction.
    public static func signed(
        chainID: Label, signer: MemberID, nonce: UInt64, body: TransactionBody, key: SigningKey
    ) -> Transaction {
        let payload = signingPayload(chainID: chainID, signer: signer, nonce: nonce, body: body)
        let signature = key.sign(purpose: .transaction, chainID: chainID, payload: payload)
        return Transaction(chainID: chainID, signer: signer, nonce: nonce, body: body, signature: signature)
    }

    public static func signingPayload(chainID: Label, signer: MemberID, nonce: UInt64, body: TransactionBody)
        -> [UInt8]
    {
        var encoder = CanonicalEncoder()
        encoder.encode(chainID)
        encoder.encode(signer)
        encoder.u64(nonce)
        encoder.encode(body)
        return encoder.bytes
    }

    public var signingPayload: [UInt8] {
        Transaction.signingPayload(chainID: chainID, signer: signer, nonce: nonce, body: body)
    }

    /// `SHA-256` of the whole signed transaction. Objects a transaction creates take this id.
    public var id: TransactionID { TransactionID(SHA256Hash.digest(canonicalBytes)) }

    public func hasValidSignature(key: PublicKey) -> Bool {
        key.verify(signature, purpose: .transaction, chainID: chainID, payload: signingPayload)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(chainID)
        encoder.encode(signer)
        encoder.u64(nonce)
        encoder.encode(body)
        encoder.encode(signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        chainID = try decoder.decode()
        signer = try decoder.decode()
        nonce = try decoder.u64()
        body = try decoder.decode()
        signature = try decoder.decode()
    }
}
