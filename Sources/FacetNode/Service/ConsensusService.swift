import FacetCore
import FacetLedger
import FacetPeer
import Logging
import ServiceLifecycle

/// The peer transport as consensus's link to the other validators (public for `facet bench consensus`, which wires
/// validators in one process as `NodeLauncher` does).
public struct TransportLink: PeerLink {
    let transport: PeerTransport
    /// Answers the key each validator proves in the handshake (its member key, `LedgerNode.peerKeys`); nil: the key
    /// its validator set names.
    let node: LedgerNode?

    public init(transport: PeerTransport, node: LedgerNode? = nil) {
        self.transport = transport
        self.node = node
    }

    public func send(_ payload: [UInt8], to member: MemberID) async { _ = transport.send(payload, to: member) }
    public func broadcast(_ payload: [UInt8]) async { _ = transport.broadcast(payload) }

    public func connected() async -> [MemberID] { transport.connectedPeers }

    public func allow(_ validators: [ValidatorSet]) async {
        if let node {
            transport.updateAllowed(await node.peerKeys(for: validators))
            return
        }
        var members = [MemberID: PublicKey]()
        for set in validators {
            for validator in set.validators { members[validator.member] = validator.publicKey }
        }
        transport.updateAllowed(members)
    }
}

/// Runs a validator's consensus: starts the peer transport, hands every authenticated frame to the driver, and runs
/// the driver's loop. On graceful shutdown the driver finishes the event in progress (a commit in flight completes),
/// then the transport closes its connections.
public struct ConsensusService: Service {
    let driver: ConsensusDriver
    let transport: PeerTransport
    let logger: Logger

    public init(driver: ConsensusDriver, transport: PeerTransport, logger: Logger) {
        self.driver = driver
        self.transport = transport
        self.logger = logger
    }

    public func run() async throws {
        try await transport.start()
        if let address = transport.localAddress {
            logger.info("peer transport listening", metadata: ["peer.address": "\(address)"])
        }
        let (driver, transport) = (self.driver, self.transport)
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await message in transport.inbound {
                            driver.deliver(from: message.from, payload: message.payload)
                        }
                    }
                    try await driver.run()
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                driver.stop()
            }
        } catch {
            await transport.stop()
            throw error
        }
        await transport.stop()
    }
}
