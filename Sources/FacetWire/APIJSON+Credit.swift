import FacetCore

/// The bodies of the credit routes (`GET /v1/credit/…`). Scores, probabilities and feature values are JSON numbers
/// (they are statistics, not amounts); amounts stay `Money` objects with integer strings. A number that is not
/// finite is written as null.
extension APIJSON {
    /// A record behind a figure, with the route of its proof bundle.
    public struct RecordLink: Codable, Hashable, Sendable {
        public var id: String
        public var proof: String

        public init(id: String, proof: String) {
            self.id = id
            self.proof = proof
        }

        public init(_ id: Hash256) {
            self.id = id.hex
            proof = "/v1/transactions/\(id.hex)/proof"
        }
    }

    public struct ModelBody: Codable, Hashable, Sendable {
        public var hash: String
        public var name: String
        public var registeredBy: String
        public var registeredAt: Int64

        public init(hash: String, name: String, registeredBy: String, registeredAt: Int64) {
            self.hash = hash
            self.name = name
            self.registeredBy = registeredBy
            self.registeredAt = registeredAt
        }
    }

    public struct ReasonBody: Codable, Hashable, Sendable {
        public var feature: String
        public var text: String
        public var pointsBelowBest: Double?

        public init(feature: String, text: String, pointsBelowBest: Double? = nil) {
            self.feature = feature
            self.text = text
            self.pointsBelowBest = pointsBelowBest
        }
    }

    public struct FeatureBody: Codable, Hashable, Sendable {
        public var name: String
        /// The number; null when missing or categorical.
        public var value: Double?
        public var text: String?
        public var evidence: [RecordLink]

        public init(name: String, value: Double? = nil, text: String? = nil, evidence: [RecordLink]) {
            self.name = name
            self.value = value
            self.text = text
            self.evidence = evidence
        }
    }

    public struct WarningBody: Codable, Hashable, Sendable {
        public var code: String
        public var message: String
        public var members: [String]
        public var records: [RecordLink]

        public init(code: String, message: String, members: [String], records: [RecordLink]) {
            self.code = code
            self.message = message
            self.members = members
            self.records = records
        }
    }

    public struct ConstraintBody: Codable, Hashable, Sendable {
        public var kind: String
        public var amount: MoneyBody

        public init(kind: String, amount: MoneyBody) {
            self.kind = kind
            self.amount = amount
        }
    }

    public struct LimitBody: Codable, Hashable, Sendable {
        public var amount: MoneyBody
        public var binding: String
        public var constraints: [ConstraintBody]

        public init(amount: MoneyBody, binding: String, constraints: [ConstraintBody]) {
            self.amount = amount
            self.binding = binding
            self.constraints = constraints
        }
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

        public init(
            basisPoints: UInt32, total: Double? = nil, fundingCost: Double? = nil, operatingCost: Double? = nil,
            expectedLoss: Double? = nil, capitalCharge: Double? = nil, margin: Double? = nil,
            lenderCostAndMargin: Double? = nil, pd: Double? = nil, lgd: Double? = nil, capitalK: Double? = nil,
            riskWeight: Double? = nil
        ) {
            self.basisPoints = basisPoints
            self.total = total
            self.fundingCost = fundingCost
            self.operatingCost = operatingCost
            self.expectedLoss = expectedLoss
            self.capitalCharge = capitalCharge
            self.margin = margin
            self.lenderCostAndMargin = lenderCostAndMargin
            self.pd = pd
            self.lgd = lgd
            self.capitalK = capitalK
            self.riskWeight = riskWeight
        }
    }

    public struct GuaranteeBody: Codable, Hashable, Sendable {
        public var guarantor: String?
        public var guarantorName: String?
        public var coverageBasisPoints: Int
        public var feeBasisPoints: Int
        public var fee: MoneyBody

        public init(
            guarantor: String? = nil, guarantorName: String? = nil, coverageBasisPoints: Int, feeBasisPoints: Int,
            fee: MoneyBody
        ) {
            self.guarantor = guarantor
            self.guarantorName = guarantorName
            self.coverageBasisPoints = coverageBasisPoints
            self.feeBasisPoints = feeBasisPoints
            self.fee = fee
        }
    }

    public struct DeclineBody: Codable, Hashable, Sendable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
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

        public init(
            product: String, outcome: String, ledgerProduct: String? = nil, limit: LimitBody? = nil,
            rate: RateBody? = nil, tenorDays: UInt32? = nil, collateral: [CollateralBody],
            guarantee: GuaranteeBody? = nil, declines: [DeclineBody]
        ) {
            self.product = product
            self.outcome = outcome
            self.ledgerProduct = ledgerProduct
            self.limit = limit
            self.rate = rate
            self.tenorDays = tenorDays
            self.collateral = collateral
            self.guarantee = guarantee
            self.declines = declines
        }
    }

    public struct LimitChangeBody: Codable, Hashable, Sendable {
        public var product: String
        public var before: MoneyBody
        public var after: MoneyBody

        public init(product: String, before: MoneyBody, after: MoneyBody) {
            self.product = product
            self.before = before
            self.after = after
        }
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

        public init(
            code: String, text: String, records: [RecordLink], feature: String? = nil, currentValue: Double? = nil,
            targetValue: Double? = nil, grade: String? = nil, score: Double? = nil, limits: [LimitChangeBody]
        ) {
            self.code = code
            self.text = text
            self.records = records
            self.feature = feature
            self.currentValue = currentValue
            self.targetValue = targetValue
            self.grade = grade
            self.score = score
            self.limits = limits
        }
    }

    /// One lender's view: its policy's decisions and what would raise the firm's limits with it.
    public struct LenderCreditBody: Codable, Hashable, Sendable {
        public var lender: String
        public var name: String
        public var policy: String
        public var decisions: [DecisionBody]
        public var advice: [AdviceBody]

        public init(lender: String, name: String, policy: String, decisions: [DecisionBody], advice: [AdviceBody]) {
            self.lender = lender
            self.name = name
            self.policy = policy
            self.decisions = decisions
            self.advice = advice
        }
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

        public init(
            firm: String, name: String, height: UInt64, asOf: Int64, model: ModelBody, score: Double? = nil,
            pd: Double? = nil, grade: String, featuresHash: String, reasons: [ReasonBody], features: [FeatureBody],
            warnings: [WarningBody], revenue12m: MoneyBody, monthlyCashFlow: MoneyBody, lenders: [LenderCreditBody]
        ) {
            self.firm = firm
            self.name = name
            self.height = height
            self.asOf = asOf
            self.model = model
            self.score = score
            self.pd = pd
            self.grade = grade
            self.featuresHash = featuresHash
            self.reasons = reasons
            self.features = features
            self.warnings = warnings
            self.revenue12m = revenue12m
            self.monthlyCashFlow = monthlyCashFlow
            self.lenders = lenders
        }
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

        public init(
            firm: String, product: String, principal: MoneyBody, rateBasisPoints: UInt32, termDays: UInt32,
            modelHash: String, ledgerHeight: UInt64, featuresHash: String, expiresAt: Int64,
            collateral: [CollateralBody], guarantee: OfferGuaranteeBody? = nil
        ) {
            self.firm = firm
            self.product = product
            self.principal = principal
            self.rateBasisPoints = rateBasisPoints
            self.termDays = termDays
            self.modelHash = modelHash
            self.ledgerHeight = ledgerHeight
            self.featuresHash = featuresHash
            self.expiresAt = expiresAt
            self.collateral = collateral
            self.guarantee = guarantee
        }
    }

    public struct OfferGuaranteeBody: Codable, Hashable, Sendable {
        public var guarantor: String
        public var coverageBasisPoints: UInt32
        public var fee: MoneyBody

        public init(guarantor: String, coverageBasisPoints: UInt32, fee: MoneyBody) {
            self.guarantor = guarantor
            self.coverageBasisPoints = coverageBasisPoints
            self.fee = fee
        }
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

        public init(
            firm: String, lender: String, height: UInt64, score: Double? = nil, pd: Double? = nil, grade: String,
            offers: [OfferTermsBody], decisions: [DecisionBody]
        ) {
            self.firm = firm
            self.lender = lender
            self.height = height
            self.score = score
            self.pd = pd
            self.grade = grade
            self.offers = offers
            self.decisions = decisions
        }
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

        public init(
            firm: String, name: String, score: Double? = nil, pd: Double? = nil, grade: String, bestLimit: MoneyBody,
            bestProduct: String? = nil, revenue12m: MoneyBody, warnings: [String]
        ) {
            self.firm = firm
            self.name = name
            self.score = score
            self.pd = pd
            self.grade = grade
            self.bestLimit = bestLimit
            self.bestProduct = bestProduct
            self.revenue12m = revenue12m
            self.warnings = warnings
        }
    }

    public struct ApplicantsBody: Codable, Hashable, Sendable {
        public var lender: String
        public var height: UInt64
        public var model: String
        public var applicants: [ApplicantBody]

        public init(lender: String, height: UInt64, model: String, applicants: [ApplicantBody]) {
            self.lender = lender
            self.height = height
            self.model = model
            self.applicants = applicants
        }
    }
}
