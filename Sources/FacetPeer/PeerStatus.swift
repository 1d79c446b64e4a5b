import FacetCore

/// A message from an authenticated peer, in arrival order per peer.
public struct PeerMessage: Sendable, Hashable {
    public let from: MemberID
    public let payload: [UInt8]

    public init(from: MemberID, payload: [UInt8]) {
        self.from = from
        self.payload = payload
    }
}

/// What `send` did with a payload.
public enum PeerSendResult: Sendable, Hashable {
    /// Queued for the peer; written when (and if) a connection is up. Not a delivery receipt.
    case queued
    /// Not queued; counted in `facet_peer_dropped_total` under this reason.
    case dropped(PeerDropReason)
}

/// One allowed peer as the node's status page and metrics show it. Counters start at zero when the transport
/// starts (or when the member joins the allow-list).
public struct PeerStatus: Sendable, Hashable {
    public let member: MemberID
    public let address: PeerAddress?
    public let connected: Bool
    /// When the current connection was established; nil while disconnected.
    public let since: Timestamp?
    public let framesIn: UInt64
    public let framesOut: UInt64
    public let bytesIn: UInt64
    public let bytesOut: UInt64
    /// Messages to this peer dropped because its queue was full.
    public let drops: UInt64
    /// Dials after the first (each one logged).
    public let reconnects: UInt64
    public let queuedFrames: Int
    public let queuedBytes: Int
}
