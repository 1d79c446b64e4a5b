extension NodeAPI {
    /// A loan as its borrower or lender sees it.
    public struct Loan: Hashable, Sendable, Codable {
        public enum State: String, Hashable, Sendable, Codable {
            case active, repaid, defaulted
        }

        public var id: String
        public var offer: String?
        public var lender: String
        public var borrower: String
        public var product: String?
        public var principal: Money
        public var outstanding: Money
        public var rateBasisPoints: UInt32?
        public var startedAt: Int64?
        public var dueAt: Int64?
        public var status: State
        public var collateral: [JSONValue]?
        public var guaranteedBasisPoints: UInt32?
        /// The borrower's repayment claim awaiting the lender's confirmation, if any.
        public var openClaim: String?
    }
}
