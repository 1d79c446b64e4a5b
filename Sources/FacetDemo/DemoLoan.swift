import FacetCore
import FacetLedger

/// How a past loan ended: repaid by its due date, repaid after it, declared in default, or still running when
/// the history ends.
public enum LoanOutcome: String, Codable, Hashable, Sendable, CaseIterable {
    case repaid, late, defaulted, open
}

/// A loan the generator opened, with the outcome it drew for it from the borrower's hidden quality.
struct DemoLoan: Sendable {
    let id: LoanID
    let firm: Int
    let lender: DemoMember
    let product: Product
    let principal: Int64
    let startMonth: Int
    let termDays: UInt32
    let pieces: [HistoryGenerator.StockPiece]
    let invoices: [InvoiceID]
    let guaranteed: Bool
    /// The drawn outcome (never `open`), and the month it happens in.
    let outcome: LoanOutcome
    let settleMonth: Int
    /// Partial repayments before the outcome, each in a month up to `settleMonth`.
    let installments: [Installment]
    var repaidMinorUnits: Int64 = 0
    var settled = false

    struct Installment: Sendable {
        let month: Int
        let minorUnits: Int64
    }

    /// The outcome as of now: `open` until its month has come.
    var currentOutcome: LoanOutcome { settled ? outcome : .open }
}

/// A firm's consent to a lender, remembered so that it is granted once.
struct ConsentPair: Hashable, Sendable {
    let firm: Int
    let lender: MemberID
}

/// A generated transaction the ledger must refuse, and the code it must refuse it with.
public struct ExpectedRefusal: Hashable, Sendable {
    public let transaction: TransactionID
    public let code: LedgerError.Code
    public let month: Int
}
