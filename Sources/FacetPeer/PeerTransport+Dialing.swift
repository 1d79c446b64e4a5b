import FacetCore
import Logging
import NIOCore
import NIOPosix

/// Dialling: the lower member id dials, with capped, jittered exponential backoff between attempts.
extension PeerTransport {
    /// The peers this node should dial now: allowed, with an address, above this node's id, and neither
    /// connected, being dialled nor waiting for a redial timer.
    func dialTargets(_ state: State) -> [MemberID] {
        state.slots.keys.sorted().filter { peer in
            guard let slot = state.slots[peer] else { return false }
            return shouldDial(peer, slot, state) && !slot.dialing && slot.dialTimer == nil
        }
    }

    private func shouldDial(_ peer: MemberID, _ slot: Slot, _ state: State) -> Bool {
        state.isRunning && member < peer && state.addresses[peer] != nil && slot.connection == nil
    }

    /// Opens one TCP connection to `peer`; when it fails or later closes, a redial is scheduled.
    func dial(_ peer: MemberID) {
        let (address, reconnecting) = state.withLock { state -> (PeerAddress?, Bool) in
            guard var slot = state.slots[peer], shouldDial(peer, slot, state), !slot.dialing else {
                return (nil, false)
            }
            slot.dialTimer = nil
            slot.dialing = true
            if slot.dialAttempts > 0 { slot.reconnects += 1 }
            state.slots[peer] = slot
            return (state.addresses[peer], slot.dialAttempts > 0)
        }
        guard let address else { return }
        if reconnecting { metrics.reconnectAttempt() }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(config.connectTimeout))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                initialize(channel, role: .dialer, expectedPeer: peer)
            }
        bootstrap.connect(host: address.host, port: address.port).whenComplete { [self] result in
            switch result {
            case .success(let channel):
                channel.closeFuture.whenComplete { [self] _ in dialEnded(peer, channel: channel) }
            case .failure(let error):
                logger.debug("peer dial failed", metadata: ["peer.id": "\(peer)", "peer.error": "\(error)"])
                dialEnded(peer, channel: nil)
            }
        }
    }

    /// A dial failed, or its connection closed: clear the connection if it was this one and schedule a redial.
    private func dialEnded(_ peer: MemberID, channel: (any Channel)?) {
        state.withLock { state in
            guard state.slots[peer] != nil else { return }
            state.slots[peer]?.dialing = false
            if let channel, state.slots[peer]?.connection?.id == ObjectIdentifier(channel) {
                state.slots[peer]?.connection = nil
                state.slots[peer]?.since = nil
                state.slots[peer]?.drainScheduled = false
            }
            _ = scheduleRedial(peer, &state)
        }
    }

    /// Arms the redial timer for `peer` if this node dials it and nothing else is under way. Returns whether it did.
    func scheduleRedial(_ peer: MemberID, _ state: inout State) -> Bool {
        guard var slot = state.slots[peer], shouldDial(peer, slot, state), !slot.dialing, slot.dialTimer == nil
        else { return false }
        let delay = config.backoff.delay(attempt: slot.dialAttempts, jitter: Double.random(in: 0..<1))
        slot.dialAttempts += 1
        slot.dialTimer = group.next().scheduleTask(in: TimeAmount(delay)) { [self] in dial(peer) }
        state.slots[peer] = slot
        logger.info(
            "reconnecting to peer",
            metadata: [
                "peer.id": "\(peer)", "peer.attempt": "\(slot.dialAttempts)",
                "peer.delay_ms":
                    "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
            ]
        )
        return true
    }
}
