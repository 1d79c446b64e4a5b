import FacetCore
import FacetCredit
import FacetLedger
import FacetNode
import FacetScorecard

/// The bodies of the credit routes (`GET /v1/credit/…`). Scores, probabilities and feature values are JSON numbers
/// (they are statistics, not amounts); amounts stay `Money` objects with integer strings. A number that is not
/// finite is written as null.
extension APIJSON {
    /// A record behind a figure, with the route of its proof bundle.
    public struct RecordLink: Codable, Hashable, Sendable {
        public var id: String
        public var proof: String

        init(_ id: Hash256) {
            self.id = id.hex
            proof = "/v1/transactions/\(id.hex)/proof"
        }
    }

    public struct ModelBody: Codable, Hashable, Sendable {
        public var hash: String
        public var name: String
        public var registeredBy: String
        public var registeredAt: Int64
    }

    public struct ReasonBody: Codable, Hashable, Sendable {
        public var feature: String
        public var text: String
        public var pointsBelowBest: Double?
    }

    public struct FeatureBody: Codable, Hashable, Sendable {
        public var name: String
        /// The number; null when missing or categorical.
        public var value: Double?
        public var text: String?
        public var evidence: [RecordLink]
    }

    public struct WarningBody: Codable, Hashable, Sendable {
        public var code: String
        public var message: String
        public var members: [String]
        public var records: [RecordLink]
    }

    public struct ConstraintBody: Codable, Hashable, Sendable {
        public var kind: String
        public var amount: MoneyBody
    }

    public struct LimitBody: Codable, Hashable, Sendable {
        public var amount: MoneyBody
        public var binding: String
        public var constraints: [ConstraintBody]
    }

    /// The annual rate and its parts, as fractions (0.028 is 2.8%), and the IRB capital behind the charge.
    public struct RateBody: Codable, Hashable, Sendable {
        public var basisPoints: UInt32
        public var total: Double?
        public var fundingCost: Double?
        public var operatingCost: Double?
        public var expectedLoss: Double?
        public var capitalCharge: Double?
        public var margin: Double?
        /// fundingCost + operatingCost + margin: what a firm sees of the lender's own terms (the parts are nil then).
        public var lenderCostAndMargin: Double?
        public var pd: Double?
        public var lgd: Double?
        public var capitalK: Double?
        public var riskWeight: Double?
    }

    public struct GuaranteeBody: Codable, Hashable, Sendable {
        public var guarantor: String?
        public var guarantorName: String?
        public var coverageBasisPoints: Int
        public var feeBasisPoints: Int
        public var fee: MoneyBody
    }

    public struct DeclineBody: Codable, Hashable, Sendable {
        public var code: String
        public var message: String
    }

    /// One product under one lender's policy: an offer with every number shown, or a decline with its reasons.
    public struct DecisionBody: Codable, Hashable, Sendable {
        public var product: String
        public var outcome: String
        public var ledgerProduct: String?
        public var limit: LimitBody?
        public var rate: RateBody?
        public var tenorDays: UInt32?
        public var collateral: [CollateralBody]
        public var guarantee: GuaranteeBody?
        public var declines: [DeclineBody]
    }

    public struct LimitChangeBody: Codable, Hashable, Sendable {
        public var product: String
        public var before: MoneyBody
        public var after: MoneyBody
    }

    public struct AdviceBody: Codable, Hashable, Sendable {
        public var code: String
        public var text: String
        public var records: [RecordLink]
        public var feature: String?
        public var currentValue: Double?
        public var targetValue: Double?
        public var grade: String?
        public var score: Double?
        public var limits: [LimitChangeBody]
    }

    /// One lender's view: its policy's decisions and what would raise the firm's limits with it.
    public struct LenderCreditBody: Codable, Hashable, Sendable {
        public var lender: String
        public var name: String
        public var policy: String
        public var decisions: [DecisionBody]
        public var advice: [AdviceBody]
    }

    /// `GET /v1/credit/{firm}/report`.
    public struct CreditReportBody: Codable, Hashable, Sendable {
        public var firm: String
        public var name: String
        public var height: UInt64
        public var asOf: Int64
        public var model: ModelBody
        public var score: Double?
        public var pd: Double?
        public var grade: String
        /// `FirmFeatures.valuesHash`: what an offer made from this report names.
        public var featuresHash: String
        public var reasons: [ReasonBody]
        public var features: [FeatureBody]
        public var warnings: [WarningBody]
        public var revenue12m: MoneyBody
        public var monthlyCashFlow: MoneyBody
        public var lenders: [LenderCreditBody]
    }

    /// An offer ready to sign: exactly the fields of a `make_offer` body.
    public struct OfferTermsBody: Codable, Hashable, Sendable {
        public var firm: String
        public var product: String
        public var principal: MoneyBody
        public var rateBasisPoints: UInt32
        public var termDays: UInt32
        public var modelHash: String
        public var ledgerHeight: UInt64
        public var featuresHash: String
        public var expiresAt: Int64
        public var collateral: [CollateralBody]
        public var guarantee: OfferGuaranteeBody?
    }

    public struct OfferGuaranteeBody: Codable, Hashable, Sendable {
        public var guarantor: String
        public var coverageBasisPoints: UInt32
        public var fee: MoneyBody
    }

    /// `GET /v1/credit/{firm}/offers`: the asking lender's offers to sign and submit, the decision behind each, and
    /// the products it declines with why.
    public struct CreditOffersBody: Codable, Hashable, Sendable {
        public var firm: String
        public var lender: String
        public var height: UInt64
        public var score: Double?
        public var pd: Double?
        public var grade: String
        public var offers: [OfferTermsBody]
        public var decisions: [DecisionBody]
    }

    /// `GET /v1/credit/applicants`: one firm that consented to the asking lender.
    public struct ApplicantBody: Codable, Hashable, Sendable {
        public var firm: String
        public var name: String
        public var score: Double?
        public var pd: Double?
        public var grade: String
        /// The largest limit offered across the lender's products; zero when every product is declined.
        public var bestLimit: MoneyBody
        public var bestProduct: String?
        public var revenue12m: MoneyBody
        public var warnings: [String]
    }

    public struct ApplicantsBody: Codable, Hashable, Sendable {
        public var lender: String
        public var height: UInt64
        public var model: String
        public var applicants: [ApplicantBody]
    }
}

/// JSON cannot hold NaN or infinities.
func finite(_ value: Double?) -> Double? {
    guard let value, value.isFinite else { return nil }
    return value
}
