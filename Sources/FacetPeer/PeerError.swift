/// An operating error from FacetPeer: a stable `code` and a plain `message` (`contracts/errors.md` lists the codes).
/// Connection-level refusals (a bad handshake, an oversized frame) close that connection and are counted in
/// `facet_peer_dropped_total`; they reach the caller only through metrics, logs and `PeerStatus`.
public struct PeerError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let oversizedFrame = Code(rawValue: "peer.oversized_frame")
        public static let badHandshake = Code(rawValue: "peer.bad_handshake")
        public static let notValidator = Code(rawValue: "peer.not_validator")
        public static let handshakeTimeout = Code(rawValue: "peer.handshake_timeout")
        public static let tlsConfig = Code(rawValue: "peer.tls_config")
        public static let notIdle = Code(rawValue: "peer.not_idle")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
