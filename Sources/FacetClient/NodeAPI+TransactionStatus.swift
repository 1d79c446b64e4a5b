extension NodeAPI {
    /// Where a transaction stands: `pending` in the mempool, `committed` at a height, or `rejected` (committed as a
    /// refusal, with the contract's code and message; it changed nothing).
    public struct TransactionStatus: Hashable, Sendable, Codable {
        public enum State: String, Hashable, Sendable, Codable {
            case pending, committed, rejected
        }

        public var id: String
        public var status: State
        public var height: UInt64?
        public var index: Int?
        public var kind: String?
        public var code: String?
        public var message: String?
        /// Whether a committed transaction's signer is suspended now.
        public var signerSuspended: Bool?

        public init(
            id: String, status: State, height: UInt64? = nil, index: Int? = nil, kind: String? = nil,
            code: String? = nil, message: String? = nil, signerSuspended: Bool? = nil
        ) {
            self.signerSuspended = signerSuspended
            self.id = id
            self.status = status
            self.height = height
            self.index = index
            self.kind = kind
            self.code = code
            self.message = message
        }

        /// Committed or rejected: nothing will change it any more.
        public var isFinal: Bool { status != .pending }
    }
}
