extension NodeAPI {
    /// A page of a firm's access log (`GET /v1/members/{id}/access-log`): who read its private data, newest first.
    /// `next` is the `before` of the following page, nil on the last.
    public struct AccessLog: Hashable, Sendable, Codable {
        public var firm: String
        public var receipts: [AccessReceipt]
        public var next: Int64?
    }

    /// One read, or `count` reads alike within a minute, of a firm's private data by `reader`: `what` was read,
    /// under a consent (`basis` `consent`, granted at `consentGrantedAt`) or the auditor role (`auditor`), served
    /// `at` (ms) from the ledger at `height`.
    public struct AccessReceipt: Hashable, Sendable, Codable {
        public enum Basis: String, Hashable, Sendable, Codable {
            case consent, auditor
        }

        public var reader: String
        public var readerName: String?
        public var what: String
        public var basis: Basis
        public var consentGrantedAt: Int64?
        public var at: Int64
        public var height: UInt64
        public var count: Int
    }
}
