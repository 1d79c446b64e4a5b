import FacetCore

/// A transaction's body, one case per `Kind`: the kind table (`Kind.descriptor`) gives its tag byte, which is part
/// of the signed bytes and never changes meaning, and its name.
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

    /// The body's kind: its row in the kind table (`TransactionBody.Kind.descriptor`).
    public var transactionKind: TransactionBody.Kind {
        switch self {
        case .registerMember: .registerMember
        case .approveMember: .approveMember
        case .rotateKey: .rotateKey
        case .suspendMember: .suspendMember
        case .reinstateMember: .reinstateMember
        case .changeValidators: .changeValidators
        case .rotateValidatorKey: .rotateValidatorKey
        case .reportEvidence: .reportEvidence
        case .registerPiece: .registerPiece
        case .certifyPiece: .certifyPiece
        case .inspectPiece: .inspectPiece
        case .custodyIn: .custodyIn
        case .custodyOut: .custodyOut
        case .stockAudit: .stockAudit
        case .issueInvoice: .issueInvoice
        case .confirmInvoice: .confirmInvoice
        case .payInvoice: .payInvoice
        case .raiseDispute: .raiseDispute
        case .resolveDispute: .resolveDispute
        case .settlePlatformSales: .settlePlatformSales
        case .publishPrice: .publishPrice
        case .grantConsent: .grantConsent
        case .revokeConsent: .revokeConsent
        case .makeOffer: .makeOffer
        case .acceptOffer: .acceptOffer
        case .pledge: .pledge
        case .repay: .repay
        case .declareDefault: .declareDefault
        case .release: .release
        case .guarantee: .guarantee
        case .registerModel: .registerModel
        case .confirmRepayment: .confirmRepayment
        }
    }

    /// The kind's stable name (API, metrics, errors.md).
    public var kind: TransactionKindName { TransactionKindName(tag: tag) }

    /// The kind's tag byte, the first byte of the encoding (`TransactionBody.Kind.descriptor`).
    public var tag: UInt8 { transactionKind.tag }

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
        let tag = try decoder.u8()
        guard let kind = TransactionBody.Kind(tag: tag) else {
            throw CoreError(.unknownTag, "unknown transaction kind \(tag)")
        }
        switch kind {
        case .registerMember: self = .registerMember(try decoder.decode())
        case .approveMember: self = .approveMember(try decoder.decode())
        case .rotateKey: self = .rotateKey(try decoder.decode())
        case .suspendMember: self = .suspendMember(try decoder.decode())
        case .reinstateMember: self = .reinstateMember(try decoder.decode())
        case .changeValidators: self = .changeValidators(try decoder.decode())
        case .reportEvidence: self = .reportEvidence(try decoder.decode())
        case .registerPiece: self = .registerPiece(try decoder.decode())
        case .certifyPiece: self = .certifyPiece(try decoder.decode())
        case .inspectPiece: self = .inspectPiece(try decoder.decode())
        case .custodyIn: self = .custodyIn(try decoder.decode())
        case .custodyOut: self = .custodyOut(try decoder.decode())
        case .stockAudit: self = .stockAudit(try decoder.decode())
        case .issueInvoice: self = .issueInvoice(try decoder.decode())
        case .confirmInvoice: self = .confirmInvoice(try decoder.decode())
        case .payInvoice: self = .payInvoice(try decoder.decode())
        case .raiseDispute: self = .raiseDispute(try decoder.decode())
        case .resolveDispute: self = .resolveDispute(try decoder.decode())
        case .settlePlatformSales: self = .settlePlatformSales(try decoder.decode())
        case .publishPrice: self = .publishPrice(try decoder.decode())
        case .grantConsent: self = .grantConsent(try decoder.decode())
        case .revokeConsent: self = .revokeConsent(try decoder.decode())
        case .makeOffer: self = .makeOffer(try decoder.decode())
        case .acceptOffer: self = .acceptOffer(try decoder.decode())
        case .pledge: self = .pledge(try decoder.decode())
        case .repay: self = .repay(try decoder.decode())
        case .declareDefault: self = .declareDefault(try decoder.decode())
        case .release: self = .release(try decoder.decode())
        case .guarantee: self = .guarantee(try decoder.decode())
        case .registerModel: self = .registerModel(try decoder.decode())
        case .confirmRepayment: self = .confirmRepayment(try decoder.decode())
        case .rotateValidatorKey: self = .rotateValidatorKey(try decoder.decode())
        }
    }
}

/// A transaction kind's stable name, derived from its tag through the kind table (`TransactionBody.Kind`).
public struct TransactionKindName: Hashable, Sendable, CustomStringConvertible {
    public let tag: UInt8

    public init(tag: UInt8) {
        self.tag = tag
    }

    /// Every kind's name by its tag, from the kind table.
    public static let names: [UInt8: String] = Dictionary(
        uniqueKeysWithValues: TransactionBody.Kind.allCases.map { ($0.tag, $0.name) })

    public var description: String { TransactionBody.Kind(tag: tag)?.name ?? "unknown_\(tag)" }
}
