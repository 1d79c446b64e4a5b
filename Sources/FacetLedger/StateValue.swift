import FacetCore

/// Any record of the world state. One enum rather than one dictionary per table keeps the overlay, the
/// change set and the state root uniform; `StateRecord` gives typed access.
public enum StateValue: Hashable, Sendable, CanonicalCodable {
    case params(LedgerParams)
    case validators(ValidatorSchedule)
    case member(Member)
    case nonce(UInt64)
    /// Which member holds a public key: keys are unique across members.
    case publicKeyIndex(MemberID)
    case piece(Piece)
    /// Which piece a lab's certificate number belongs to.
    case certificateIndex(PieceID)
    case invoice(Invoice)
    case dispute(Dispute)
    case settlement(PlatformSettlement)
    case price(ReferencePrice)
    case consent(Consent)
    case offer(Offer)
    case loan(Loan)
    case guarantee(Guarantee)
    case evidence(EvidenceRecord)
    case model(RegisteredModel)
    /// A borrower's repayment claim, waiting for its lender's confirmation.
    case repaymentClaim(RepaymentClaim)
    /// Admins' votes toward suspending or reinstating a member.
    case statusProposal(StatusProposal)

    public var table: StateTable {
        switch self {
        case .params: return .params
        case .validators: return .validators
        case .member: return .member
        case .nonce: return .nonce
        case .publicKeyIndex: return .publicKeyIndex
        case .piece: return .piece
        case .certificateIndex: return .certificateIndex
        case .invoice: return .invoice
        case .dispute: return .dispute
        case .settlement: return .settlement
        case .price: return .price
        case .consent: return .consent
        case .offer: return .offer
        case .loan: return .loan
        case .guarantee: return .guarantee
        case .evidence: return .evidence
        case .model: return .model
        case .repaymentClaim: return .repaymentClaim
        case .statusProposal: return .statusProposal
        }
    }

    /// The leaf value committed by the state root.
    public var valueHash: Hash256 { SHA256Hash.digest(canonicalBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(table)
        switch self {
        case .params(let value): encoder.encode(value)
        case .validators(let value): encoder.encode(value)
        case .member(let value): encoder.encode(value)
        case .nonce(let value): encoder.u64(value)
        case .publicKeyIndex(let value): encoder.encode(value)
        case .piece(let value): encoder.encode(value)
        case .certificateIndex(let value): encoder.encode(value)
        case .invoice(let value): encoder.encode(value)
        case .dispute(let value): encoder.encode(value)
        case .settlement(let value): encoder.encode(value)
        case .price(let value): encoder.encode(value)
        case .consent(let value): encoder.encode(value)
        case .offer(let value): encoder.encode(value)
        case .loan(let value): encoder.encode(value)
        case .guarantee(let value): encoder.encode(value)
        case .evidence(let value): encoder.encode(value)
        case .model(let value): encoder.encode(value)
        case .repaymentClaim(let value): encoder.encode(value)
        case .statusProposal(let value): encoder.encode(value)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        switch try decoder.decode(StateTable.self) {
        case .params: self = .params(try decoder.decode())
        case .validators: self = .validators(try decoder.decode())
        case .member: self = .member(try decoder.decode())
        case .nonce: self = .nonce(try decoder.u64())
        case .publicKeyIndex: self = .publicKeyIndex(try decoder.decode())
        case .piece: self = .piece(try decoder.decode())
        case .certificateIndex: self = .certificateIndex(try decoder.decode())
        case .invoice: self = .invoice(try decoder.decode())
        case .dispute: self = .dispute(try decoder.decode())
        case .settlement: self = .settlement(try decoder.decode())
        case .price: self = .price(try decoder.decode())
        case .consent: self = .consent(try decoder.decode())
        case .offer: self = .offer(try decoder.decode())
        case .loan: self = .loan(try decoder.decode())
        case .guarantee: self = .guarantee(try decoder.decode())
        case .evidence: self = .evidence(try decoder.decode())
        case .model: self = .model(try decoder.decode())
        case .repaymentClaim: self = .repaymentClaim(try decoder.decode())
        case .statusProposal: self = .statusProposal(try decoder.decode())
        }
    }
}

/// Typed access to one table of the world state.
public protocol StateRecord: Sendable {
    static var table: StateTable { get }
    static func extract(_ value: StateValue) -> Self?
    var stateValue: StateValue { get }
}

extension Member: StateRecord {
    public static let table = StateTable.member
    public static func extract(_ value: StateValue) -> Member? { if case .member(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .member(self) }
}

extension Piece: StateRecord {
    public static let table = StateTable.piece
    public static func extract(_ value: StateValue) -> Piece? { if case .piece(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .piece(self) }
}

extension Invoice: StateRecord {
    public static let table = StateTable.invoice
    public static func extract(_ value: StateValue) -> Invoice? { if case .invoice(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .invoice(self) }
}

extension Dispute: StateRecord {
    public static let table = StateTable.dispute
    public static func extract(_ value: StateValue) -> Dispute? { if case .dispute(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .dispute(self) }
}

extension PlatformSettlement: StateRecord {
    public static let table = StateTable.settlement
    public static func extract(_ value: StateValue) -> PlatformSettlement? {
        if case .settlement(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .settlement(self) }
}

extension ReferencePrice: StateRecord {
    public static let table = StateTable.price
    public static func extract(_ value: StateValue) -> ReferencePrice? {
        if case .price(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .price(self) }
}

extension Consent: StateRecord {
    public static let table = StateTable.consent
    public static func extract(_ value: StateValue) -> Consent? { if case .consent(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .consent(self) }
}

extension Offer: StateRecord {
    public static let table = StateTable.offer
    public static func extract(_ value: StateValue) -> Offer? { if case .offer(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .offer(self) }
}

extension Loan: StateRecord {
    public static let table = StateTable.loan
    public static func extract(_ value: StateValue) -> Loan? { if case .loan(let v) = value { v } else { nil } }
    public var stateValue: StateValue { .loan(self) }
}

extension Guarantee: StateRecord {
    public static let table = StateTable.guarantee
    public static func extract(_ value: StateValue) -> Guarantee? {
        if case .guarantee(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .guarantee(self) }
}

extension EvidenceRecord: StateRecord {
    public static let table = StateTable.evidence
    public static func extract(_ value: StateValue) -> EvidenceRecord? {
        if case .evidence(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .evidence(self) }
}

extension RegisteredModel: StateRecord {
    public static let table = StateTable.model
    public static func extract(_ value: StateValue) -> RegisteredModel? {
        if case .model(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .model(self) }
}
