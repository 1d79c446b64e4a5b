import FacetCore

public enum RepaymentClaimStatus: UInt8, CanonicalEnum { case open = 1, confirmed = 2 }

/// A borrower's word that it repaid part of a loan. It changes nothing owed: only the loan's lender lowers what a
/// loan owes, by confirming the claim (`confirm_repayment`) or by signing a receipt (`repay` as the lender).
/// Its id is the claiming transaction's id.
public struct RepaymentClaim: Hashable, Sendable, CanonicalCodable {
    public var id: TransactionID
    public var loan: LoanID
    public var claimant: MemberID
    public var amount: Money
    public var at: Timestamp
    public var status: RepaymentClaimStatus

    public init(id: TransactionID, loan: LoanID, claimant: MemberID, amount: Money, at: Timestamp) {
        self.id = id
        self.loan = loan
        self.claimant = claimant
        self.amount = amount
        self.at = at
        self.status = .open
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(id)
        encoder.encode(loan)
        encoder.encode(claimant)
        encoder.encode(amount)
        encoder.encode(at)
        encoder.encode(status)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        id = try decoder.decode()
        loan = try decoder.decode()
        claimant = try decoder.decode()
        amount = try decoder.decode()
        at = try decoder.decode()
        status = try decoder.decode()
    }
}

public enum StatusChange: UInt8, CanonicalEnum, CaseIterable { case suspend = 1, reinstate = 2 }

/// Admins' votes to suspend or reinstate a member, gathered until `LedgerParams.memberApprovals` distinct active
/// admins agree; the change then takes effect and the proposal is removed. Keyed by (member, change).
public struct StatusProposal: Hashable, Sendable, CanonicalCodable {
    public var member: MemberID
    public var change: StatusChange
    /// Admins who voted, ascending.
    public var approvals: [MemberID]

    public init(member: MemberID, change: StatusChange, approvals: [MemberID]) {
        self.member = member
        self.change = change
        self.approvals = approvals
    }

    public static func key(member: MemberID, change: StatusChange) -> Hash256 {
        var encoder = CanonicalEncoder()
        encoder.encode(member)
        encoder.encode(change)
        return SHA256Hash.digest(encoder.bytes)
    }

    public var key: Hash256 { StatusProposal.key(member: member, change: change) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(member)
        encoder.encode(change)
        encoder.sortedSet(approvals)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        member = try decoder.decode()
        change = try decoder.decode()
        approvals = try decoder.sortedSet(max: Limits.maxListLength)
    }
}

extension RepaymentClaim: StateRecord {
    public static let table = StateTable.repaymentClaim
    public static func extract(_ value: StateValue) -> RepaymentClaim? {
        if case .repaymentClaim(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .repaymentClaim(self) }
}

extension StatusProposal: StateRecord {
    public static let table = StateTable.statusProposal
    public static func extract(_ value: StateValue) -> StatusProposal? {
        if case .statusProposal(let v) = value { v } else { nil }
    }
    public var stateValue: StateValue { .statusProposal(self) }
}
