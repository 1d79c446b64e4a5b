extension NodeAPI {
    /// The `Error` schema: every refusal is `{ "code": "...", "message": "..." }` with a stable code.
    public struct ErrorBody: Hashable, Sendable, Codable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
}
