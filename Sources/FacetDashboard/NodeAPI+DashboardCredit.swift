import FacetAPI
import FacetCore
import FacetCredit
import FacetLedger
import FacetNode
import FacetScorecard
import Hummingbird

/// The credit pages' reads, under the same rules as the credit routes (`CreditServing+Rules.swift`): the model is the
/// library's most recently registered on the ledger, a firm is read by itself or by a lender holding its active
/// consent (otherwise `credit.no_consent`), and nothing is answered while the credit index catches up. Every figure
/// comes from `CreditAssessment.assess` over evidence of one height, read from credit serving in one `read`.
extension NodeAPI {
    func applicantsPage(_ viewer: Member) async -> Response {
        let layoutViewer = Self.layoutViewer(viewer)
        do {
            let page = try await applicantsData(viewer)
            return DashboardLayout.response(
                DashboardLayout.page(title: "Applicants", viewer: layoutViewer, body: ApplicantsPage.render(page)))
        } catch {
            return DashboardLayout.refusal(
                title: "Applicants", code: error.code, message: error.message, viewer: layoutViewer,
                status: error.status)
        }
    }

    func firmPage(_ viewer: Member, _ context: BasicRequestContext) async -> Response {
        let layoutViewer = Self.layoutViewer(viewer)
        do {
            let page = try await firmData(viewer, context)
            return DashboardLayout.response(
                DashboardLayout.page(title: page.firm.name, viewer: layoutViewer, body: FirmPage.render(page)))
        } catch {
            return DashboardLayout.refusal(
                title: "Firm", code: error.code, message: error.message, viewer: layoutViewer, status: error.status)
        }
    }

    /// Every row of one height: the applicants, their earlier features and stock come from one `CreditServing`
    /// read, whatever commits while the page is built.
    private func applicantsData(_ viewer: Member) async throws(APIError) -> ApplicantsPage.Data {
        let library = try creditServing().library
        let applicants = try await applicants(of: viewer, model: nil, trendDays: ApplicantsPage.trendDays)
        let (model, policy) = (applicants.model, applicants.policy)
        var rows = [ApplicantsPage.Row]()
        var height: UInt64 = 0
        for applicant in applicants.firms {
            guard let earlier = applicant.earlier else { continue }
            let (firm, evidence) = (applicant.firm, applicant.evidence)
            height = evidence.features.height
            let assessment = CreditAssessment.assess(
                evidence, model: model, products: library.products(of: policy), policy: policy, advice: false)
            rows.append(
                ApplicantsPage.Row(
                    firm: firm, assessment: assessment, evidence: evidence,
                    trend: assessment.score - model.score(earlier.values).score,
                    cluster: ApplicantsPage.cluster(of: applicant.stock)))
        }
        return ApplicantsPage.Data(lender: viewer, height: height, model: applicants.registration, rows: rows)
    }

    private func firmData(_ viewer: Member, _ context: BasicRequestContext) async throws(APIError) -> FirmPage.Data {
        let firmID = MemberID(try APIInput.id(context))
        let serving = try creditServing()
        let (firm, now) = try await creditFirm(firmID, viewer: viewer, model: nil, what: "dashboard.firm")
        let members = await node.members()
        // Every section of the page is of one height: one read of credit serving.
        let figures: FirmFigures
        do throws(CreditRefusal) {
            figures = try serving.read { view throws(CreditRefusal) in
                let (model, registration) = try serving.model(asked: nil, in: view)
                return FirmFigures(
                    model: model, registration: registration,
                    evidence: view.evidence(firm: firm.id, receivableDays: serving.library.receivableDays),
                    months: view.monthlyRevenue(firm: firm.id), holdings: view.holdings(firm: firm.id),
                    lenders: serving.visibleLenders(viewer: viewer, firm: firm.id, members: members, now: now, in: view))
            }
        } catch {
            throw APIError(error)
        }
        let (model, evidence) = (figures.model, figures.evidence)
        var lenders = [FirmPage.LenderView]()
        for (lender, policy) in figures.lenders {
            let assessment = CreditAssessment.assess(
                evidence, model: model, products: serving.library.products(of: policy), policy: policy)
            lenders.append(FirmPage.LenderView(lender: lender, assessment: assessment))
        }
        let accessLog = try await firmPageAccessLog(viewer: viewer, firm: firm.id)
        return FirmPage.Data(
            firm: firm, viewer: viewer, registration: figures.registration, score: model.score(evidence.features.values),
            evidence: evidence, months: figures.months, lenders: lenders, holdings: figures.holdings,
            accessLog: accessLog)
    }

    /// What a firm's page reads from credit serving, of one height.
    private struct FirmFigures: Sendable {
        var model: ScorecardModel
        var registration: RegisteredModel
        var evidence: CreditEvidence
        var months: [MonthlyRevenue]
        var holdings: FirmHoldings
        var lenders: [(Member, LenderPolicy)]
    }
}
