extension NodeAPI {
    /// `POST /v1/transactions/batch`'s answer: how many were queued and refused, then one result per transaction
    /// in the order submitted.
    public struct BatchResult: Hashable, Sendable, Codable {
        /// One transaction's outcome: `pending` (queued) with its kind, or `refused` with the code and message a
        /// single submission would have had.
        public struct Item: Hashable, Sendable, Codable {
            public var id: String
            public var status: String
            public var kind: String?
            public var code: String?
            public var message: String?

            public var isPending: Bool { status == "pending" }
        }

        public var pending: Int
        public var refused: Int
        public var results: [Item]
    }
}
