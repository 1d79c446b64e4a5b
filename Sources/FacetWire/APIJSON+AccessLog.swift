/// `GET /v1/members/{id}/access-log`: who read a firm's private data, newest first.
extension APIJSON {
    /// One page of a firm's access log. `next` is the `before` that asks for the page after this one, null when
    /// nothing older is left.
    public struct AccessLogBody: Codable, Hashable, Sendable {
        public var firm: String
        public var receipts: [AccessReceiptBody]
        public var next: Int64?

        public init(firm: String, receipts: [AccessReceiptBody], next: Int64? = nil) {
            self.firm = firm
            self.receipts = receipts
            self.next = next
        }

        /// `next` is written as null on the last page rather than left out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(firm, forKey: .firm)
            try container.encode(receipts, forKey: .receipts)
            try container.encode(next, forKey: .next)
        }
    }

    /// One receipt: a read (or `count` reads alike within a minute) of the firm's data. `basis` is `consent`
    /// (with the consent's `consentGrantedAt`) or `auditor`; `readerName` is the reader's registered name, null if
    /// it is no longer a member the state knows.
    public struct AccessReceiptBody: Codable, Hashable, Sendable {
        public enum Basis: String, Codable, Hashable, Sendable {
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

        public init(
            reader: String, readerName: String? = nil, what: String, basis: Basis, consentGrantedAt: Int64? = nil,
            at: Int64, height: UInt64, count: Int
        ) {
            self.reader = reader
            self.readerName = readerName
            self.what = what
            self.basis = basis
            self.consentGrantedAt = consentGrantedAt
            self.at = at
            self.height = height
            self.count = count
        }

        /// Absent names and grant times are written as null.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reader, forKey: .reader)
            try container.encode(readerName, forKey: .readerName)
            try container.encode(what, forKey: .what)
            try container.encode(basis, forKey: .basis)
            try container.encode(consentGrantedAt, forKey: .consentGrantedAt)
            try container.encode(at, forKey: .at)
            try container.encode(height, forKey: .height)
            try container.encode(count, forKey: .count)
        }
    }
}
