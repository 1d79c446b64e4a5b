import FacetCore
import FacetLedger

/// Record bodies: members, pieces, invoices, loans and pledges. Enum values are snake_case names, like
/// transaction kinds; absent optional fields are `null`.
extension APIJSON {
    /// A member's public record (`GET /v1/members`, `/v1/members/{id}`).
    public struct MemberBody: Codable, Hashable, Sendable {
        public enum State: String, Codable, Hashable, Sendable {
            case pending, active, suspended
        }

        public var id: String
        public var name: String
        public var roles: [String]
        public var publicKey: String
        public var status: State
        public var since: Int64?

        public init(id: String, name: String, roles: [String], publicKey: String, status: State, since: Int64? = nil) {
            self.id = id
            self.name = name
            self.roles = roles
            self.publicKey = publicKey
            self.status = status
            self.since = since
        }

        public init(_ member: Member) {
            id = member.id.hex
            name = member.name
            roles = member.roles.names
            publicKey = member.publicKey.hex
            status = Names.memberStatus(member.status)
            since = member.since.millis
        }
    }

    /// A validator's recorded misbehavior (`GET /v1/evidence`, `/v1/evidence/{id}`).
    public struct EvidenceBody: Codable, Hashable, Sendable {
        public enum Kind: String, Codable, Hashable, Sendable {
            case conflictingVotes = "conflicting_votes"
            case conflictingProposals = "conflicting_proposals"
        }

        public var id: String
        public var offender: String
        public var height: UInt64
        public var round: UInt32
        public var step: String
        public var kind: Kind
        public var reporter: String
        public var recordedHeight: UInt64
        public var recordedAt: Int64

        public init(
            id: String, offender: String, height: UInt64, round: UInt32, step: String, kind: Kind, reporter: String,
            recordedHeight: UInt64, recordedAt: Int64
        ) {
            self.id = id
            self.offender = offender
            self.height = height
            self.round = round
            self.step = step
            self.kind = kind
            self.reporter = reporter
            self.recordedHeight = recordedHeight
            self.recordedAt = recordedAt
        }

        public init(_ record: EvidenceRecord) {
            id = record.id.hex
            offender = record.offender.hex
            height = record.slot.height
            round = record.slot.round
            step = Names.step(record.slot.step)
            kind = Names.misbehavior(record.kind)
            reporter = record.reporter.hex
            recordedHeight = record.height
            recordedAt = record.time.millis
        }
    }

    /// What a piece is: the identity card. `weight` is in `weightUnit` (millicarats for stones, milligrams
    /// otherwise).
    public struct CardBody: Codable, Hashable, Sendable {
        public var category: String
        public var weight: UInt64
        public var weightUnit: String
        public var color: String?
        public var clarity: String?
        public var cut: String?
        public var fineness: UInt16?
        public var description: String

        public init(
            category: String, weight: UInt64, weightUnit: String, color: String? = nil, clarity: String? = nil,
            cut: String? = nil, fineness: UInt16? = nil, description: String
        ) {
            self.category = category
            self.weight = weight
            self.weightUnit = weightUnit
            self.color = color
            self.clarity = clarity
            self.cut = cut
            self.fineness = fineness
            self.description = description
        }

        public init(_ card: IdentityCard) {
            category = Names.category(card.category)
            weight = card.weight
            weightUnit = card.category.weighedInCarats ? "millicarat" : "milligram"
            color = card.color?.value
            clarity = card.clarity?.value
            cut = card.cut?.value
            fineness = card.fineness
            description = card.description
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(category, forKey: .category)
            try container.encode(weight, forKey: .weight)
            try container.encode(weightUnit, forKey: .weightUnit)
            try container.encode(color, forKey: .color)
            try container.encode(clarity, forKey: .clarity)
            try container.encode(cut, forKey: .cut)
            try container.encode(fineness, forKey: .fineness)
            try container.encode(description, forKey: .description)
        }
    }

    public struct CertificateRefBody: Codable, Hashable, Sendable {
        public var lab: String
        public var number: String

        public init(lab: String, number: String) {
            self.lab = lab
            self.number = number
        }
    }

    public struct CustodyBody: Codable, Hashable, Sendable {
        public var warehouse: String
        public var bonded: Bool
        public var since: Int64

        public init(warehouse: String, bonded: Bool, since: Int64) {
            self.warehouse = warehouse
            self.bonded = bonded
            self.since = since
        }
    }

    public struct InspectionBody: Codable, Hashable, Sendable {
        public var inspector: String
        public var cardNumber: String
        public var passed: Bool
        public var at: Int64

        public init(inspector: String, cardNumber: String, passed: Bool, at: Int64) {
            self.inspector = inspector
            self.cardNumber = cardNumber
            self.passed = passed
            self.at = at
        }
    }

    /// `GET /v1/pieces/{id}`: the identity card, the piece's state now, and every transaction that named it.
    /// `GET /v1/pieces/{id}` for a reader who is not shown the full card: the piece's identity card, certificate,
    /// inspection and custody, and its provenance steps with who attested each. No owner, invoice, pledge or loan,
    /// and the registration (signed by the owner) names no one.
    public struct ProvenanceCardBody: Codable, Hashable, Sendable {
        public var id: String
        public var view: String
        public var card: CardBody
        public var certificate: CertificateRefBody?
        public var certified: Bool
        public var inspection: InspectionBody?
        public var custody: CustodyBody?
        public var registeredAt: Int64
        public var steps: [ProvenanceStepBody]
        /// The names of the attestors the card names (lab, inspector, warehouse), by member id.
        public var names: [String: String]
        /// The attestors the card names (lab, inspector, warehouse, the steps' attestors) suspended now, ascending.
        public var suspendedAttestors: [String]?

        public init(
            id: String, view: String, card: CardBody, certificate: CertificateRefBody? = nil, certified: Bool,
            inspection: InspectionBody? = nil, custody: CustodyBody? = nil, registeredAt: Int64,
            steps: [ProvenanceStepBody], names: [String: String], suspendedAttestors: [String]? = nil
        ) {
            self.id = id
            self.view = view
            self.card = card
            self.certificate = certificate
            self.certified = certified
            self.inspection = inspection
            self.custody = custody
            self.registeredAt = registeredAt
            self.steps = steps
            self.names = names
            self.suspendedAttestors = suspendedAttestors
        }

        public init(_ piece: Piece, steps: [ProvenanceStepBody], names: [String: String], suspended: Set<MemberID>) {
            let stepAttestors = steps.compactMap(\.attestor)
            suspendedAttestors = Set(
                PieceCardBody.attestors(piece).filter(suspended.contains).map(\.hex)
                    + stepAttestors.filter { hex in suspended.contains { $0.hex == hex } }
            ).sorted()
            id = piece.id.hex
            view = "provenance"
            card = CardBody(piece.card)
            (certificate, certified, inspection, custody) = PieceCardBody.attestations(piece)
            registeredAt = piece.registeredAt.millis
            self.steps = steps
            self.names = names
        }
    }

    /// One step of a piece's provenance: its kind, when, and who attested it (nil for the owner's registration).
    public struct ProvenanceStepBody: Codable, Hashable, Sendable {
        public var kind: String
        public var time: Int64
        public var height: UInt64
        public var attestor: String?
        public var attestorName: String?

        public init(kind: String, time: Int64, height: UInt64, attestor: String? = nil, attestorName: String? = nil) {
            self.kind = kind
            self.time = time
            self.height = height
            self.attestor = attestor
            self.attestorName = attestorName
        }

        /// The kinds a provenance card shows, by tag (`RecordScope.provenanceTags`), with their names.
        public static let kinds: [UInt8: String] = Dictionary(
            uniqueKeysWithValues: RecordScope.provenanceTags.map { ($0, TransactionKindName(tag: $0).description) })
    }

    public struct PieceCardBody: Codable, Hashable, Sendable {
        /// The attestors of `piece` and the signers of `history` that are in `suspended`, as ascending hex ids.
        public static func suspendedAttestors(_ piece: Piece, history: [HistoryEntryBody], suspended: Set<MemberID>)
            -> [String]
        {
            let attestors = attestors(piece).filter(suspended.contains).map(\.hex)
            let signers = history.filter { $0.signerSuspended == true }.map(\.signer)
            return Set(attestors + signers).sorted()
        }

        /// The members a piece names as its attestors: what a view asks the standing of.
        public static func attestors(_ piece: Piece) -> [MemberID] {
            [piece.certificate?.lab, piece.inspection?.inspector, piece.custody?.warehouse].compactMap { $0 }
        }

        /// What attestors vouched for on a piece, as both the full card and the provenance card show it.
        public static func attestations(_ piece: Piece) -> (CertificateRefBody?, Bool, InspectionBody?, CustodyBody?) {
            (
                piece.certificate.map { CertificateRefBody(lab: $0.lab.hex, number: $0.number.value) },
                piece.certified,
                piece.inspection.map {
                    InspectionBody(
                        inspector: $0.inspector.hex, cardNumber: $0.cardNumber.value, passed: $0.passed,
                        at: $0.at.millis)
                },
                piece.custody.map { CustodyBody(warehouse: $0.warehouse.hex, bonded: $0.bonded, since: $0.since.millis) }
            )
        }

        public var id: String
        public var owner: String
        public var card: CardBody
        public var certificate: CertificateRefBody?
        public var certified: Bool?
        public var inspection: InspectionBody?
        public var custody: CustodyBody?
        public var lastAudit: Int64?
        public var onInvoice: String?
        public var pledgedTo: String?
        public var status: String?
        public var registeredAt: Int64?
        public var history: [HistoryEntryBody]
        /// Members suspended now among those who attested the piece (its lab, inspector and custodian, and the
        /// signers of its history), ascending.
        public var suspendedAttestors: [String]?

        public init(
            id: String, owner: String, card: CardBody, certificate: CertificateRefBody? = nil, certified: Bool? = nil,
            inspection: InspectionBody? = nil, custody: CustodyBody? = nil, lastAudit: Int64? = nil,
            onInvoice: String? = nil, pledgedTo: String? = nil, status: String? = nil, registeredAt: Int64? = nil,
            history: [HistoryEntryBody], suspendedAttestors: [String]? = nil
        ) {
            self.id = id
            self.owner = owner
            self.card = card
            self.certificate = certificate
            self.certified = certified
            self.inspection = inspection
            self.custody = custody
            self.lastAudit = lastAudit
            self.onInvoice = onInvoice
            self.pledgedTo = pledgedTo
            self.status = status
            self.registeredAt = registeredAt
            self.history = history
            self.suspendedAttestors = suspendedAttestors
        }

        public init(_ piece: Piece, history: [HistoryEntryBody], suspended: Set<MemberID>) {
            suspendedAttestors = PieceCardBody.suspendedAttestors(piece, history: history, suspended: suspended)
            id = piece.id.hex
            owner = piece.owner.hex
            card = CardBody(piece.card)
            (certificate, certified, inspection, custody) = PieceCardBody.attestations(piece)
            lastAudit = piece.lastAudit?.millis
            onInvoice = piece.onInvoice?.hex
            pledgedTo = piece.pledgedTo?.hex
            status = piece.status == .active ? "active" : "sold"
            registeredAt = piece.registeredAt.millis
            self.history = history
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(owner, forKey: .owner)
            try container.encode(card, forKey: .card)
            try container.encode(certificate, forKey: .certificate)
            try container.encode(certified, forKey: .certified)
            try container.encode(inspection, forKey: .inspection)
            try container.encode(custody, forKey: .custody)
            try container.encode(lastAudit, forKey: .lastAudit)
            try container.encode(onInvoice, forKey: .onInvoice)
            try container.encode(pledgedTo, forKey: .pledgedTo)
            try container.encode(status, forKey: .status)
            try container.encode(registeredAt, forKey: .registeredAt)
            try container.encode(history, forKey: .history)
            try container.encode(suspendedAttestors, forKey: .suspendedAttestors)
        }
    }

    /// An invoice as its parties (and consented lenders) see it.
    public struct InvoiceBody: Codable, Hashable, Sendable {
        public var id: String
        public var seller: String
        public var buyer: String?
        public var amount: MoneyBody
        public var paid: MoneyBody
        public var issuedAt: Int64?
        public var dueAt: Int64?
        public var confirmedAt: Int64?
        public var lastPaymentAt: Int64?
        public var channel: String
        public var pieces: [String]?
        public var openDispute: String?
        public var pledgedTo: String?
        public var financed: Bool?
        public var cancelled: Bool?
        /// The invoice's seller and buyer, those suspended now, ascending: what they signed of it (the issue, the
        /// confirmation, the buyer's payments) weighs as self-issued. A bank's payments are flagged on the
        /// payments themselves (`HistoryEntryBody.signerSuspended`).
        public var suspendedAttestors: [String]?

        public init(
            id: String, seller: String, buyer: String? = nil, amount: MoneyBody, paid: MoneyBody,
            issuedAt: Int64? = nil, dueAt: Int64? = nil, confirmedAt: Int64? = nil, lastPaymentAt: Int64? = nil,
            channel: String, pieces: [String]? = nil, openDispute: String? = nil, pledgedTo: String? = nil,
            financed: Bool? = nil, cancelled: Bool? = nil, suspendedAttestors: [String]? = nil
        ) {
            self.id = id
            self.seller = seller
            self.buyer = buyer
            self.amount = amount
            self.paid = paid
            self.issuedAt = issuedAt
            self.dueAt = dueAt
            self.confirmedAt = confirmedAt
            self.lastPaymentAt = lastPaymentAt
            self.channel = channel
            self.pieces = pieces
            self.openDispute = openDispute
            self.pledgedTo = pledgedTo
            self.financed = financed
            self.cancelled = cancelled
            self.suspendedAttestors = suspendedAttestors
        }

        public init(_ invoice: Invoice, suspended: Set<MemberID>) {
            suspendedAttestors = [invoice.seller, invoice.buyer].compactMap { $0 }.filter(suspended.contains)
                .map(\.hex).sorted()
            id = invoice.id.hex
            seller = invoice.seller.hex
            buyer = invoice.buyer?.hex
            amount = MoneyBody(invoice.amount)
            paid = MoneyBody(invoice.paid)
            issuedAt = invoice.issuedAt.millis
            dueAt = invoice.dueAt.millis
            confirmedAt = invoice.confirmedAt?.millis
            lastPaymentAt = invoice.lastPaymentAt?.millis
            channel = Names.channel(invoice.channel)
            pieces = invoice.pieces.map(\.hex)
            openDispute = invoice.openDispute?.hex
            pledgedTo = invoice.pledgedTo?.hex
            financed = invoice.financed
            cancelled = invoice.cancelled
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(seller, forKey: .seller)
            try container.encode(buyer, forKey: .buyer)
            try container.encode(amount, forKey: .amount)
            try container.encode(paid, forKey: .paid)
            try container.encode(issuedAt, forKey: .issuedAt)
            try container.encode(dueAt, forKey: .dueAt)
            try container.encode(confirmedAt, forKey: .confirmedAt)
            try container.encode(lastPaymentAt, forKey: .lastPaymentAt)
            try container.encode(channel, forKey: .channel)
            try container.encode(pieces, forKey: .pieces)
            try container.encode(openDispute, forKey: .openDispute)
            try container.encode(pledgedTo, forKey: .pledgedTo)
            try container.encode(financed, forKey: .financed)
            try container.encode(cancelled, forKey: .cancelled)
            try container.encode(suspendedAttestors, forKey: .suspendedAttestors)
        }
    }

    /// A pledged item: `{ "kind": "piece" | "invoice", "id" }`.
    public struct CollateralBody: Codable, Hashable, Sendable {
        public var kind: String
        public var id: String

        public init(kind: String, id: String) {
            self.kind = kind
            self.id = id
        }

        public init(_ collateral: Collateral) {
            switch collateral {
            case .piece(let piece):
                kind = "piece"
                id = piece.hex
            case .invoice(let invoice):
                kind = "invoice"
                id = invoice.hex
            }
        }
    }

    /// `GET /v1/members/{id}/pledges`: one item pledged now, with the loan it secures.
    public struct PledgeBody: Codable, Hashable, Sendable {
        public var loan: String
        public var collateral: CollateralBody

        public init(loan: String, collateral: CollateralBody) {
            self.loan = loan
            self.collateral = collateral
        }
    }

    /// `GET /v1/members/{id}/loans`.
    public struct LoanBody: Codable, Hashable, Sendable {
        public enum State: String, Codable, Hashable, Sendable {
            case active, repaid, defaulted
        }

        public var id: String
        public var offer: String?
        public var lender: String
        public var borrower: String
        public var product: String?
        public var principal: MoneyBody
        public var outstanding: MoneyBody
        public var rateBasisPoints: UInt32?
        public var startedAt: Int64?
        public var dueAt: Int64?
        public var status: State
        public var collateral: [CollateralBody]?
        public var guaranteedBasisPoints: UInt32?
        /// The borrower's claim awaiting the lender's confirmation; absent when none.
        public var openClaim: String?

        public init(
            id: String, offer: String? = nil, lender: String, borrower: String, product: String? = nil,
            principal: MoneyBody, outstanding: MoneyBody, rateBasisPoints: UInt32? = nil, startedAt: Int64? = nil,
            dueAt: Int64? = nil, status: State, collateral: [CollateralBody]? = nil,
            guaranteedBasisPoints: UInt32? = nil, openClaim: String? = nil
        ) {
            self.id = id
            self.offer = offer
            self.lender = lender
            self.borrower = borrower
            self.product = product
            self.principal = principal
            self.outstanding = outstanding
            self.rateBasisPoints = rateBasisPoints
            self.startedAt = startedAt
            self.dueAt = dueAt
            self.status = status
            self.collateral = collateral
            self.guaranteedBasisPoints = guaranteedBasisPoints
            self.openClaim = openClaim
        }

        public init(_ loan: Loan) {
            id = loan.id.hex
            offer = loan.offer.hex
            lender = loan.lender.hex
            borrower = loan.borrower.hex
            product = Names.product(loan.product)
            principal = MoneyBody(loan.principal)
            outstanding = MoneyBody(loan.outstanding)
            rateBasisPoints = loan.rateBasisPoints
            startedAt = loan.startedAt.millis
            dueAt = loan.dueAt.millis
            status = Names.loanStatus(loan.status)
            collateral = loan.collateral.map(CollateralBody.init)
            guaranteedBasisPoints = loan.guaranteedBasisPoints
            openClaim = loan.openClaim?.hex
        }
    }

    /// The API's names for the ledger's enums.
    public enum Names {
        public static func memberStatus(_ status: MemberStatus) -> MemberBody.State {
            switch status {
            case .pending: .pending
            case .active: .active
            case .suspended: .suspended
            }
        }

        public static func category(_ category: PieceCategory) -> String {
            switch category {
            case .naturalDiamond: "natural_diamond"
            case .labGrownDiamond: "lab_grown_diamond"
            case .gold: "gold"
            case .platinum: "platinum"
            case .jadeite: "jadeite"
            case .coloredStone: "colored_stone"
            case .pearl: "pearl"
            case .crystal: "crystal"
            }
        }

        public static func channel(_ channel: SalesChannel) -> String {
            switch channel {
            case .wholesale: "wholesale"
            case .retail: "retail"
            case .livestream: "livestream"
            case .export: "export"
            }
        }

        public static func product(_ product: Product) -> String {
            switch product {
            case .workingCapital: "working_capital"
            case .receivablesFinancing: "receivables_financing"
            case .inventoryPledge: "inventory_pledge"
            case .guarantee: "guarantee"
            }
        }

        public static func step(_ step: ConsensusStep) -> String {
            switch step {
            case .propose: "propose"
            case .prevote: "prevote"
            case .precommit: "precommit"
            }
        }

        public static func misbehavior(_ kind: MisbehaviorKind) -> EvidenceBody.Kind {
            switch kind {
            case .conflictingVotes: .conflictingVotes
            case .conflictingProposals: .conflictingProposals
            }
        }

        public static func loanStatus(_ status: LoanStatus) -> LoanBody.State {
            switch status {
            case .active: .active
            case .repaid: .repaid
            case .defaulted: .defaulted
            }
        }
    }
}
