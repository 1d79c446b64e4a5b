import FacetCore

/// The first frame each side sends: who it claims to be and a fresh nonce. Canonically encoded (see
/// `contracts/peer-protocol.md`); the exact bytes received go into the signed transcript.
struct PeerHello: Hashable, Sendable {
    static let magic: [UInt8] = Array("FACET-PEER".utf8)
    static let version: UInt8 = 1
    static let nonceBytes = 32

    let chainID: Label
    let member: MemberID
    let publicKey: PublicKey
    let nonce: Hash256

    var bytes: [UInt8] {
        var encoder = CanonicalEncoder(reservingCapacity: 160)
        encoder.raw(Self.magic)
        encoder.u8(Self.version)
        encoder.encode(chainID)
        encoder.encode(member)
        encoder.encode(publicKey)
        encoder.hash(nonce)
        return encoder.bytes
    }

    init(chainID: Label, member: MemberID, publicKey: PublicKey, nonce: Hash256) {
        self.chainID = chainID
        self.member = member
        self.publicKey = publicKey
        self.nonce = nonce
    }

    init(bytes: [UInt8]) throws(PeerError) {
        var decoder = CanonicalDecoder(bytes)
        do {
            guard Array(try decoder.raw(count: Self.magic.count)) == Self.magic else {
                throw PeerError(.badHandshake, "the first frame is not a Facet peer hello")
            }
            let version = try decoder.u8()
            guard version == Self.version else {
                throw PeerError(.badHandshake, "peer protocol version \(version) is not supported")
            }
            chainID = try decoder.decode()
            member = try decoder.decode()
            publicKey = try decoder.decode()
            nonce = try decoder.decode()
            try decoder.finish()
        } catch let error as PeerError {
            throw error
        } catch {
            throw PeerError(.badHandshake, "malformed hello: \(error)")
        }
    }
}
