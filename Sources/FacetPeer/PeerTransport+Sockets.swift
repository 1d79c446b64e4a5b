#if canImport(Glibc)
    import Glibc
#endif
import NIOCore
import NIOPosix

/// Socket options of peer connections beyond NIO's named ones.
extension PeerTransport {
    /// Sets Linux's `TCP_USER_TIMEOUT` on accepted connections: how long written data may stay unacknowledged
    /// before the kernel gives up on the connection. Without it a write into a dead path is retransmitted, with
    /// exponential backoff, for about 15 minutes. Elsewhere the bootstrap is returned unchanged.
    func withUserTimeout(_ bootstrap: ServerBootstrap) -> ServerBootstrap {
        #if canImport(Glibc)
            return bootstrap.childChannelOption(Self.userTimeout, value: userTimeoutMillis)
        #else
            return bootstrap
        #endif
    }

    /// The same for dialled connections.
    func withUserTimeout(_ bootstrap: ClientBootstrap) -> ClientBootstrap {
        #if canImport(Glibc)
            return bootstrap.channelOption(Self.userTimeout, value: userTimeoutMillis)
        #else
            return bootstrap
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
