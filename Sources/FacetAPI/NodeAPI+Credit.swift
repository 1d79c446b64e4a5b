import FacetCore
import FacetCredit
import FacetLedger
import FacetNode
import FacetScorecard
import FacetStore
import FacetWire
import Hummingbird

/// Credit: a firm's report (score, reasons, features with their records, warnings, and every consented lender's
/// decisions and advice), a lender's offers ready to sign, and a lender's applicants. Every route is a signed read;
/// only the firm itself and lenders holding its active consent are answered (403 `credit.no_consent`). Answers are
/// computed by credit serving (`CreditServing`, which holds the rules: model choice, visible lenders, applicants)
/// from its index and state at one height, so every node at that height answers the same.
extension NodeAPI {
    /// How long an offer from `GET /v1/credit/{firm}/offers` stays open, from the height's block time.
    public static let offerValidityDays: UInt32 = 7

    func addCreditRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/credit/applicants") { request, _ in try await applicants(request) }
        router.get("/v1/credit/:id/report") { request, context in try await report(request, context) }
        router.get("/v1/credit/:id/offers") { request, context in try await offers(request, context) }
    }

    /// A parsed, authenticated credit read: who asks, about which firm, with what evidence and model, and the
    /// lenders whose decisions the asker sees, all of one height.
    struct CreditRead {
        let library: CreditLibrary
        let firm: Member
        let viewer: Member
        let evidence: CreditEvidence
        let model: ScorecardModel
        let registration: RegisteredModel
        let lenders: [(Member, LenderPolicy)]
        let members: [Member]
    }

    package static func creditError(_ code: APIError.Code, _ message: String, _ status: HTTPResponse.Status)
        -> APIError
    {
        APIError(code, message, status: status)
    }

    /// Credit serving, or 404 `credit.unavailable` on a node configured without credit.
    package func creditServing() throws(APIError) -> CreditServing {
        guard let credit else {
            throw Self.creditError(.creditUnavailable, "this node serves no credit reports", .notFound)
        }
        return credit
    }

    /// A lender's applicants, all of one height (`CreditServing.applicants`), with a receipt for each firm read.
    package func applicants(of lender: Member, model: String?, trendDays: Int? = nil) async throws(APIError)
        -> CreditServing.Applicants
    {
        let serving = try creditServing()
        let now = clock.now()
        let applicants: CreditServing.Applicants
        do throws(CreditRefusal) {
            applicants = try serving.applicants(of: lender, now: now, model: model, trendDays: trendDays)
        } catch {
            throw APIError(error)
        }
        try await record(
            applicants.firms.map {
                AccessReceipt(
                    firm: $0.firm.id, reader: lender.id, what: "credit.applicants",
                    basis: .consent(grantedAt: $0.consent.grantedAt), at: now, height: applicants.height)
            })
        return applicants
    }

    /// The firm a credit read or page is about, with the time its access was decided at, once the reader may read
    /// it (a receipt recorded for `what`): 404 on a node without credit, 503 while the index catches up (asked first,
    /// so a node catching up says so to every read), the model's refusals, 404 for an unknown firm, 403 unless the
    /// viewer is the firm or a lender holding its active consent.
    package func creditFirm(_ firmID: MemberID, viewer: Member, model asked: String?, what: String)
        async throws(APIError) -> (Member, Timestamp)
    {
        let serving = try creditServing()
        do throws(CreditRefusal) {
            _ = try serving.read { view throws(CreditRefusal) in try serving.model(asked: asked, in: view) }
        } catch {
            throw APIError(error)
        }
        guard let firm = await node.record(Member.self, firmID.hash), firm.roles.contains(.firm) else {
            throw APIError.notFound("no firm \(firmID.hex)")
        }
        let now = clock.now()
        guard let access = await node.firmAccess(firm.id, for: Reader(viewer), now: now) else {
            throw Self.creditError(
                .creditNoConsent,
                "only the firm and lenders holding its active consent may read its credit", .forbidden)
        }
        try await receipt(firm: firm.id, basis: access.basis, consent: access.consent, reader: viewer.id, what: what)
        return (firm, now)
    }

    /// 404 for an unknown firm, 403 unless the signer is the firm or a lender holding its active consent, 503 while
    /// the credit index catches up.
    private func creditRead(_ request: Request, _ context: BasicRequestContext, what: String) async throws
        -> CreditRead
    {
        let firmID = MemberID(try APIInput.id(context))
        let serving = try creditServing()
        let viewer = try await signedMember(request)
        let asked = request.uri.queryParameters.get("model")
        let (firm, now) = try await creditFirm(firmID, viewer: viewer, model: asked, what: what)
        let members = await node.members()
        do throws(CreditRefusal) {
            return try serving.read { view throws(CreditRefusal) in
                let (model, registration) = try serving.model(asked: asked, in: view)
                return CreditRead(
                    library: serving.library, firm: firm, viewer: viewer,
                    evidence: view.evidence(firm: firm.id, receivableDays: serving.library.receivableDays),
                    model: model, registration: registration,
                    lenders: serving.visibleLenders(viewer: viewer, firm: firm.id, members: members, now: now, in: view),
                    members: members)
            }
        } catch {
            throw APIError(error)
        }
    }

    private func assess(_ read: CreditRead, _ policy: LenderPolicy, _ request: Request) throws(APIError)
        -> CreditAssessment
    {
        var tenor: UInt32?
        if let text = request.uri.queryParameters.get("tenor") {
            guard let days = UInt32(text), (1...Limits.maxTermDays).contains(days) else {
                throw APIError.badRequest(.badQuery, "tenor is 1 to \(Limits.maxTermDays) days")
            }
            tenor = days
        }
        return CreditAssessment.assess(
            read.evidence, model: read.model, products: read.library.products(of: policy), policy: policy,
            requestedTenorDays: tenor)
    }

    private func report(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let read = try await creditRead(request, context, what: "credit.report")
        let score = read.model.score(read.evidence.features.values)
        var lenderBodies = [APIJSON.LenderCreditBody]()
        for (lender, policy) in read.lenders {
            let assessment = try assess(read, policy, request)
            lenderBodies.append(
                APIJSON.LenderCreditBody(
                    lender: lender.id.hex, name: lender.name, policy: policy.lender,
                    decisions: assessment.decisions.map { decisionBody($0, policy: policy, read: read) },
                    advice: assessment.advice.map { adviceBody($0, currency: read.evidence.currency) }))
        }
        let inputs = CreditAssessment.inputs(read.evidence, pd: score.pd, grade: score.grade)
        let features = read.evidence.features
        return APIJSON.response(
            APIJSON.CreditReportBody(
                firm: read.firm.id.hex, name: read.firm.name, height: features.height, asOf: features.asOf.millis,
                model: modelBody(read.registration), score: finite(score.score), pd: finite(score.pd),
                grade: score.grade, featuresHash: features.valuesHash.hex,
                reasons: score.reasons.map {
                    APIJSON.ReasonBody(feature: $0.feature, text: $0.text, pointsBelowBest: finite($0.pointsBelowBest))
                },
                features: features.values.keys.sorted().map { name in
                    let value = features.values[name] ?? .missing
                    var text: String?
                    if case .text(let category) = value { text = category }
                    return APIJSON.FeatureBody(
                        name: name, value: finite(value.number), text: text,
                        evidence: (features.evidence[name] ?? []).map(APIJSON.RecordLink.init))
                },
                warnings: features.warnings.map {
                    APIJSON.WarningBody(
                        code: $0.code, message: $0.message, members: $0.members.map(\.hex),
                        records: $0.records.map(APIJSON.RecordLink.init))
                },
                revenue12m: money(inputs.revenue12m, read.evidence.currency),
                monthlyCashFlow: money(inputs.monthlyCashFlow, read.evidence.currency), lenders: lenderBodies))
    }

    /// The asking lender's offers: for each product its policy offers the firm, the `make_offer` body to sign.
    private func offers(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let read = try await creditRead(request, context, what: "credit.offers")
        guard read.viewer.id != read.firm.id, read.viewer.roles.contains(.lender) else {
            throw APIError.forbidden("offers are asked for by a lender holding the firm's consent")
        }
        guard let policy = read.library.policy(memberName: read.viewer.name) else {
            throw Self.creditError(
                .creditNoPolicy, "this node holds no policy for lender \(read.viewer.name)", .notFound)
        }
        let assessment = try assess(read, policy, request)
        let features = read.evidence.features
        let expiry = features.asOf.adding(days: Self.offerValidityDays)
        var terms = [APIJSON.OfferTermsBody]()
        for decision in assessment.decisions {
            guard let offer = decision.offer else { continue }
            let currency = read.evidence.currency
            var guarantee: APIJSON.OfferGuaranteeBody?
            if let terms = offer.guarantee {
                guard let guarantor = guarantor(policy, read.members) else { continue }
                guarantee = APIJSON.OfferGuaranteeBody(
                    guarantor: guarantor.id.hex, coverageBasisPoints: UInt32(terms.coverageBps),
                    fee: money(terms.feeAmount, currency))
            }
            terms.append(
                APIJSON.OfferTermsBody(
                    firm: read.firm.id.hex, product: APIJSON.Names.product(offer.ledgerProduct),
                    principal: money(offer.limit.amount, currency), rateBasisPoints: offer.rate.basisPoints,
                    termDays: offer.tenorDays, modelHash: read.registration.hash.hex, ledgerHeight: features.height,
                    featuresHash: features.valuesHash.hex, expiresAt: expiry.millis,
                    collateral: offer.collateral.map(APIJSON.CollateralBody.init), guarantee: guarantee))
        }
        return APIJSON.response(
            APIJSON.CreditOffersBody(
                firm: read.firm.id.hex, lender: read.viewer.id.hex, height: features.height,
                score: finite(assessment.score), pd: finite(assessment.pd), grade: assessment.grade, offers: terms,
                decisions: assessment.decisions.map { decisionBody($0, policy: policy, read: read) }))
    }

    /// The firms that consented to the asking lender, each with its score and the best limit the lender offers.
    private func applicants(_ request: Request) async throws -> Response {
        let library = try creditServing().library
        let viewer = try await signedMember(request)
        let applicants = try await applicants(of: viewer, model: request.uri.queryParameters.get("model"))
        let (model, registration, policy) = (applicants.model, applicants.registration, applicants.policy)
        var bodies = [APIJSON.ApplicantBody]()
        var height: UInt64 = 0
        for (firm, evidence) in applicants.firms.map({ ($0.firm, $0.evidence) }) {
            height = evidence.features.height
            let assessment = CreditAssessment.assess(
                evidence, model: model, products: library.products(of: policy), policy: policy, advice: false)
            let best = assessment.decisions.compactMap(\.offer).max {
                ($0.limit.amount, $1.product) < ($1.limit.amount, $0.product)
            }
            bodies.append(
                APIJSON.ApplicantBody(
                    firm: firm.id.hex, name: firm.name, score: finite(assessment.score), pd: finite(assessment.pd),
                    grade: assessment.grade, bestLimit: money(best?.limit.amount ?? 0, evidence.currency),
                    bestProduct: best?.product, revenue12m: money(assessment.inputs.revenue12m, evidence.currency),
                    warnings: evidence.features.warnings.map(\.code)))
        }
        return APIJSON.response(
            APIJSON.ApplicantsBody(
                lender: viewer.id.hex, height: height, model: registration.hash.hex, applicants: bodies))
    }

    private func guarantor(_ policy: LenderPolicy, _ members: [Member]) -> Member? {
        guard let name = policy.guarantor else { return nil }
        return members.first { $0.name == name && $0.roles.contains(.guarantor) && $0.status == .active }
    }

    private func money(_ minorUnits: Int64, _ currency: Currency) -> APIJSON.MoneyBody {
        APIJSON.MoneyBody(minorUnits: minorUnits, currency: currency)
    }

    private func modelBody(_ registration: RegisteredModel) -> APIJSON.ModelBody {
        APIJSON.ModelBody(
            hash: registration.hash.hex, name: registration.name.description,
            registeredBy: registration.registeredBy.hex, registeredAt: registration.registeredAt.millis)
    }

    private func decisionBody(_ decision: CreditDecision, policy: LenderPolicy, read: CreditRead)
        -> APIJSON.DecisionBody
    {
        let currency = read.evidence.currency
        func limitBody(_ limit: CreditLimit) -> APIJSON.LimitBody {
            APIJSON.LimitBody(
                amount: money(limit.amount, currency), binding: limit.binding.rawValue,
                constraints: limit.constraints.map {
                    APIJSON.ConstraintBody(kind: $0.kind.rawValue, amount: money($0.amount, currency))
                })
        }
        switch decision {
        case .offer(let offer):
            let rate = offer.rate
            let guarantor = offer.guarantee == nil ? nil : guarantor(policy, read.members)
            // The firm reading its own report sees the lender's funding cost, operating cost and margin as one sum.
            let lenderView = read.viewer.id != read.firm.id
            return APIJSON.DecisionBody(
                product: offer.product, outcome: "offer", ledgerProduct: APIJSON.Names.product(offer.ledgerProduct),
                limit: limitBody(offer.limit),
                rate: APIJSON.RateBody(
                    basisPoints: rate.basisPoints, total: finite(rate.total),
                    fundingCost: lenderView ? finite(rate.fundingCost) : nil,
                    operatingCost: lenderView ? finite(rate.operatingCost) : nil,
                    expectedLoss: finite(rate.expectedLoss), capitalCharge: finite(rate.capitalCharge),
                    margin: lenderView ? finite(rate.margin) : nil,
                    lenderCostAndMargin: finite(rate.lenderCostAndMargin), pd: finite(rate.pd),
                    lgd: finite(rate.lgd), capitalK: finite(rate.capital.k), riskWeight: finite(rate.capital.riskWeight)
                ),
                tenorDays: offer.tenorDays, collateral: offer.collateral.map(APIJSON.CollateralBody.init),
                guarantee: offer.guarantee.map {
                    APIJSON.GuaranteeBody(
                        guarantor: guarantor?.id.hex, guarantorName: guarantor?.name,
                        coverageBasisPoints: $0.coverageBps,
                        feeBasisPoints: $0.feeBps, fee: money($0.feeAmount, currency))
                }, declines: [])
        case .decline(let decline):
            return APIJSON.DecisionBody(
                product: decline.product, outcome: "decline", ledgerProduct: nil, limit: decline.limit.map(limitBody),
                rate: nil, tenorDays: nil, collateral: [], guarantee: nil,
                declines: decline.reasons.map { APIJSON.DeclineBody(code: $0.code.rawValue, message: $0.message) })
        }
    }

    private func adviceBody(_ advice: LimitAdvice, currency: Currency) -> APIJSON.AdviceBody {
        APIJSON.AdviceBody(
            code: advice.code, text: advice.text, records: advice.records.map(APIJSON.RecordLink.init),
            feature: advice.feature, currentValue: finite(advice.currentValue), targetValue: finite(advice.targetValue),
            grade: advice.grade, score: finite(advice.score),
            limits: advice.limits.map {
                APIJSON.LimitChangeBody(
                    product: $0.product, before: money($0.before, currency), after: money($0.after, currency))
            })
    }
}

extension APIError {
    /// A refusal of credit serving in its HTTP class, with its message.
    public init(_ refusal: CreditRefusal) {
        let status: HTTPResponse.Status
        switch refusal.code.kind {
        case .forbidden: status = .forbidden
        case .notFound: status = .notFound
        case .unavailable: status = .serviceUnavailable
        }
        self.init(code: refusal.code.rawValue, refusal.message, status: status)
    }
}
