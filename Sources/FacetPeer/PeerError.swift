import FacetCore

/// An operating error from FacetPeer: a stable `code` and a plain `message` (`contracts/errors.md` lists the codes).
/// Connection-level refusals (a bad handshake, an oversized frame) close that connection and are counted in
/// `facet_peer_dropped_total`; they reach the caller only through metrics, logs and `PeerStatus`.
public typealias PeerError = FacetError<PeerErrorCode>

/// The codes of `PeerError`.
public struct PeerErrorCode: ErrorCode, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let oversizedFrame = Self(rawValue: "peer.oversized_frame")
    public static let badHandshake = Self(rawValue: "peer.bad_handshake")
    public static let notValidator = Self(rawValue: "peer.not_validator")
    public static let handshakeTimeout = Self(rawValue: "peer.handshake_timeout")
    public static let tlsConfig = Self(rawValue: "peer.tls_config")
    public static let notIdle = Self(rawValue: "peer.not_idle")
}
