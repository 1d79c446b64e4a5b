extension NodeAPI {
    /// `GET /v1/status`: the chain and the node's head. Clients take the chain id they sign for from here.
    public struct Status: Hashable, Sendable, Codable {
        public struct Mempool: Hashable, Sendable, Codable {
            public var count: Int?
            public var bytes: Int?
        }

        public var chainID: String
        /// The node's id: what a signed read names to be answered by this node.
        public var node: String?
        public var height: UInt64
        public var blockID: String?
        public var stateRoot: String
        /// Milliseconds since the Unix epoch of the head block.
        public var time: Int64?
        public var logSize: UInt64?
        public var mempool: Mempool
        public var peers: [String]
        /// A validator among several: where its consensus stands (absent for a lone validator).
        public var consensus: Consensus?

        public struct Consensus: Hashable, Sendable, Codable {
            /// `voting`, `syncing`, `store_unavailable` or `stalled`.
            public var mode: String
            public var height: UInt64
            public var round: UInt32
            /// The highest height a peer backs with blocks (an announced head alone does not count).
            public var bestPeerHeight: UInt64
        }
    }
}
