extension NodeAPI {
    /// An item of collateral and the loan it secures.
    public struct Pledge: Hashable, Sendable, Codable {
        public struct Collateral: Hashable, Sendable, Codable {
            /// `piece` or `invoice`.
            public var kind: String?
            public var id: String?
        }

        public var loan: String
        public var collateral: Collateral
    }
}
