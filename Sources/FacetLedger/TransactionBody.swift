import FacetCore

/// Every kind of transaction. The tag byte is part of the signed bytes and never changes meaning.
public enum TransactionBody: Hashable, Sendable, CanonicalCodable {
    // Membership
    case registerMember(RegisterMember)
    case approveMember(ApproveMember)
    case rotateKey(RotateKey)
    case suspendMember(SuspendMember)
    case reinstateMember(ReinstateMember)
    case changeValidators(ChangeValidators)
    case rotateValidatorKey(RotateValidatorKey)
    // Evidence
    case reportEvidence(ReportEvidence)
    // Inventory
    case registerPiece(RegisterPiece)
    case certifyPiece(CertifyPiece)
    case inspectPiece(InspectPiece)
    case custodyIn(CustodyIn)
    case custodyOut(CustodyOut)
    case stockAudit(StockAudit)
    // Trade
    case issueInvoice(IssueInvoice)
    case confirmInvoice(ConfirmInvoice)
    case payInvoice(PayInvoice)
    case raiseDispute(RaiseDispute)
    case resolveDispute(ResolveDispute)
    case settlePlatformSales(SettlePlatformSales)
    // Market data
    case publishPrice(PublishPrice)
    // Finance
    case grantConsent(GrantConsent)
    case revokeConsent(RevokeConsent)
    case makeOffer(MakeOffer)
    case acceptOffer(AcceptOffer)
    case pledge(Pledge)
    case repay(Repay)
    case declareDefault(DeclareDefault)
    case release(Release)
    case guarantee(GuaranteeLoan)
    case registerModel(RegisterModel)
    case confirmRepayment(ConfirmRepayment)

    /// The kind's stable name (API, metrics, errors.md).
    public var kind: TransactionKindName { TransactionKindName(tag: tag) }

    public var tag: UInt8 {
        switch self {
        case .registerMember: 1
        case .approveMember: 2
        case .rotateKey: 3
        case .suspendMember: 4
        case .reinstateMember: 5
        case .changeValidators: 6
        case .reportEvidence: 7
        case .registerPiece: 10
        case .certifyPiece: 11
        case .inspectPiece: 12
        case .custodyIn: 13
        case .custodyOut: 14
        case .stockAudit: 15
        case .issueInvoice: 20
        case .confirmInvoice: 21
        case .payInvoice: 22
        case .raiseDispute: 23
        case .resolveDispute: 24
        case .settlePlatformSales: 25
        case .publishPrice: 30
        case .grantConsent: 40
        case .revokeConsent: 41
        case .makeOffer: 42
        case .acceptOffer: 43
        case .pledge: 44
        case .repay: 45
        case .declareDefault: 46
        case .release: 47
        case .guarantee: 48
        case .registerModel: 49
        case .confirmRepayment: 50
        case .rotateValidatorKey: 51
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.u8(tag)
        switch self {
        case .registerMember(let b): encoder.encode(b)
        case .approveMember(let b): encoder.encode(b)
        case .rotateKey(let b): encoder.encode(b)
        case .suspendMember(let b): encoder.encode(b)
        case .reinstateMember(let b): encoder.encode(b)
        case .changeValidators(let b): encoder.encode(b)
        case .reportEvidence(let b): encoder.encode(b)
        case .registerPiece(let b): encoder.encode(b)
        case .certifyPiece(let b): encoder.encode(b)
        case .inspectPiece(let b): encoder.encode(b)
        case .custodyIn(let b): encoder.encode(b)
        case .custodyOut(let b): encoder.encode(b)
        case .stockAudit(let b): encoder.encode(b)
        case .issueInvoice(let b): encoder.encode(b)
        case .confirmInvoice(let b): encoder.encode(b)
        case .payInvoice(let b): encoder.encode(b)
        case .raiseDispute(let b): encoder.encode(b)
        case .resolveDispute(let b): encoder.encode(b)
        case .settlePlatformSales(let b): encoder.encode(b)
        case .publishPrice(let b): encoder.encode(b)
        case .grantConsent(let b): encoder.encode(b)
        case .revokeConsent(let b): encoder.encode(b)
        case .makeOffer(let b): encoder.encode(b)
        case .acceptOffer(let b): encoder.encode(b)
        case .pledge(let b): encoder.encode(b)
        case .repay(let b): encoder.encode(b)
        case .declareDefault(let b): encoder.encode(b)
        case .release(let b): encoder.encode(b)
        case .guarantee(let b): encoder.encode(b)
        case .registerModel(let b): encoder.encode(b)
        case .confirmRepayment(let b): encoder.encode(b)
        case .rotateValidatorKey(let b): encoder.encode(b)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.u8() {
        case 1: self = .registerMember(try decoder.decode())
        case 2: self = .approveMember(try decoder.decode())
        case 3: self = .rotateKey(try decoder.decode())
        case 4: self = .suspendMember(try decoder.decode())
        case 5: self = .reinstateMember(try decoder.decode())
        case 6: self = .changeValidators(try decoder.decode())
        case 7: self = .reportEvidence(try decoder.decode())
        case 10: self = .registerPiece(try decoder.decode())
        case 11: self = .certifyPiece(try decoder.decode())
        case 12: self = .inspectPiece(try decoder.decode())
        case 13: self = .custodyIn(try decoder.decode())
        case 14: self = .custodyOut(try decoder.decode())
        case 15: self = .stockAudit(try decoder.decode())
        case 20: self = .issueInvoice(try decoder.decode())
        case 21: self = .confirmInvoice(try decoder.decode())
        case 22: self = .payInvoice(try decoder.decode())
        case 23: self = .raiseDispute(try decoder.decode())
        case 24: self = .resolveDispute(try decoder.decode())
        case 25: self = .settlePlatformSales(try decoder.decode())
        case 30: self = .publishPrice(try decoder.decode())
        case 40: self = .grantConsent(try decoder.decode())
        case 41: self = .revokeConsent(try decoder.decode())
        case 42: self = .makeOffer(try decoder.decode())
        case 43: self = .acceptOffer(try decoder.decode())
        case 44: self = .pledge(try decoder.decode())
        case 45: self = .repay(try decoder.decode())
        case 46: self = .declareDefault(try decoder.decode())
        case 47: self = .release(try decoder.decode())
        case 48: self = .guarantee(try decoder.decode())
        case 49: self = .registerModel(try decoder.decode())
        case 50: self = .confirmRepayment(try decoder.decode())
        case 51: self = .rotateValidatorKey(try decoder.decode())
        case let other: throw CoreError(.unknownTag, "unknown transaction kind \(other)")
        }
    }
}

/// A transaction kind's stable name, derived from its tag.
public struct TransactionKindName: Hashable, Sendable, CustomStringConvertible {
    public let tag: UInt8

    public static let names: [UInt8: String] = [
        1: "register_member", 2: "approve_member", 3: "rotate_key", 4: "suspend_member", 5: "reinstate_member",
        6: "change_validators", 7: "report_evidence", 10: "register_piece", 11: "certify_piece", 12: "inspect_piece",
        13: "custody_in",
        14: "custody_out", 15: "stock_audit", 20: "issue_invoice", 21: "confirm_invoice", 22: "pay_invoice",
        23: "raise_dispute", 24: "resolve_dispute", 25: "settle_platform_sales", 30: "publish_price",
        40: "grant_consent", 41: "revoke_consent", 42: "make_offer", 43: "accept_offer", 44: "pledge", 45: "repay",
        46: "declare_default", 47: "release", 48: "guarantee", 49: "register_model", 50: "confirm_repayment",
        51: "rotate_validator_key",
    ]

    public var description: String { TransactionKindName.names[tag] ?? "unknown_\(tag)" }
}
