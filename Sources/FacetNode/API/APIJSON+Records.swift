import FacetCore
import FacetLedger

/// Record bodies: members, pieces, invoices, loans and pledges. Enum values are snake_case names, like
/// transaction kinds; absent optional fields are `null`.
extension APIJSON {
    /// A member's public record (`GET /v1/members`, `/v1/members/{id}`).
    public struct MemberBody: Codable, Hashable, Sendable {
        public var id: String
        public var name: String
        public var roles: [String]
        public var publicKey: String
        public var status: String
        public var since: Int64

        init(_ member: Member) {
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
        public var id: String
        public var offender: String
        public var height: UInt64
        public var round: UInt32
        public var step: String
        public var kind: String
        public var reporter: String
        public var recordedHeight: UInt64
        public var recordedAt: Int64

        init(_ record: EvidenceRecord) {
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

        init(_ card: IdentityCard) {
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
    }

    public struct CustodyBody: Codable, Hashable, Sendable {
        public var warehouse: String
        public var bonded: Bool
        public var since: Int64
    }

    public struct InspectionBody: Codable, Hashable, Sendable {
        public var inspector: String
        public var cardNumber: String
        public var passed: Bool
        public var at: Int64
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
        public var suspendedAttestors: [String]

        init(_ piece: Piece, steps: [ProvenanceStepBody], names: [String: String], suspended: Set<MemberID>) {
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

        /// The kinds a provenance card shows, by tag (`RecordScope.provenanceTags`), with their names.
        static let kinds: [UInt8: String] = Dictionary(
            uniqueKeysWithValues: RecordScope.provenanceTags.map { ($0, TransactionKindName(tag: $0).description) })
    }

    public struct PieceCardBody: Codable, Hashable, Sendable {
        /// The attestors of `piece` and the signers of `history` that are in `suspended`, as ascending hex ids.
        static func suspendedAttestors(_ piece: Piece, history: [HistoryEntryBody], suspended: Set<MemberID>)
            -> [String]
        {
            let attestors = attestors(piece).filter(suspended.contains).map(\.hex)
            let signers = history.filter(\.signerSuspended).map(\.signer)
            return Set(attestors + signers).sorted()
        }

        /// The members a piece names as its attestors: what a view asks the standing of.
        static func attestors(_ piece: Piece) -> [MemberID] {
            [piece.certificate?.lab, piece.inspection?.inspector, piece.custody?.warehouse].compactMap { $0 }
        }

        /// What attestors vouched for on a piece, as both the full card and the provenance card show it.
        static func attestations(_ piece: Piece) -> (CertificateRefBody?, Bool, InspectionBody?, CustodyBody?) {
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
        public var certified: Bool
        public var inspection: InspectionBody?
        public var custody: CustodyBody?
        public var lastAudit: Int64?
        public var onInvoice: String?
        public var pledgedTo: String?
        public var status: String
        public var registeredAt: Int64
        public var history: [HistoryEntryBody]
        /// Members suspended now among those who attested the piece (its lab, inspector and custodian, and the
        /// signers of its history), ascending.
        public var suspendedAttestors: [String]

        init(_ piece: Piece, history: [HistoryEntryBody], suspended: Set<MemberID>) {
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
        public var issuedAt: Int64
        public var dueAt: Int64
        public var confirmedAt: Int64?
        public var lastPaymentAt: Int64?
        public var channel: String
        public var pieces: [String]
        public var openDispute: String?
        public var pledgedTo: String?
        public var financed: Bool
        public var cancelled: Bool
        /// The invoice's seller and buyer, those suspended now, ascending: what they signed of it (the issue, the
        /// confirmation, the buyer's payments) weighs as self-issued. A bank's payments are flagged on the
        /// payments themselves (`HistoryEntryBody.signerSuspended`).
        public var suspendedAttestors: [String]

        init(_ invoice: Invoice, suspended: Set<MemberID>) {
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

        init(_ collateral: Collateral) {
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
    }

    /// `GET /v1/members/{id}/loans`.
    public struct LoanBody: Codable, Hashable, Sendable {
        public var id: String
        public var offer: String
        public var lender: String
        public var borrower: String
        public var product: String
        public var principal: MoneyBody
        public var outstanding: MoneyBody
        public var rateBasisPoints: UInt32
        public var startedAt: Int64
        public var dueAt: Int64
        public var status: String
        public var collateral: [CollateralBody]
        public var guaranteedBasisPoints: UInt32
        /// The borrower's claim awaiting the lender's confirmation; absent when none.
        public var openClaim: String?

        init(_ loan: Loan) {
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
    enum Names {
        static func memberStatus(_ status: MemberStatus) -> String {
            switch status {
            case .pending: "pending"
            case .active: "active"
            case .suspended: "suspended"
            }
        }

        static func category(_ category: PieceCategory) -> String {
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

        static func channel(_ channel: SalesChannel) -> String {
            switch channel {
            case .wholesale: "wholesale"
            case .retail: "retail"
            case .livestream: "livestream"
            case .export: "export"
            }
        }

        static func product(_ product: Product) -> String {
            switch product {
            case .workingCapital: "working_capital"
            case .receivablesFinancing: "receivables_financing"
            case .inventoryPledge: "inventory_pledge"
            case .guarantee: "guarantee"
            }
        }

        static func step(_ step: ConsensusStep) -> String {
            switch step {
            case .propose: "propose"
            case .prevote: "prevote"
            case .precommit: "precommit"
            }
        }

        static func misbehavior(_ kind: MisbehaviorKind) -> String {
            switch kind {
            case .conflictingVotes: "conflicting_votes"
            case .conflictingProposals: "conflicting_proposals"
            }
        }

        static func loanStatus(_ status: LoanStatus) -> String {
            switch status {
            case .active: "active"
            case .repaid: "repaid"
            case .defaulted: "defaulted"
            }
        }
    }
}
