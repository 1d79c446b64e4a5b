import FacetCore
import Foundation

extension NodeConfig {
    /// How a validator of a multi-validator chain reaches the others: its peer address, theirs, the consensus
    /// timeouts, the clock drift it tolerates in block times, and optional TLS. Absent for a one-validator chain.
    public struct Consensus: Codable, Hashable, Sendable {
        /// Another validator: its member id (64 hex digits) and peer address.
        public struct Peer: Codable, Hashable, Sendable {
            public var member: String
            public var address: String

            public init(member: String, address: String) {
                self.member = member
                self.address = address
            }
        }

        /// PEM files for TLS between validators, in addition to the signed handshake that proves each peer's key.
        public struct TLS: Codable, Hashable, Sendable {
            public var certificateChain: String
            public var privateKey: String
            public var trustRoots: String

            public init(certificateChain: String, privateKey: String, trustRoots: String) {
                self.certificateChain = certificateChain
                self.privateKey = privateKey
                self.trustRoots = trustRoots
            }
        }

        /// Tendermint's three timeouts: each is `base + increment × round` milliseconds, so they grow per round.
        public struct Timeouts: Codable, Hashable, Sendable {
            public var proposeMillis: Int
            public var prevoteMillis: Int
            public var precommitMillis: Int
            public var incrementMillis: Int

            public init(
                proposeMillis: Int = 3_000, prevoteMillis: Int = 1_000, precommitMillis: Int = 1_000,
                incrementMillis: Int = 500
            ) {
                self.proposeMillis = proposeMillis
                self.prevoteMillis = prevoteMillis
                self.precommitMillis = precommitMillis
                self.incrementMillis = incrementMillis
            }

            var all: [(String, Int)] {
                [
                    ("proposeMillis", proposeMillis), ("prevoteMillis", prevoteMillis),
                    ("precommitMillis", precommitMillis), ("incrementMillis", incrementMillis),
                ]
            }
        }

        public var listen: Listen
        public var peers: [Peer]
        public var timeouts: Timeouts
        /// How far ahead of this node's clock a proposed block's time may be.
        public var maxClockDriftMillis: Int
        /// 0: a block every block interval, empty or not. Above 0: with no transaction to order, the next block
        /// waits for one, or at most this long (an empty block then shows the chain is live).
        public var emptyBlockIntervalMillis: Int
        public var tls: TLS?
        /// Plain peer links to addresses that are not loopback (without it such a peer needs `tls`).
        public var insecurePeers: Bool

        public init(
            listen: Listen, peers: [Peer], timeouts: Timeouts = Timeouts(), maxClockDriftMillis: Int = 5_000,
            emptyBlockIntervalMillis: Int = 0, tls: TLS? = nil, insecurePeers: Bool = false
        ) {
            self.listen = listen
            self.peers = peers
            self.timeouts = timeouts
            self.maxClockDriftMillis = maxClockDriftMillis
            self.emptyBlockIntervalMillis = emptyBlockIntervalMillis
            self.tls = tls
            self.insecurePeers = insecurePeers
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case listen, peers, timeouts, maxClockDriftMillis, emptyBlockIntervalMillis, tls, insecurePeers
        }

        public init(from decoder: any Decoder) throws {
            try NodeConfig.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                listen: try container.decode(Listen.self, forKey: .listen),
                peers: try container.decodeIfPresent([Peer].self, forKey: .peers) ?? [],
                timeouts: try container.decodeIfPresent(Timeouts.self, forKey: .timeouts) ?? Timeouts(),
                maxClockDriftMillis: try container.decodeIfPresent(Int.self, forKey: .maxClockDriftMillis) ?? 5_000,
                emptyBlockIntervalMillis: try container.decodeIfPresent(Int.self, forKey: .emptyBlockIntervalMillis)
                    ?? 0,
                tls: try container.decodeIfPresent(TLS.self, forKey: .tls),
                insecurePeers: try container.decodeIfPresent(Bool.self, forKey: .insecurePeers) ?? false)
        }

        /// The peers by member id; fails on an id that is not 64 hex digits, an address that is not HOST:PORT, or
        /// a member listed twice.
        public func peerAddresses() throws(NodeConfigError) -> [MemberID: Listen] {
            var addresses = [MemberID: Listen]()
            for peer in peers {
                guard let hash = Hash256(hex: peer.member) else {
                    throw NodeConfigError(.invalid, "consensus.peers: member \(peer.member) is not 64 hex digits")
                }
                guard let address = Listen(parsing: peer.address) else {
                    throw NodeConfigError(.invalid, "consensus.peers: address \(peer.address) is not HOST:PORT")
                }
                guard addresses.updateValue(address, forKey: MemberID(hash)) == nil else {
                    throw NodeConfigError(.invalid, "consensus.peers: member \(peer.member) is listed twice")
                }
            }
            return addresses
        }

        func validate() throws(NodeConfigError) {
            guard !listen.host.isEmpty && (0...65_535).contains(listen.port) else {
                throw NodeConfigError(.invalid, "consensus.listen.port is 0 to 65535")
            }
            _ = try peerAddresses()
            for (name, value) in timeouts.all where !(0...600_000).contains(value) {
                throw NodeConfigError(.invalid, "consensus.timeouts.\(name) is 0 to 600000")
            }
            guard timeouts.all.allSatisfy({ $0.1 > 0 }) else {
                throw NodeConfigError(.invalid, "consensus timeouts are positive")
            }
            guard (0...3_600_000).contains(maxClockDriftMillis) else {
                throw NodeConfigError(.invalid, "consensus.maxClockDriftMillis is 0 to 3600000")
            }
            guard (0...86_400_000).contains(emptyBlockIntervalMillis) else {
                throw NodeConfigError(.invalid, "consensus.emptyBlockIntervalMillis is 0 to 86400000")
            }
        }
    }
}
