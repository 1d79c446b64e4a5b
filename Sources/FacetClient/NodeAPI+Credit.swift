import FacetCore

extension NodeAPI {
    /// What `facet credit` reads of the credit routes; fields it does not print are left out (JSON output prints
    /// the node's answer as decoded here).
    public struct CreditReport: Hashable, Sendable, Codable {
        public struct Model: Hashable, Sendable, Codable {
            public var hash: String
            public var name: String
        }

        public struct Reason: Hashable, Sendable, Codable {
            public var feature: String
            public var text: String
            public var pointsBelowBest: Double?
        }

        public struct Link: Hashable, Sendable, Codable {
            public var id: String
            public var proof: String
        }

        public struct Feature: Hashable, Sendable, Codable {
            public var name: String
            public var value: Double?
            public var text: String?
            public var evidence: [Link]
        }

        public struct Warning: Hashable, Sendable, Codable {
            public var code: String
            public var message: String
        }

        public struct Lender: Hashable, Sendable, Codable {
            public var lender: String
            public var name: String
            public var policy: String
            public var decisions: [CreditDecision]
            public var advice: [Advice]
        }

        public struct Advice: Hashable, Sendable, Codable {
            public struct Change: Hashable, Sendable, Codable {
                public var product: String
                public var before: Money
                public var after: Money
            }

            public var code: String
            public var text: String
            public var grade: String?
            public var limits: [Change]
        }

        public var firm: String
        public var name: String
        public var height: UInt64
        public var asOf: Int64
        public var model: Model
        public var score: Double?
        public var pd: Double?
        public var grade: String
        public var featuresHash: String
        public var reasons: [Reason]
        public var features: [Feature]
        public var warnings: [Warning]
        public var revenue12m: Money
        public var monthlyCashFlow: Money
        public var lenders: [Lender]
    }

    /// One product's decision under a lender's policy.
    public struct CreditDecision: Hashable, Sendable, Codable {
        public struct Limit: Hashable, Sendable, Codable {
            public var amount: Money
            public var binding: String
        }

        public struct Rate: Hashable, Sendable, Codable {
            public var basisPoints: UInt32
            public var fundingCost: Double?
            public var operatingCost: Double?
            public var expectedLoss: Double?
            public var capitalCharge: Double?
            public var margin: Double?
            /// Funding cost, operating cost and margin summed; alone in the firm's own report.
            public var lenderCostAndMargin: Double?
        }

        public struct Decline: Hashable, Sendable, Codable {
            public var code: String
            public var message: String
        }

        public var product: String
        public var outcome: String
        public var limit: Limit?
        public var rate: Rate?
        public var tenorDays: UInt32?
        public var declines: [Decline]
    }

    /// `GET /v1/credit/{firm}/offers`.
    public struct CreditOffers: Hashable, Sendable, Codable {
        public struct Terms: Hashable, Sendable, Codable {
            public struct Item: Hashable, Sendable, Codable {
                public var kind: String
                public var id: String
            }

            public struct Guarantee: Hashable, Sendable, Codable {
                public var guarantor: String
                public var coverageBasisPoints: UInt32
                public var fee: Money
            }

            public var firm: String
            public var product: String
            public var principal: Money
            public var rateBasisPoints: UInt32
            public var termDays: UInt32
            public var modelHash: String
            public var ledgerHeight: UInt64
            public var featuresHash: String
            public var expiresAt: Int64
            public var collateral: [Item]
            public var guarantee: Guarantee?
        }

        public var firm: String
        public var lender: String
        public var height: UInt64
        public var score: Double?
        public var pd: Double?
        public var grade: String
        public var offers: [Terms]
        public var decisions: [CreditDecision]
    }
}

extension NodeAPI {
    /// `GET /v1/credit/applicants`: the firms that consented to the asking lender.
    public struct CreditApplicants: Hashable, Sendable, Codable {
        public struct Applicant: Hashable, Sendable, Codable {
            public var firm: String
            public var name: String
            public var score: Double?
            public var pd: Double?
            public var grade: String
            public var bestLimit: Money
            public var bestProduct: String?
            public var revenue12m: Money
            public var warnings: [String]
        }

        public var lender: String
        public var height: UInt64
        public var model: String
        public var applicants: [Applicant]
    }
}

extension NodeClient {
    /// `GET /v1/credit/applicants`, signed by a lender.
    public func creditApplicants(signer: MemberKey) async throws(ClientError) -> NodeAPI.CreditApplicants {
        try await signedGet(NodeAPI.CreditApplicants.self, "/v1/credit/applicants", signer: signer)
    }

    /// `GET /v1/credit/{firm}/report`, signed by the firm or a lender holding its consent.
    public func creditReport(of firm: MemberID, signer: MemberKey, tenorDays: UInt32? = nil)
        async throws(ClientError) -> NodeAPI.CreditReport
    {
        try await signedGet(NodeAPI.CreditReport.self, NodeClient.creditPath(firm, "report", tenorDays), signer: signer)
    }

    /// `GET /v1/credit/{firm}/offers`, signed by a lender holding the firm's consent.
    public func creditOffers(of firm: MemberID, signer: MemberKey, tenorDays: UInt32? = nil)
        async throws(ClientError) -> NodeAPI.CreditOffers
    {
        try await signedGet(NodeAPI.CreditOffers.self, NodeClient.creditPath(firm, "offers", tenorDays), signer: signer)
    }

    static func creditPath(_ firm: MemberID, _ what: String, _ tenorDays: UInt32?) -> String {
        "/v1/credit/\(firm.hex)/\(what)" + (tenorDays.map { "?tenor=\($0)" } ?? "")
    }
}
