extension NodeAPI {
    /// A committed block: its id, header and commit certificate (objects the schema leaves open) and the status of
    /// each of its transactions in block order.
    public struct Block: Hashable, Sendable, Codable {
        public var id: String
        public var header: JSONValue
        public var certificate: JSONValue
        public var transactions: [TransactionStatus]
    }
}
