import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
import FacetTestSupport

@testable import FacetNode

/// A validator key held by the test rather than by a driver: a real `PeerTransport` (it passes the signed
/// handshake like any validator) through which the test sends whatever payloads it crafts. What the honest
/// validators send it is read and discarded, so their queues toward it never fill.
struct RawValidator: Sendable {
    let key: SigningKey
    let chainID: Label
    let transport: PeerTransport
    let drain: Task<Void, Never>

    var member: MemberID { transport.member }

    /// Its frame limit is above the honest validators', so it can send them an oversized frame.
    static func start(_ name: String, fixture: LedgerFixture) async throws -> RawValidator {
        let key = fixture.actor(name).key
        let transport = PeerTransport(
            member: MemberID(initialKey: key.publicKey), key: key, chainID: fixture.genesis.params.chainID,
            config: peerConfig(port: 0, maxFrameBytes: 4 * networkMaxFrameBytes), allowed: allowList(fixture),
            logger: NetworkValidator.logger(name))
        try await transport.start()
        let inbound = transport.inbound
        let drain = Task { for await _ in inbound {} }
        return RawValidator(key: key, chainID: fixture.genesis.params.chainID, transport: transport, drain: drain)
    }

    func stop() async {
        await transport.stop()
        drain.cancel()
    }

    func send(_ payload: [UInt8], to validator: NetworkValidator) {
        transport.send(payload, to: validator.member)
    }

    func send(_ message: ValidatorMessage, to validator: NetworkValidator) {
        send(message.canonicalBytes, to: validator)
    }

    /// A prevote signed with this validator's own key.
    func prevote(height: UInt64, round: UInt32, blockID: Hash256?) -> Vote {
        Vote.sign(
            .prevote, height: height, round: round, blockID: blockID, chainID: chainID, validator: member, key: key)
    }
}
