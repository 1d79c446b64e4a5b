extension NodeAPI {
    /// A validator's recorded misbehavior: two conflicting signed messages at one slot.
    public struct Evidence: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable {
            case conflictingVotes = "conflicting_votes"
            case conflictingProposals = "conflicting_proposals"
        }

        public var id: String
        public var offender: String
        /// The slot: height, round and step (`propose`, `prevote`, `precommit`).
        public var height: UInt64
        public var round: UInt32
        public var step: String
        public var kind: Kind
        public var reporter: String
        /// The block that recorded it, and that block's time in milliseconds.
        public var recordedHeight: UInt64
        public var recordedAt: Int64
    }
}
