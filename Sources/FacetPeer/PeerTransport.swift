import CoreMetrics
import FacetCore
import FacetLedger
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The message-agnostic transport between validators: length-prefixed frames over TCP (optionally TLS), opened by
/// a signed handshake that proves each side holds an allowed validator key. The consensus driver puts its own
/// encoded messages in the frames.
///
/// Connections: only the member with the lower id dials (so two nodes hold one connection), with capped,
/// jittered exponential backoff; if a second authenticated connection from the same member arrives anyway (a peer
/// restarted before the old socket timed out), the newer one replaces the older. An established connection that
/// hears nothing for `PeerLiveness.pingAfter` is pinged, and after `closeAfter` of silence closed (and redialled),
/// so a link that lived through a network cut does not wait out TCP's retransmission backoff.
///
/// Every buffer is bounded: each peer's outbound queue (frames and bytes; full means `send` drops), the channel's
/// write buffer (the outbox is drained only while the channel is writable), frames (checked at the length header)
/// and the inbound stream (full means new messages are dropped and counted).
public final class PeerTransport: Sendable {
    public let member: MemberID
    public let chainID: Label
    /// Messages from authenticated peers. Finishes when the transport stops.
    public let inbound: AsyncStream<PeerMessage>

    let config: PeerConfig
    let key: SigningKey
    let group: any EventLoopGroup
    let metrics: PeerMetrics
    let logger: Logger
    let now: @Sendable () -> Timestamp
    let state: Mutex<State>
    let inboundContinuation: AsyncStream<PeerMessage>.Continuation

    /// - Parameters:
    ///   - allowed: the members that may connect and the key each must prove (usually the validator set); this
    ///     node's own entry, if present, is ignored.
    ///   - metricsFactory: where counters and gauges go; nothing is recorded by default.
    ///   - now: the wall clock for `PeerStatus.since`.
    public init(
        member: MemberID,
        key: SigningKey,
        chainID: Label,
        config: PeerConfig,
        allowed: [MemberID: PublicKey],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
        logger: Logger = Logger(label: "facet.peer"),
        now: @escaping @Sendable () -> Timestamp = PeerTransport.wallClock
    ) {
        config.checkBounds()
        self.member = member
        self.key = key
        self.chainID = chainID
        self.config = config
        self.group = group
        self.metrics = PeerMetrics(factory: metricsFactory)
        var logger = logger
        logger[metadataKey: "node.id"] = "\(member)"
        self.logger = logger
        self.now = now
        (inbound, inboundContinuation) = AsyncStream.makeStream(
            of: PeerMessage.self,
            bufferingPolicy: .bufferingOldest(config.maxInboundMessages)
        )
        var initial = State(addresses: config.peers)
        for (peer, peerKey) in allowed where peer != member {
            initial.slots[peer] = Slot(key: peerKey, config: config)
        }
        state = Mutex(initial)
    }

    @Sendable public static func wallClock() -> Timestamp {
        Timestamp(uncheckedMillis: Int64(Date().timeIntervalSince1970 * 1000))
    }

    // MARK: Lifecycle

    /// Loads TLS (if configured), binds the listening socket and starts dialling. Throws when TLS files cannot be
    /// read or the address cannot be bound; a transport starts once.
    public func start() async throws {
        let tls = try config.tls.map(Self.makeTLSContexts)
        try state.withLock { state throws(PeerError) in
            guard case .idle = state.lifecycle else { throw PeerError(.notIdle, "a peer transport starts once") }
            state.tls = tls
        }
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                initialize(channel, role: .acceptor, expectedPeer: nil)
            }
            .bind(host: config.listen.host, port: config.listen.port)
            .get()
        let targets = state.withLock { state in
            state.lifecycle = .running(server: server)
            return dialTargets(state)
        }
        logger.info(
            "peer transport listening", metadata: ["peer.address": "\(server.localAddress.map { "\($0)" } ?? "?")"])
        for target in targets { dial(target) }
    }

    /// Stops dialling, closes the listener and every connection, waits for them to close, and finishes `inbound`.
    /// Queued outbound messages are discarded.
    public func stop() async {
        let (server, channels, timers) = state.withLock { state -> ((any Channel)?, [any Channel], [Scheduled<Void>]) in
            var server: (any Channel)?
            if case .running(let channel) = state.lifecycle { server = channel }
            state.lifecycle = .stopped
            var timers: [Scheduled<Void>] = []
            for member in Array(state.slots.keys) {
                if let timer = state.slots[member]?.dialTimer { timers.append(timer) }
                state.slots[member]?.dialTimer = nil
                state.slots[member]?.outbox.removeAll()
            }
            return (server, Array(state.open.values), timers)
        }
        for timer in timers { timer.cancel() }
        if let server { try? await server.close() }
        for channel in channels {
            channel.close(promise: nil)
        }
        for channel in channels {
            try? await channel.closeFuture.get()
        }
        metrics.connectedPeers(0)
        inboundContinuation.finish()
        logger.info("peer transport stopped")
    }

    /// The address the listener is bound to (the actual port when the configuration asked for port 0).
    public var localAddress: PeerAddress? {
        state.withLock { state -> PeerAddress? in
            guard case .running(let server) = state.lifecycle, let address = server.localAddress,
                let port = address.port
            else { return nil }
            return PeerAddress(host: address.ipAddress ?? config.listen.host, port: port)
        }
    }

    // MARK: Sending

    /// Queues `payload` for `peer`. Never blocks: a full queue (by frame count or bytes), an empty payload (the
    /// empty frame is the transport's keepalive) or one over the frame limit, or a member that is not an allowed
    /// peer drops the message and counts it.
    @discardableResult
    public func send(_ payload: [UInt8], to peer: MemberID) -> PeerSendResult {
        let (result, hop) = state.withLock { state in enqueue(payload, to: peer, &state) }
        hop?.run()
        if case .dropped(let reason) = result { metrics.dropped(reason) }
        return result
    }

    /// Queues `payload` for every allowed peer (never this node); returns how many queues accepted it.
    @discardableResult
    public func broadcast(_ payload: [UInt8]) -> Int {
        var drops: [PeerDropReason] = []
        let (queued, hops) = state.withLock { state -> (Int, [DrainHop]) in
            var queued = 0
            var hops: [DrainHop] = []
            for peer in state.slots.keys {
                let (result, hop) = enqueue(payload, to: peer, &state)
                switch result {
                case .queued: queued += 1
                case .dropped(let reason): drops.append(reason)
                }
                if let hop { hops.append(hop) }
            }
            return (queued, hops)
        }
        for hop in hops { hop.run() }
        for reason in drops { metrics.dropped(reason) }
        return queued
    }

    private func enqueue(_ payload: [UInt8], to peer: MemberID, _ state: inout State) -> (PeerSendResult, DrainHop?) {
        guard state.isRunning || state.lifecycle.isIdle, !payload.isEmpty, payload.count <= config.maxFrameBytes,
            var slot = state.slots[peer]
        else { return (.dropped(.unsendable), nil) }
        defer { state.slots[peer] = slot }
        guard slot.outbox.append(payload) else {
            slot.drops += 1
            return (.dropped(.queueFull), nil)
        }
        guard let connection = slot.connection, !slot.drainScheduled else { return (.queued, nil) }
        slot.drainScheduled = true
        return (.queued, DrainHop(handler: connection.handler))
    }

    // MARK: Allow-list and addresses

    /// Replaces the allow-list (on a validator-set change). Connections of members no longer allowed, or whose key
    /// changed, are closed and their queues discarded; new members get a queue and, if this node dials them, a dial.
    public func updateAllowed(_ members: [MemberID: PublicKey]) {
        let (closing, targets) = state.withLock { state -> ([any Channel], [MemberID]) in
            var closing: [any Channel] = []
            for (peer, slot) in state.slots where members[peer] != slot.key {
                if let channel = slot.connection?.channel { closing.append(channel) }
                slot.dialTimer?.cancel()
                state.slots[peer] = nil
            }
            for (peer, peerKey) in members where peer != member && state.slots[peer] == nil {
                state.slots[peer] = Slot(key: peerKey, config: config)
            }
            return (closing, state.isRunning ? dialTargets(state) : [])
        }
        for channel in closing { channel.close(promise: nil) }
        for target in targets { dial(target) }
    }

    /// The allow-list from a validator set: each validator's member id and current key.
    public func updateAllowed(_ validators: ValidatorSet) {
        var members: [MemberID: PublicKey] = [:]
        for validator in validators.validators { members[validator.member] = validator.publicKey }
        updateAllowed(members)
    }

    /// Replaces the peers' addresses; peers this node dials and is not connected to are dialled now.
    public func updatePeers(_ addresses: [MemberID: PeerAddress]) {
        let targets = state.withLock { state -> [MemberID] in
            state.addresses = addresses
            return state.isRunning ? dialTargets(state) : []
        }
        for target in targets { dial(target) }
    }

    // MARK: Status

    /// The allowed members with an established connection, in id order.
    public var connectedPeers: [MemberID] {
        state.withLock { state in state.slots.filter { $0.value.connection != nil }.keys.sorted() }
    }

    /// One entry per allowed peer, in id order.
    public func status() -> [PeerStatus] {
        state.withLock { state in
            state.slots.keys.sorted().map { peer in
                let slot = state.slots[peer]!
                return PeerStatus(
                    member: peer,
                    address: state.addresses[peer],
                    connected: slot.connection != nil,
                    since: slot.since,
                    framesIn: slot.framesIn,
                    framesOut: slot.framesOut,
                    bytesIn: slot.bytesIn,
                    bytesOut: slot.bytesOut,
                    drops: slot.drops,
                    reconnects: slot.reconnects,
                    queuedFrames: slot.outbox.count,
                    queuedBytes: slot.outbox.bytes
                )
            }
        }
    }

    // MARK: TLS

    static func makeTLSContexts(_ tls: PeerTLSConfig) throws(PeerError) -> TLSContexts {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChainPath).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let privateKey = NIOSSLPrivateKeySource.privateKey(
                try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
            )
            let roots = NIOSSLTrustRoots.certificates(try NIOSSLCertificate.fromPEMFile(tls.trustRootsPath))
            var server = TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: chain,
                privateKey: privateKey,
                trustRoots: roots
            )
            server.minimumTLSVersion = .tlsv13
            var client = TLSConfiguration.makeClientConfiguration()
            client.minimumTLSVersion = .tlsv13
            client.certificateChain = chain
            client.privateKey = privateKey
            client.trustRoots = roots
            client.certificateVerification = .noHostnameVerification
            return TLSContexts(
                server: try NIOSSLContext(configuration: server), client: try NIOSSLContext(configuration: client))
        } catch {
            throw PeerError(.tlsConfig, "cannot load the peer TLS files: \(error)")
        }
    }
}

extension PeerTransport.Lifecycle {
    var isIdle: Bool {
        if case .idle = self { return true }
        return false
    }
}
