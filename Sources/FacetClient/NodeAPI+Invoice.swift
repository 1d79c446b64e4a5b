extension NodeAPI {
    /// An invoice as its seller, its buyer or a consenting lender may read it.
    public struct Invoice: Hashable, Sendable, Codable {
        public var id: String
        public var seller: String
        public var buyer: String?
        public var amount: Money
        public var paid: Money
        public var issuedAt: Int64?
        public var dueAt: Int64?
        public var confirmedAt: Int64?
        public var channel: String
        public var pieces: [String]?
        public var pledgedTo: String?
        public var cancelled: Bool?
        /// The seller and buyer, those suspended now (`contracts/openapi.yaml`).
        public var suspendedAttestors: [String]?
    }
}
