import FacetCore

extension TransactionBody {
    /// Every kind of transaction, and in `descriptor` the one table that says what each is: its tag byte, its stable
    /// name, its family and who may read its record. A new kind is one case here, one line in `descriptor`, its body
    /// case in `TransactionBody` and its contract in `Contracts`; everything else (names, tags, command names, the
    /// provenance kinds) is looked up here.
    public enum Kind: CaseIterable, Hashable, Sendable {
        // Membership
        case registerMember, approveMember, rotateKey, suspendMember, reinstateMember, changeValidators
        case rotateValidatorKey
        // Evidence
        case reportEvidence
        // Inventory
        case registerPiece, certifyPiece, inspectPiece, custodyIn, custodyOut, stockAudit
        // Trade
        case issueInvoice, confirmInvoice, payInvoice, raiseDispute, resolveDispute, settlePlatformSales
        // Market data
        case publishPrice
        // Finance
        case grantConsent, revokeConsent, makeOffer, acceptOffer, pledge, repay, declareDefault, release, guarantee
        case registerModel, confirmRepayment

        /// The group of contracts a kind belongs to (`Contracts+<Family>.swift`, `Bodies+<Family>.swift`).
        public enum Family: String, CaseIterable, Hashable, Sendable {
            case membership, evidence, inventory, trade, market, finance
        }

        /// What a kind is. `tag` is part of the signed bytes and never changes meaning; `name` is the stable name the
        /// API, metrics, history and `contracts/errors.md` use; `scope` is who may read its record (`RecordScope`).
        public struct Descriptor: Hashable, Sendable {
            public let tag: UInt8
            public let name: String
            public let family: Family
            public let scope: RecordScope.Kind
        }

        /// The table.
        public var descriptor: Descriptor {
            switch self {
            case .registerMember: Descriptor(tag: 1, name: "register_member", family: .membership, scope: .consortium)
            case .approveMember: Descriptor(tag: 2, name: "approve_member", family: .membership, scope: .consortium)
            case .rotateKey: Descriptor(tag: 3, name: "rotate_key", family: .membership, scope: .consortium)
            case .suspendMember: Descriptor(tag: 4, name: "suspend_member", family: .membership, scope: .consortium)
            case .reinstateMember: Descriptor(tag: 5, name: "reinstate_member", family: .membership, scope: .consortium)
            case .changeValidators:
                Descriptor(tag: 6, name: "change_validators", family: .membership, scope: .consortium)
            case .reportEvidence: Descriptor(tag: 7, name: "report_evidence", family: .evidence, scope: .consortium)
            case .registerPiece: Descriptor(tag: 10, name: "register_piece", family: .inventory, scope: .provenance)
            case .certifyPiece: Descriptor(tag: 11, name: "certify_piece", family: .inventory, scope: .provenance)
            case .inspectPiece: Descriptor(tag: 12, name: "inspect_piece", family: .inventory, scope: .provenance)
            case .custodyIn: Descriptor(tag: 13, name: "custody_in", family: .inventory, scope: .provenance)
            case .custodyOut: Descriptor(tag: 14, name: "custody_out", family: .inventory, scope: .provenance)
            case .stockAudit: Descriptor(tag: 15, name: "stock_audit", family: .inventory, scope: .business)
            case .issueInvoice: Descriptor(tag: 20, name: "issue_invoice", family: .trade, scope: .business)
            case .confirmInvoice: Descriptor(tag: 21, name: "confirm_invoice", family: .trade, scope: .business)
            case .payInvoice: Descriptor(tag: 22, name: "pay_invoice", family: .trade, scope: .business)
            case .raiseDispute: Descriptor(tag: 23, name: "raise_dispute", family: .trade, scope: .business)
            case .resolveDispute: Descriptor(tag: 24, name: "resolve_dispute", family: .trade, scope: .business)
            case .settlePlatformSales:
                Descriptor(tag: 25, name: "settle_platform_sales", family: .trade, scope: .business)
            case .publishPrice: Descriptor(tag: 30, name: "publish_price", family: .market, scope: .consortium)
            case .grantConsent: Descriptor(tag: 40, name: "grant_consent", family: .finance, scope: .business)
            case .revokeConsent: Descriptor(tag: 41, name: "revoke_consent", family: .finance, scope: .business)
            case .makeOffer: Descriptor(tag: 42, name: "make_offer", family: .finance, scope: .business)
            case .acceptOffer: Descriptor(tag: 43, name: "accept_offer", family: .finance, scope: .business)
            case .pledge: Descriptor(tag: 44, name: "pledge", family: .finance, scope: .business)
            case .repay: Descriptor(tag: 45, name: "repay", family: .finance, scope: .business)
            case .declareDefault: Descriptor(tag: 46, name: "declare_default", family: .finance, scope: .business)
            case .release: Descriptor(tag: 47, name: "release", family: .finance, scope: .business)
            case .guarantee: Descriptor(tag: 48, name: "guarantee", family: .finance, scope: .business)
            case .registerModel: Descriptor(tag: 49, name: "register_model", family: .finance, scope: .consortium)
            case .confirmRepayment: Descriptor(tag: 50, name: "confirm_repayment", family: .finance, scope: .business)
            case .rotateValidatorKey:
                Descriptor(tag: 51, name: "rotate_validator_key", family: .membership, scope: .consortium)
            }
        }

        public var tag: UInt8 { descriptor.tag }
        public var name: String { descriptor.name }
        public var family: Family { descriptor.family }

        /// The `facet tx` subcommand that signs this kind: its name with hyphens (`register-piece`).
        public var commandName: String { String(name.map { $0 == "_" ? "-" : $0 }) }

        /// The kind a tag stands for; nil for a tag no kind has.
        public init?(tag: UInt8) {
            guard let kind = Self.byTag[Int(tag)] else { return nil }
            self = kind
        }

        /// The kind a stable name stands for; nil for a name no kind has.
        public init?(name: String) {
            guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = kind
        }

        /// Every kind at its tag's index: the decoder's lookup, built once from the table.
        private static let byTag: [Kind?] = {
            var table = [Kind?](repeating: nil, count: 256)
            for kind in allCases {
                precondition(table[Int(kind.tag)] == nil, "two transaction kinds share tag \(kind.tag)")
                table[Int(kind.tag)] = kind
            }
            return table
        }()
    }
}
