/// When an established link counts as dead. TCP alone notices a dead peer only through retransmissions, which back
/// off to tens of seconds (and its keepalive waits two hours), so after a network cut a connection could stay
/// stalled long after the network is back. The transport pings a link that has been silent for `pingAfter` (an
/// empty frame, which the peer answers) and closes it after `closeAfter` of silence, so the dialler redials at once.
/// See `contracts/peer-protocol.md`, "Keepalive".
public struct PeerLiveness: Hashable, Sendable {
    /// Silence (nothing at all received) after which a ping is sent.
    public var pingAfter: Duration
    /// Silence after which the connection is closed; also the socket's `TCP_USER_TIMEOUT` (how long written data
    /// may stay unacknowledged).
    public var closeAfter: Duration

    public init(pingAfter: Duration = .seconds(2), closeAfter: Duration = .seconds(6)) {
        precondition(pingAfter > .zero && closeAfter > pingAfter, "liveness needs 0 < pingAfter < closeAfter")
        self.pingAfter = pingAfter
        self.closeAfter = closeAfter
    }
}
