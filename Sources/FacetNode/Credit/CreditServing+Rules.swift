import FacetCore
import FacetCredit
import FacetLedger
import FacetScorecard

/// The rules credit is served by, the same for the API's credit routes and the dashboard's pages: which model
/// decides, which lenders' decisions a viewer sees, and which firms apply to a lender. Each reads one `CreditView`,
/// so what it decides is of that view's height.
extension CreditServing {
    /// A lender's applicants at one height: the firms holding its active consent, each with its evidence (and,
    /// when asked, its features some days earlier and its stock), with the model that scores them.
    public struct Applicants: Sendable {
        public var height: UInt64
        public var model: ScorecardModel
        public var registration: RegisteredModel
        public var policy: LenderPolicy
        public var firms: [Applicant]
    }

    public struct Applicant: Sendable {
        public var firm: Member
        public var consent: Consent
        public var evidence: CreditEvidence
        /// The firm's features `trendDays` before the height's block; nil when not asked.
        public var earlier: FirmFeatures?
        /// The firm's stock at reference value; empty when the trend was not asked.
        public var stock: [StockValue]
    }

    /// The model decisions are made with: `asked` (a hash the library holds and the ledger registers at the view's
    /// height), or the library's model registered on the ledger most recently.
    public func model(asked: String?, in view: CreditView) throws(CreditRefusal) -> (ScorecardModel, RegisteredModel) {
        let registered = library.models.keys.sorted().compactMap { view.state.record(RegisteredModel.self, $0) }
        let chosen: RegisteredModel?
        if let asked {
            chosen = registered.first { $0.hash.hex == asked }
            guard chosen != nil else {
                throw CreditRefusal(
                    .unknownModel, "model \(asked) is not one this node holds and the ledger registers")
            }
        } else {
            chosen = registered.max { ($0.registeredAt, $0.hash.hex) < ($1.registeredAt, $1.hash.hex) }
        }
        guard let chosen, let model = library.models[chosen.hash] else {
            throw CreditRefusal(.noModel, "none of this node's scorecard models is registered on the ledger")
        }
        return (model, chosen)
    }

    /// The lenders whose decisions `viewer` sees about `firm`: a lender itself alone, or for the firm itself every
    /// lender among `members` holding its active consent at the view's height; either way only lenders whose policy
    /// the library holds.
    public func visibleLenders(
        viewer: Member, firm: MemberID, members: [Member], now: Timestamp, in view: CreditView
    ) -> [(Member, LenderPolicy)] {
        if viewer.id != firm { return library.policy(memberName: viewer.name).map { [(viewer, $0)] } ?? [] }
        var result = [(Member, LenderPolicy)]()
        for member in members where member.roles.contains(.lender) {
            guard let policy = library.policy(memberName: member.name) else { continue }
            let access = view.firmAccess(firm, for: Reader(member), now: now)
            if case .consent = access?.basis { result.append((member, policy)) }
        }
        return result
    }

    /// The firms holding `lender`'s active consent at `now`, all read at one height in one `read`: however many
    /// there are and whatever commits meanwhile, every applicant's figures are of `Applicants.height`. With
    /// `trendDays`, each also carries its features that many days earlier and its stock (the applicants page's trend
    /// and cluster). 404 `credit.no_policy` for a signer that is not a lender with a policy here.
    public func applicants(of lender: Member, now: Timestamp, model asked: String? = nil, trendDays: Int? = nil)
        throws(CreditRefusal) -> Applicants
    {
        try read { view throws(CreditRefusal) in
            let (model, registration) = try model(asked: asked, in: view)
            guard lender.roles.contains(.lender), let policy = library.policy(memberName: lender.name) else {
                throw CreditRefusal(.noPolicy, "applicants are listed for a lender whose policy this node holds")
            }
            var firms = [Applicant]()
            for id in view.consentingFirms(of: lender.id) {
                guard let firm = view.state.record(Member.self, id.hash),
                    let access = view.firmAccess(id, for: Reader(lender), now: now),
                    case .consent = access.basis, let consent = access.consent
                else { continue }
                firms.append(
                    Applicant(
                        firm: firm, consent: consent,
                        evidence: view.evidence(firm: id, receivableDays: library.receivableDays), earlier: nil,
                        stock: trendDays == nil ? [] : view.stockValues(firm: id)))
            }
            if let trendDays {
                // The earlier features of every applicant in one call: their month's circular-trading analysis runs
                // once.
                let earlier = view.features(firms: firms.map(\.firm.id), daysBefore: trendDays)
                let byFirm = Dictionary(earlier.map { ($0.firm, $0) }, uniquingKeysWith: { first, _ in first })
                for position in firms.indices { firms[position].earlier = byFirm[firms[position].firm.id] }
            }
            return Applicants(
                height: view.height, model: model, registration: registration, policy: policy, firms: firms)
        }
    }
}
