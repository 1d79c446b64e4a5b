import FacetCore

/// What a contract knows besides the state: who signed, when, and at which height. Passed in, never read
/// from a clock.
public struct TransactionContext: Sendable {
    public let id: TransactionID
    public let signer: Member
    public let height: UInt64
    public let time: Timestamp
    public let params: LedgerParams

    public var chainID: Label { params.chainID }

    public func require(_ roles: Roles, _ what: String) throws(LedgerError) {
        guard signer.roles.isSuperset(of: roles) else {
            throw LedgerError(.missingRole, "\(what) needs the \(roles) role")
        }
    }
}

/// `guard condition else throw` in one line, for contracts.
@inline(__always)
func check(_ condition: Bool, _ code: LedgerError.Code, _ message: @autoclosure () -> String) throws(LedgerError) {
    if !condition { throw LedgerError(code, message()) }
}

/// Money arithmetic inside a contract: core errors keep their codes.
@inline(__always)
func money(_ operation: () throws(CoreError) -> Money) throws(LedgerError) -> Money {
    do {
        return try operation()
    } catch {
        throw LedgerError(error)
    }
}

extension StateView {
    public func member(_ id: MemberID) throws(LedgerError) -> Member {
        guard let member = record(Member.self, id.hash) else {
            throw LedgerError(.unknownMember, "no member \(id)")
        }
        return member
    }

    /// An active member holding `roles` (the counterparty of a contract, not its signer).
    public func activeMember(_ id: MemberID, roles: Roles = []) throws(LedgerError) -> Member {
        let member = try member(id)
        try check(member.status == .active, .memberNotActive, "member \(id) is not active")
        try check(member.roles.isSuperset(of: roles), .missingRole, "member \(id) lacks the \(roles) role")
        return member
    }

    public func piece(_ id: PieceID) throws(LedgerError) -> Piece {
        guard let piece = record(Piece.self, id.hash) else { throw LedgerError(.unknownPiece, "no piece \(id)") }
        return piece
    }

    public func invoice(_ id: InvoiceID) throws(LedgerError) -> Invoice {
        guard let invoice = record(Invoice.self, id.hash) else {
            throw LedgerError(.unknownInvoice, "no invoice \(id)")
        }
        return invoice
    }

    public func loan(_ id: LoanID) throws(LedgerError) -> Loan {
        guard let loan = record(Loan.self, id.hash) else { throw LedgerError(.unknownLoan, "no loan \(id)") }
        return loan
    }

    public func nonce(of member: MemberID) -> UInt64 {
        if case .nonce(let value)? = self[StateKey(.nonce, member.hash)] { return value }
        return 0
    }

    public var params: LedgerParams {
        guard case .params(let params)? = self[.params] else { preconditionFailure("state has no parameters") }
        return params
    }

    public var validators: ValidatorSchedule {
        guard case .validators(let schedule)? = self[.validators] else {
            preconditionFailure("state has no validator schedule")
        }
        return schedule
    }
}
