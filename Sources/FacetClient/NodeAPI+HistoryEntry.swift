extension NodeAPI {
    /// One transaction in a history (a piece's steps, a member's payments): where and when it was committed, and
    /// whether the ledger accepted it.
    public struct HistoryEntry: Hashable, Sendable, Codable {
        public var height: UInt64
        public var index: Int?
        public var time: Int64
        public var transaction: String
        public var kind: String
        public var signer: String
        public var accepted: Bool
        /// The signer is suspended now: what it attested weighs as self-issued (nil from a node before issue 15).
        public var signerSuspended: Bool?
    }
}
