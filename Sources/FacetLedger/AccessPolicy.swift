import FacetCore

/// Who may see a record, and how much of it (`contracts/privacy.md`). One pure function of the reader, its roles,
/// the consents it holds at the height, and the record's scope: every route and dashboard page of a node asks it,
/// and nothing else decides access.
///
/// - A party to a record (its signer and every member it names) sees it in full.
/// - An active lender holding a party's active consent sees it in full: it is that firm's record.
/// - An active auditor sees every record in full (and every such read is receipted by the node).
/// - Consortium records (membership, validator changes, evidence, models, reference prices) are seen in full by
///   every active member: they are the rules every member trades under.
/// - Provenance records of a piece (its registration, certification, inspection, custody) show their provenance
///   view to anyone, signed or not: the identity card and who attested each step, never the owner or a price.
/// - Everything else shows nothing: the route answers as if the record did not exist.
///
/// A suspended member, a revoked or expired consent and a rotated-out key (which no longer authenticates) see
/// nothing beyond the records they are a party to.
///
/// The operator of the node answering (its own validator key, `Reader.isOperator`) sees every record on that node,
/// unreceipted: it holds them all in its store already, where no read can be receipted (`contracts/privacy.md`).
public enum AccessPolicy {
    /// How much of a record a reader sees.
    public enum View: Int, Comparable, Sendable {
        case none = 0
        case provenance = 1
        case full = 2

        public static func < (lhs: View, rhs: View) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Why a reader sees a record in full: what a read receipt records, and whether one is owed.
    public enum Basis: Hashable, Sendable {
        /// The reader is a party to the record (or the record is consortium-wide): no receipt.
        case party
        /// The reader holds `firm`'s consent: a receipt to `firm`.
        case consent(firm: MemberID)
        /// The reader is an auditor: a receipt to every firm the record names.
        case auditor
    }

    /// The view and, for a full view, the basis it was granted on.
    public struct Decision: Hashable, Sendable {
        public let view: View
        public let basis: Basis?

        public init(view: View, basis: Basis?) {
            self.view = view
            self.basis = basis
        }

        public static let none = Decision(view: .none, basis: nil)
        public static let provenance = Decision(view: .provenance, basis: nil)
    }

    /// Decides what `reader` sees of a record with `scope`. `consentFrom(firm)` answers whether `firm` holds an
    /// active consent to the reader at the height read (it is asked only for the record's parties).
    public static func decide(
        _ scope: RecordScope, for reader: Reader, consentFrom: (MemberID) -> Bool
    ) -> Decision {
        let fallback: Decision = scope.kind == .provenance ? .provenance : .none
        guard let member = reader.member else { return fallback }
        if scope.parties.contains(member) || reader.isOperator { return Decision(view: .full, basis: .party) }
        guard reader.isActive else { return fallback }
        if scope.kind == .consortium { return Decision(view: .full, basis: .party) }
        if reader.roles.contains(.auditor) { return Decision(view: .full, basis: .auditor) }
        if reader.roles.contains(.lender) {
            for party in scope.parties where party != member && consentFrom(party) {
                return Decision(view: .full, basis: .consent(firm: party))
            }
        }
        return fallback
    }

    /// Whether `reader` may read `firm`'s private records as a whole (a credit report, its lists of records):
    /// the firm itself, an active auditor, or an active lender holding the firm's active consent.
    public static func readsFirm(_ firm: MemberID, reader: Reader, consentActive: Bool) -> Basis? {
        guard let member = reader.member else { return nil }
        if member == firm || reader.isOperator { return .party }
        guard reader.isActive else { return nil }
        if reader.roles.contains(.auditor) { return .auditor }
        if reader.roles.contains(.lender), consentActive { return .consent(firm: firm) }
        return nil
    }
}

/// Who reads: an anonymous client, or a member proven by its signature under its current key.
public struct Reader: Hashable, Sendable {
    /// Nil for a read without a signature.
    public let member: MemberID?
    public let roles: Roles
    /// Whether the member is active: a suspended member sees only the records it is a party to.
    public let isActive: Bool
    /// Whether the reader is the operator of the node answering: its validator key, on its own node only.
    public let isOperator: Bool

    public init(member: MemberID?, roles: Roles, isActive: Bool, isOperator: Bool = false) {
        self.member = member
        self.roles = roles
        self.isActive = isActive
        self.isOperator = isOperator
    }

    /// The same reader, as the operator of the node answering.
    public var asOperator: Reader { Reader(member: member, roles: roles, isActive: isActive, isOperator: true) }

    public static let anonymous = Reader(member: nil, roles: [], isActive: false)

    public init(_ member: Member) {
        self.init(member: member.id, roles: member.roles, isActive: member.status == .active)
    }
}

/// What the access policy needs of a record: who it names and what sort of record it is.
public struct RecordScope: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A firm's business: trade, finance, stock audits. Seen by its parties, their consented lenders, auditors.
        case business
        /// A step of a piece's provenance: registration, certification, inspection, custody.
        case provenance
        /// The consortium's rules: membership, validators, evidence, models, reference prices.
        case consortium
    }

    public let kind: Kind

    /// The tags of the kinds whose records are a piece's provenance (`TransactionBody.tag`): the steps a
    /// provenance card shows, in the API and on the dashboard alike.
    public static let provenanceTags = Set(
        TransactionBody.Kind.allCases.filter { $0.descriptor.scope == .provenance }.map(\.tag))
    /// The piece's registration: signed by its owner, so a provenance card names no one for it.
    public static let registrationTag = TransactionBody.Kind.registerPiece.tag

    /// The signer and every member the record names, directly or through the records it refers to; ascending, once.
    public let parties: [MemberID]

    public init(kind: Kind, parties: [MemberID]) {
        self.kind = kind
        self.parties = Array(Set(parties)).sorted { $0.hash < $1.hash }
    }

    /// The scope of a transaction. `record` answers a state entry at the height read: the parties of an invoice,
    /// a loan, an offer, a dispute or a piece the transaction refers to come from there (none of them change once
    /// written, but a piece's owner and custodian, which are its current ones).
    public static func of(_ transaction: Transaction, record: @escaping (StateKey) -> StateValue?) -> RecordScope {
        let lookup = PartyLookup(record: record)
        var parties = [transaction.signer]
        switch transaction.body {
        case .registerMember, .rotateKey, .changeValidators, .rotateValidatorKey, .reportEvidence, .registerModel,
            .publishPrice:
            break
        case .approveMember(let body): parties.append(body.member)
        case .suspendMember(let body): parties.append(body.member)
        case .reinstateMember(let body): parties.append(body.member)
        case .registerPiece(let body):
            if let certificate = body.certificate { parties.append(certificate.lab) }
        case .certifyPiece(let body): parties += lookup.piece(body.piece)
        case .inspectPiece(let body): parties += lookup.piece(body.piece)
        case .custodyIn(let body): parties += lookup.piece(body.piece)
        case .custodyOut(let body): parties += lookup.piece(body.piece)
        case .stockAudit(let body): parties.append(body.firm)
        case .issueInvoice(let body):
            if let buyer = body.buyer { parties.append(buyer) }
        case .confirmInvoice(let body): parties += lookup.invoice(body.invoice)
        case .payInvoice(let body): parties += lookup.invoice(body.invoice)
        case .raiseDispute(let body): parties += lookup.invoice(body.invoice)
        case .resolveDispute(let body): parties += lookup.dispute(body.dispute)
        case .settlePlatformSales(let body): parties.append(body.seller)
        case .grantConsent(let body): parties.append(body.lender)
        case .revokeConsent(let body): parties.append(body.lender)
        case .makeOffer(let body):
            parties.append(body.firm)
            if let guarantee = body.guarantee { parties.append(guarantee.guarantor) }
        case .acceptOffer(let body): parties += lookup.offer(body.offer)
        case .pledge(let body): parties += lookup.loan(body.loan)
        case .release(let body): parties += lookup.loan(body.loan)
        case .repay(let body): parties += lookup.loan(body.loan)
        case .declareDefault(let body): parties += lookup.loan(body.loan)
        case .guarantee(let body): parties += lookup.loan(body.loan)
        case .confirmRepayment(let body): parties += lookup.claim(body.claim)
        }
        return RecordScope(kind: transaction.body.transactionKind.descriptor.scope, parties: parties)
    }

    /// The scope of a piece's full card (owner, invoice, pledge): its owner and custodian are its parties.
    public static func of(_ piece: Piece) -> RecordScope {
        RecordScope(kind: .business, parties: [piece.owner] + (piece.custody.map { [$0.warehouse] } ?? []))
    }
}

/// The members named by the records a transaction refers to.
private struct PartyLookup {
    let record: (StateKey) -> StateValue?

    func piece(_ id: PieceID) -> [MemberID] {
        guard case .piece(let piece) = record(StateKey(.piece, id.hash)) else { return [] }
        var parties = [piece.owner]
        if let custody = piece.custody { parties.append(custody.warehouse) }
        if let certificate = piece.certificate { parties.append(certificate.lab) }
        if let inspection = piece.inspection { parties.append(inspection.inspector) }
        return parties
    }

    func invoice(_ id: InvoiceID) -> [MemberID] {
        guard case .invoice(let invoice) = record(StateKey(.invoice, id.hash)) else { return [] }
        return [invoice.seller] + (invoice.buyer.map { [$0] } ?? [])
    }

    func dispute(_ id: DisputeID) -> [MemberID] {
        guard case .dispute(let dispute) = record(StateKey(.dispute, id.hash)) else { return [] }
        return [dispute.raisedBy] + invoice(dispute.invoice) + (dispute.resolvedBy.map { [$0] } ?? [])
    }

    func offer(_ id: OfferID) -> [MemberID] {
        guard case .offer(let offer) = record(StateKey(.offer, id.hash)) else { return [] }
        return [offer.firm, offer.lender] + (offer.guarantee.map { [$0.guarantor] } ?? [])
    }

    func claim(_ id: TransactionID) -> [MemberID] {
        guard case .repaymentClaim(let claim) = record(StateKey(.repaymentClaim, id.hash)) else { return [] }
        return [claim.claimant] + loan(claim.loan)
    }

    func loan(_ id: LoanID) -> [MemberID] {
        guard case .loan(let loan) = record(StateKey(.loan, id.hash)) else { return [] }
        return [loan.borrower, loan.lender]
    }
}
