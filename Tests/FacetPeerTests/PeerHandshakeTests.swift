import FacetCore
import Testing

@testable import FacetPeer

/// The handshake machine driven directly, no sockets.
@Suite struct PeerHandshakeTests {
    let dialerKey = SigningKey.generate()
    let acceptorKey = SigningKey.generate()

    func machine(
        _ key: SigningKey,
        _ role: PeerHandshake.Role,
        chain: Label = testChain,
        expected: MemberID? = nil
    ) -> PeerHandshake {
        let hello = PeerHello(
            chainID: chain,
            member: MemberID(initialKey: key.publicKey),
            publicKey: key.publicKey,
            nonce: PeerTransport.freshNonce()
        )
        return PeerHandshake(local: hello, key: key, role: role, expectedPeer: expected)
    }

    var allowBoth: (MemberID) -> PublicKey? {
        let keys = [dialerKey.publicKey, acceptorKey.publicKey]
        return { member in keys.first { MemberID(initialKey: $0) == member } }
    }

    static func sent(_ action: PeerHandshake.Action) -> [UInt8]? {
        if case .send(let frame) = action { return frame }
        return nil
    }

    @Test func bothSidesEstablish() throws {
        var dialer = machine(dialerKey, .dialer, expected: MemberID(initialKey: acceptorKey.publicKey))
        var acceptor = machine(acceptorKey, .acceptor)
        let dialerAction = dialer.receive(acceptor.localHelloBytes, allowedKey: allowBoth)
        let acceptorAction = acceptor.receive(dialer.localHelloBytes, allowedKey: allowBoth)
        let dialerProof = try #require(Self.sent(dialerAction))
        let acceptorProof = try #require(Self.sent(acceptorAction))
        #expect(dialerProof.count == 64)
        let dialerDone = dialer.receive(acceptorProof, allowedKey: allowBoth)
        let acceptorDone = acceptor.receive(dialerProof, allowedKey: allowBoth)
        #expect(dialerDone == .established(MemberID(initialKey: acceptorKey.publicKey)))
        #expect(acceptorDone == .established(MemberID(initialKey: dialerKey.publicKey)))
        #expect(dialer.isEstablished && acceptor.isEstablished)
    }

    @Test(arguments: [PeerHandshake.Role.dialer, .acceptor])
    func theSignerRoleIsBound(claimedRole: PeerHandshake.Role) {
        // The dialer's key signs the right transcript but with either role byte: only its own role verifies, so a
        // signature made as one side cannot be replayed as the other.
        let dialer = machine(dialerKey, .dialer)
        var acceptor = machine(acceptorKey, .acceptor)
        _ = acceptor.receive(dialer.localHelloBytes, allowedKey: allowBoth)
        let transcript = PeerHandshake.transcript(
            dialerHello: dialer.localHelloBytes,
            acceptorHello: acceptor.localHelloBytes,
            signer: claimedRole
        )
        let signature = dialerKey.sign(purpose: .peerHandshake, chainID: testChain, payload: transcript)
        let action = acceptor.receive(signature.bytes, allowedKey: allowBoth)
        if claimedRole == .dialer {
            #expect(action == .established(dialer.local.member))
        } else {
            #expect(
                action
                    == .refuse(
                        PeerError(.badHandshake, "the handshake signature of \(dialer.local.member) does not verify")))
        }
    }

    @Test func aBadSignatureIsRefused() throws {
        var acceptor = machine(acceptorKey, .acceptor)
        let dialer = machine(dialerKey, .dialer)
        let first = acceptor.receive(dialer.localHelloBytes, allowedKey: allowBoth)
        #expect(Self.sent(first)?.count == 64)
        let action = acceptor.receive([UInt8](repeating: 0xAB, count: 64), allowedKey: allowBoth)
        #expect(
            action
                == .refuse(
                    PeerError(.badHandshake, "the handshake signature of \(dialer.local.member) does not verify")))
    }

    @Test func wrongChainAndUnknownMembersAreRefused() {
        var acceptor = machine(acceptorKey, .acceptor)
        let otherChain = machine(dialerKey, .dialer, chain: try! Label("other-chain"))
        guard case .refuse(let chainError) = acceptor.receive(otherChain.localHelloBytes, allowedKey: allowBoth) else {
            Issue.record("another chain's hello was accepted")
            return
        }
        #expect(chainError.code == .badHandshake)

        var second = machine(acceptorKey, .acceptor)
        let stranger = machine(.generate(), .dialer)
        guard case .refuse(let strangerError) = second.receive(stranger.localHelloBytes, allowedKey: allowBoth) else {
            Issue.record("a stranger's hello was accepted")
            return
        }
        #expect(strangerError.code == .notValidator)
    }

    @Test func anAllowedMemberWithAnotherKeyIsRefused() {
        var acceptor = machine(acceptorKey, .acceptor)
        let impostorKey = SigningKey.generate()
        let hello = PeerHello(
            chainID: testChain,
            member: MemberID(initialKey: dialerKey.publicKey),
            publicKey: impostorKey.publicKey,
            nonce: PeerTransport.freshNonce()
        )
        guard case .refuse(let error) = acceptor.receive(hello.bytes, allowedKey: allowBoth) else {
            Issue.record("an impostor key was accepted")
            return
        }
        #expect(error.code == .notValidator)
    }

    @Test func helloRoundTripsAndRejectsTrailingBytes() throws {
        let hello = machine(dialerKey, .dialer).local
        #expect(try PeerHello(bytes: hello.bytes) == hello)
        #expect(throws: PeerError.self) { try PeerHello(bytes: hello.bytes + [0]) }
        #expect(throws: PeerError.self) { try PeerHello(bytes: Array(hello.bytes.dropLast())) }
    }
}
