extension NodeAPI {
    /// A member's public record.
    public struct Member: Hashable, Sendable, Codable {
        public enum State: String, Hashable, Sendable, Codable {
            case pending, active, suspended
        }

        public var id: String
        public var name: String
        public var roles: [String]
        public var publicKey: String
        public var status: State
        public var since: Int64?
    }
}
