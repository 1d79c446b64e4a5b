import FacetCore
import NIOCore
import Testing

@testable import FacetPeer

/// The handshake bytes of `contracts/peer-protocol.md`, computed independently (Python `cryptography`) from the
/// document: seeds 32×01 (dialer) and 32×02 (acceptor), nonces 32×11 and 32×22, chain `facet-test`.
@Suite struct PeerHandshakeVectorTests {
    static let dialerHello =
        "46414345542d50454552010a66616365742d746573744034ab2e625e45c122f60dddc20e0b97bd45146e705210c2397a7e6449932cdc8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c1111111111111111111111111111111111111111111111111111111111111111"
    static let acceptorHello =
        "46414345542d50454552010a66616365742d74657374fae4fd50389dfbaef4aed7c191dd31107ea555aef482ac8d11ed5e7cc62efeec8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b3942222222222222222222222222222222222222222222222222222222222222222"
    static let dialerSignature =
        "4b73e001daf730d58d499934d8575b05d9124d86dbdd8d1c27822eb3986fc595b30e0cc6ff44e63672dfebfbb5b4f43f44f9c38727a0d4edbe428e0c8dca8200"
    static let acceptorSignature =
        "8a88862675d5ade0a390728a104edc368e541dd1feb824b2842cf3c5d855e23acfc99245c3b554b09d3c38cf4266a6e4337eaa8505fc376f8ac8418e5e3c160c"

    static func machine(seed: UInt8, nonce: UInt8, role: PeerHandshake.Role) throws -> PeerHandshake {
        let key = try SigningKey(seed: [UInt8](repeating: seed, count: 32))
        let hello = PeerHello(
            chainID: testChain,
            member: MemberID(initialKey: key.publicKey),
            publicKey: key.publicKey,
            nonce: Hash256(bytes: [UInt8](repeating: nonce, count: 32))
        )
        return PeerHandshake(local: hello, key: key, role: role, expectedPeer: nil)
    }

    @Test func helloAndSignatureBytesMatchTheContract() throws {
        var dialer = try Self.machine(seed: 1, nonce: 0x11, role: .dialer)
        var acceptor = try Self.machine(seed: 2, nonce: 0x22, role: .acceptor)
        #expect(Hex.encode(dialer.localHelloBytes) == Self.dialerHello)
        #expect(Hex.encode(acceptor.localHelloBytes) == Self.acceptorHello)
        let keys = [dialer.local.member: dialer.local.publicKey, acceptor.local.member: acceptor.local.publicKey]
        let dialerAction = dialer.receive(acceptor.localHelloBytes, allowedKey: { keys[$0] })
        let acceptorAction = acceptor.receive(dialer.localHelloBytes, allowedKey: { keys[$0] })
        #expect(dialerAction == .send(try #require(Hex.decode(Self.dialerSignature))))
        #expect(acceptorAction == .send(try #require(Hex.decode(Self.acceptorSignature))))
    }

    @Test func theKeepaliveFrameMatchesTheContract() {
        let frame = PeerFrameDecoder.encode([], allocator: ByteBufferAllocator())
        #expect(Hex.encode(Array(frame.readableBytesView)) == "00000000")
    }
}
