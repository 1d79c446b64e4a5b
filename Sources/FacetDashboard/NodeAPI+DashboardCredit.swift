import FacetAPI
import FacetCore
import FacetCredit
import FacetLedger
import FacetNode
import FacetScorecard
import Hummingbird

/// The credit pages' reads, under the same rules as the credit routes (`NodeAPI+Credit.swift`): the model is the
/// library's most recently registered on the ledger, a firm is read by itself or by a lender holding its active
/// consent (otherwise `credit.no_consent`), and nothing is answered while the credit index catches up. Every figure
/// comes from `CreditAssessment.assess` over the node's evidence at one height.
extension NodeAPI {
    /// The credit library and the model decisions are made with, or the refusal a page shows.
    func dashboardModel() async throws(APIError) -> (CreditLibrary, ScorecardModel, RegisteredModel) {
        guard let library = credit else {
            throw Self.creditError(.creditUnavailable, "this node serves no credit reports", .notFound)
        }
        let (model, latest) = try await creditModel(library, asked: nil)
        return (library, model, latest)
    }

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

    private func applicantsData(_ viewer: Member) async throws(APIError) -> ApplicantsPage.Data {
        let (library, model, registration) = try await dashboardModel()
        let (policy, firms) = try await consentingFirms(of: viewer, library)
        var rows = [ApplicantsPage.Row]()
        var height: UInt64 = 0
        // The earlier features of every applicant in one call: their month's circular-trading analysis runs once.
        let earlierFeatures =
            await node.creditFeatures(firms: firms.map(\.0.id), daysBefore: ApplicantsPage.trendDays) ?? []
        let earlierByFirm = Dictionary(earlierFeatures.map { ($0.firm, $0) }, uniquingKeysWith: { first, _ in first })
        for (firm, evidence) in firms {
            guard let earlier = earlierByFirm[firm.id], let stock = await node.creditStockValues(firm: firm.id) else {
                continue
            }
            height = evidence.features.height
            let assessment = CreditAssessment.assess(
                evidence, model: model, products: library.products(of: policy), policy: policy, advice: false)
            rows.append(
                ApplicantsPage.Row(
                    firm: firm, assessment: assessment, evidence: evidence,
                    trend: assessment.score - model.score(earlier.values).score,
                    cluster: ApplicantsPage.cluster(of: stock)))
        }
        return ApplicantsPage.Data(lender: viewer, height: height, model: registration, rows: rows)
    }

    private func firmData(_ viewer: Member, _ context: BasicRequestContext) async throws(APIError) -> FirmPage.Data {
        let firmID = MemberID(try APIInput.id(context))
        let (library, model, registration) = try await dashboardModel()
        guard let firm = await node.record(Member.self, firmID.hash), firm.roles.contains(.firm) else {
            throw APIError.notFound("no firm \(firmID.hex)")
        }
        guard let access = await node.firmAccess(firm.id, for: Reader(viewer), now: clock.now()) else {
            throw Self.creditError(
                .creditNoConsent, "only the firm and lenders holding its active consent may read its credit",
                .forbidden)
        }
        try await receipt(
            firm: firm.id, basis: access.basis, consent: access.consent, reader: viewer.id, what: "dashboard.firm")
        let (evidence, months, holdings) = try await firmFigures(firm.id, receivableDays: library.receivableDays)
        var lenders = [FirmPage.LenderView]()
        for (lender, policy) in await visibleLenders(
            viewer: viewer, firm: firm.id, library: library, members: await node.members())
        {
            let assessment = CreditAssessment.assess(
                evidence, model: model, products: library.products(of: policy), policy: policy)
            lenders.append(FirmPage.LenderView(lender: lender, assessment: assessment))
        }
        let accessLog = try await firmPageAccessLog(viewer: viewer, firm: firm.id)
        return FirmPage.Data(
            firm: firm, viewer: viewer, registration: registration, score: model.score(evidence.features.values),
            evidence: evidence, months: months, lenders: lenders, holdings: holdings, accessLog: accessLog)
    }

    /// The firm's evidence, monthly revenue and holdings, read again (a few times at most) when a block commits
    /// between the reads, so every section of the page is of one height.
    private func firmFigures(_ firm: MemberID, receivableDays: Int?) async throws(APIError)
        -> (CreditEvidence, [MonthlyRevenue], FirmPage.Holdings)
    {
        for _ in 0..<3 {
            guard let evidence = await node.creditEvidence(firm: firm, receivableDays: receivableDays),
                let months = await node.creditMonthlyRevenue(firm: firm),
                let holdings = await node.creditFirmHoldings(firm: firm)
            else { break }
            if holdings.height == evidence.features.height { return (evidence, months, holdings) }
        }
        throw Self.creditError(
            .creditCatchingUp, "the credit index is catching up; try again shortly", .serviceUnavailable)
    }
}
