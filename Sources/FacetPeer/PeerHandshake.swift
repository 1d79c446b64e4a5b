import FacetCore

/// The handshake of one connection, without I/O: the driver (`PeerChannelHandler`) feeds it the frames that arrive
/// and carries out the action it returns. Both sides send a hello at once; on the peer's hello each side checks the
/// chain and the allow-list and sends its signature over the transcript; on the peer's signature the connection is
/// established. See `contracts/peer-protocol.md` for the bytes.
struct PeerHandshake {
    /// Who opened the TCP connection; signed into the transcript so a signature cannot be reflected back.
    enum Role: UInt8, Sendable {
        case dialer = 0
        case acceptor = 1
    }

    enum Action: Equatable {
        /// Send this frame (our signature) to the peer.
        case send([UInt8])
        /// The peer proved its key: application frames may flow.
        case established(MemberID)
        /// Close the connection; count it under the error's code.
        case refuse(PeerError)
    }

    private enum State {
        case awaitingHello
        case awaitingSignature(peer: PeerHello, transcript: [UInt8])
        case established(PeerHello)
        case failed
    }

    static let transcriptTag: [UInt8] = Array("facet/peer-handshake/v1".utf8)

    let local: PeerHello
    let localHelloBytes: [UInt8]
    let role: Role
    /// When dialling, the member we meant to reach: a different (even allowed) member is refused.
    let expectedPeer: MemberID?
    private let key: SigningKey
    private var state = State.awaitingHello

    init(local: PeerHello, key: SigningKey, role: Role, expectedPeer: MemberID?) {
        precondition(key.publicKey == local.publicKey, "the hello carries the signing key's public key")
        self.local = local
        self.localHelloBytes = local.bytes
        self.key = key
        self.role = role
        self.expectedPeer = expectedPeer
    }

    var isEstablished: Bool { established != nil }

    /// The peer's hello once its signature verified: the member and the key it proved.
    var established: PeerHello? {
        if case .established(let peer) = state { return peer }
        return nil
    }

    /// A handshake frame from the peer. `allowedKey` answers the allow-list: the key a member must hold, or nil
    /// when the member may not connect.
    mutating func receive(_ frame: [UInt8], allowedKey: (MemberID) -> PublicKey?) -> Action {
        switch state {
        case .awaitingHello:
            return receiveHello(frame, allowedKey: allowedKey)
        case .awaitingSignature(let peer, let transcript):
            return receiveSignature(frame, peer: peer, transcript: transcript)
        case .established, .failed:
            preconditionFailure("handshake frames end when the handshake does")
        }
    }

    private mutating func receiveHello(_ frame: [UInt8], allowedKey: (MemberID) -> PublicKey?) -> Action {
        let peer: PeerHello
        do {
            peer = try PeerHello(bytes: frame)
        } catch {
            return fail(error)
        }
        guard peer.chainID == local.chainID else {
            return fail(PeerError(.badHandshake, "the peer is on chain \(peer.chainID), not \(local.chainID)"))
        }
        guard peer.member != local.member, peer.nonce != local.nonce else {
            return fail(PeerError(.badHandshake, "the peer claims to be this node"))
        }
        if let expectedPeer, peer.member != expectedPeer {
            return fail(PeerError(.badHandshake, "dialled \(expectedPeer) but \(peer.member) answered"))
        }
        guard let key = allowedKey(peer.member), key == peer.publicKey else {
            return fail(PeerError(.notValidator, "\(peer.member) with key \(peer.publicKey) is not an allowed peer"))
        }
        let dialerHello = role == .dialer ? localHelloBytes : frame
        let acceptorHello = role == .dialer ? frame : localHelloBytes
        let peerRole: Role = role == .dialer ? .acceptor : .dialer
        let signature = self.key.sign(
            purpose: .peerHandshake,
            chainID: local.chainID,
            payload: Self.transcript(dialerHello: dialerHello, acceptorHello: acceptorHello, signer: role)
        )
        let peerTranscript = Self.transcript(dialerHello: dialerHello, acceptorHello: acceptorHello, signer: peerRole)
        state = .awaitingSignature(peer: peer, transcript: peerTranscript)
        return .send(signature.bytes)
    }

    private mutating func receiveSignature(_ frame: [UInt8], peer: PeerHello, transcript: [UInt8]) -> Action {
        guard let signature = Signature(bytes: frame),
            peer.publicKey.verify(signature, purpose: .peerHandshake, chainID: local.chainID, payload: transcript)
        else {
            return fail(PeerError(.badHandshake, "the handshake signature of \(peer.member) does not verify"))
        }
        state = .established(peer)
        return .established(peer.member)
    }

    private mutating func fail(_ error: PeerError) -> Action {
        state = .failed
        return .refuse(error)
    }

    /// `tag || byteString(dialer hello) || byteString(acceptor hello) || u8(signer role)`, signed with purpose
    /// `peerHandshake` under the chain id. Both hellos carry the chain id, both member ids, both keys and both
    /// nonces, so the signature binds all of them to this one connection.
    static func transcript(dialerHello: [UInt8], acceptorHello: [UInt8], signer: Role) -> [UInt8] {
        var encoder = CanonicalEncoder(
            reservingCapacity: transcriptTag.count + dialerHello.count + acceptorHello.count + 8)
        encoder.raw(transcriptTag)
        encoder.byteString(dialerHello)
        encoder.byteString(acceptorHello)
        encoder.u8(signer.rawValue)
        return encoder.bytes
    }
}
