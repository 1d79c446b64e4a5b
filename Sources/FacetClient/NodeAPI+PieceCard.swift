extension NodeAPI {
    /// A piece's identity card, its current state and every step it went through.
    public struct PieceCard: Hashable, Sendable, Codable {
        public var id: String
        public var owner: String
        public var card: JSONValue
        public var certificate: JSONValue?
        public var certified: Bool?
        public var custody: JSONValue?
        public var pledgedTo: String?
        public var status: String?
        public var history: [HistoryEntry]
    }
}
