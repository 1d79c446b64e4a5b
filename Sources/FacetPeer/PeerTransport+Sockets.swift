import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Socket options of peer connections beyond NIO's named ones.
extension PeerTransport {
    /// Sets Linux's `TCP_USER_TIMEOUT` on a new connection (dialled or accepted; called on its event loop): how
    /// long written data may stay unacknowledged before the kernel gives up on the connection. Without it a write
    /// into a dead path is retransmitted, with exponential backoff, for about 15 minutes. Elsewhere it does nothing.
    func setUserTimeout(_ channel: any Channel) throws {
        #if canImport(Glibc)
            try channel.syncOptions?.setOption(Self.userTimeout, value: userTimeoutMillis)
        #endif
    }

    #if canImport(Glibc)
        static let userTimeout = ChannelOptions.Types.SocketOption(
            level: .tcp, name: NIOBSDSocket.Option(rawValue: TCP_USER_TIMEOUT))
    #endif

    /// `PeerLiveness.closeAfter` in milliseconds, the keepalive's own bound; 0 (the kernel's default) when the
    /// keepalive is off.
    var userTimeoutMillis: Int {
        guard let liveness = config.liveness else { return 0 }
        return Int(clamping: min(TimeAmount(liveness.closeAfter).nanoseconds / 1_000_000, Int64(Int32.max)))
    }
}
