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
        let dialerProof = try #require(Self.sent(dialer.receive(acceptor.localHelloBytes, allowedKey: allowBoth)))
        let acceptorProof = try #require(Self.sent(acceptor.receive(dialer.localHelloBytes, allowedKey: allowBoth)))
        #expect(dialerProof.count == 64)
        #expect(
            dialer.receive(acceptorProof, allowedKey: allowBoth)
                == .established(MemberID(initialKey: acceptorKey.publicKey))
        )
        #expect(
            acceptor.receive(dialerProof, allowedKey: allowBoth)
                == .established(MemberID(initialKey: dialerKey.publicKey))
        )
        #expect(dialer.isEstablished && acceptor.isEstablished)
    }

    @Test func aReflectedSignatureDoesNotVerify() throws {
        // The peer echoes our own signature back: the signer role in the transcript differs, so it fails even
        // though the key would be the same.
        var dialer = machine(dialerKey, .dialer)
        var acceptor = machine(acceptorKey, .acceptor)
        let acceptorProof = try #require(Self.sent(acceptor.receive(dialer.localHelloBytes, allowedKey: allowBoth)))
        _ = dialer.receive(acceptor.localHelloBytes, allowedKey: allowBoth)
        guard case .refuse(let error) = acceptor.receive(acceptorProof, allowedKey: allowBoth) else {
            Issue.record("a reflected signature was accepted")
            return
        }
        #expect(error.code == .badHandshake)
    }

    @Test func aBadSignatureIsRefused() throws {
        var acceptor = machine(acceptorKey, .acceptor)
        let dialer = machine(dialerKey, .dialer)
        _ = try #require(Self.sent(acceptor.receive(dialer.localHelloBytes, allowedKey: allowBoth)))
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
