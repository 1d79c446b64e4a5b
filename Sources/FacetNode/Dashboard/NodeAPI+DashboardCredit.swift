import FacetCore
import FacetCredit
import FacetLedger
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
        if let progress = await node.creditProgress(), progress.height < progress.head {
            throw Self.creditError(
                .creditCatchingUp,
                "the credit index is at height \(progress.height) of \(progress.head); try again shortly",
                .serviceUnavailable)
        }
        let registered = await node.records(RegisteredModel.self, library.models.keys.sorted())
        let latest = registered.max { ($0.registeredAt, $0.hash.hex) < ($1.registeredAt, $1.hash.hex) }
        guard let latest, let model = library.models[latest.hash] else {
            throw Self.creditError(
                .creditNoModel, "none of this node's scorecard models is registered on the ledger",
                .serviceUnavailable)
        }
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
        guard viewer.roles.contains(.lender), let policy = library.policy(memberName: viewer.name) else {
            throw Self.creditError(
                .creditNoPolicy, "applicants are listed for a lender whose policy this node holds", .notFound)
        }
        guard let firms = await node.creditApplicants(of: viewer.id) else {
            throw Self.creditError(
                .creditCatchingUp, "the credit index is catching up; try again shortly", .serviceUnavailable)
        }
        var rows = [ApplicantsPage.Row]()
        var height: UInt64 = 0
        let now = clock.now()
        // The earlier features of every applicant in one call: their month's circular-trading analysis runs once.
        let earlierFeatures = await node.creditFeatures(firms: firms, daysBefore: ApplicantsPage.trendDays) ?? []
        let earlierByFirm = Dictionary(earlierFeatures.map { ($0.firm, $0) }, uniquingKeysWith: { first, _ in first })
        for firmID in firms {
            guard let firm = await node.record(Member.self, firmID.hash),
                await ReadAccess.decide(viewer: viewer.id, firm: firmID, node: node, now: now) == .consentedLender,
                let evidence = await node.creditEvidence(firm: firmID, receivableDays: library.receivableDays),
                let earlier = earlierByFirm[firmID],
                let stock = await node.creditStockValues(firm: firmID)
            else { continue }
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
        let now = clock.now()
        let access = await ReadAccess.decide(viewer: viewer.id, firm: firm.id, node: node, now: now)
        guard access.seesEverything else {
            throw Self.creditError(
                .creditNoConsent, "only the firm and lenders holding its active consent may read its credit",
                .forbidden)
        }
        let (evidence, months, holdings) = try await firmFigures(firm.id, receivableDays: library.receivableDays)
        var lenders = [FirmPage.LenderView]()
        let candidates = viewer.id == firm.id ? await node.members().filter { $0.roles.contains(.lender) } : [viewer]
        for lender in candidates {
            guard let policy = library.policy(memberName: lender.name) else { continue }
            if lender.id != viewer.id {
                let consent = await ReadAccess.decide(viewer: lender.id, firm: firm.id, node: node, now: now)
                guard consent == .consentedLender else { continue }
            }
            let assessment = CreditAssessment.assess(
                evidence, model: model, products: library.products(of: policy), policy: policy)
            lenders.append(FirmPage.LenderView(lender: lender, assessment: assessment))
        }
        return FirmPage.Data(
            firm: firm, viewer: viewer, registration: registration, score: model.score(evidence.features.values),
            evidence: evidence, months: months, lenders: lenders, holdings: holdings)
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
