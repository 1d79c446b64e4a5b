import NIOCore

/// The keepalive of one established connection, without I/O or clocks: the driver (`PeerChannelHandler`) passes in
/// when bytes last arrived and the time now, and carries out the action returned.
///
/// A ping and its answer are both empty frames. A side answers an empty frame unless it is waiting for the answer
/// to its own ping, in which case that frame is the answer. Only an empty frame ends the wait, so an answer is never
/// taken for a ping and answered in turn (two pings that cross are each the other's answer).
struct PeerLivenessCheck {
    enum Action: Equatable {
        /// Nothing to do; check again at this time.
        case wait(until: NIODeadline)
        /// Send a ping (an empty frame), then check again at this time.
        case ping(thenCheckAt: NIODeadline)
        /// The peer has been silent for `closeAfter`: close the connection.
        case close
    }

    /// What an empty frame was.
    enum EmptyFrame: Equatable {
        /// The peer's ping: send an empty frame back.
        case ping
        /// The answer to our ping: check again now, since the next ping is due `pingAfter` from here rather than
        /// at the close deadline the last check set.
        case answer
    }

    let pingAfter: TimeAmount
    let closeAfter: TimeAmount
    /// A ping was sent and no empty frame has arrived since.
    private(set) var awaitingAnswer = false

    init(_ liveness: PeerLiveness) {
        pingAfter = TimeAmount(liveness.pingAfter)
        closeAfter = TimeAmount(liveness.closeAfter)
        precondition(pingAfter > .zero && closeAfter > pingAfter, "liveness needs 0 < pingAfter < closeAfter")
    }

    /// What to do at `now`, given that bytes last arrived at `lastReceived` (the connection's start, before any).
    mutating func check(lastReceived: NIODeadline, now: NIODeadline) -> Action {
        let silence = now - lastReceived
        if silence >= closeAfter { return .close }
        if awaitingAnswer { return .wait(until: lastReceived + closeAfter) }
        if silence >= pingAfter {
            awaitingAnswer = true
            return .ping(thenCheckAt: lastReceived + closeAfter)
        }
        return .wait(until: lastReceived + pingAfter)
    }

    /// An empty frame arrived: the peer's ping, or the answer to ours.
    mutating func emptyFrameReceived() -> EmptyFrame {
        guard awaitingAnswer else { return .ping }
        awaitingAnswer = false
        return .answer
    }
}
