import FacetCore

/// One read of a firm's private data by someone other than the firm and its counterparties: a consented lender's
/// credit report or records, an auditor's read. The serving node records it (`LedgerStore.recordReceipts`) and the
/// firm reads its receipts back (`GET /v1/members/{id}/access-log`), as a credit bureau lists every inquiry.
///
/// Receipts are the node's own record of what it served, not ledger data: each node keeps those of the reads it
/// answered, and they feed no hash, block or score.
public struct AccessReceipt: Hashable, Sendable {
    /// The right a read was answered under.
    public enum Basis: Hashable, Sendable {
        /// The firm's consent to the reader, named by its grant time (with the firm and the reader, that identifies
        /// the consent: a regranted consent has a new grant time).
        case consent(grantedAt: Timestamp)
        /// The reader holds the `auditor` role.
        case auditor
    }

    /// The longest `what`, in UTF-8 bytes.
    public static let maxWhatBytes = 64

    /// Whose data was read.
    public var firm: MemberID
    /// Who read it.
    public var reader: MemberID
    /// What was read: a short stable label such as `credit.report`, `credit.offers`, `records.invoices`,
    /// `transaction`, `proof`, `block`, `piece`, `dashboard.firm`; 1 to `maxWhatBytes` UTF-8 bytes.
    public var what: String
    public var basis: Basis
    /// The node's clock when the answer was served.
    public var at: Timestamp
    /// The ledger height the answer was read at.
    public var height: UInt64
    /// How many reads this receipt stands for, at least 1. Repeated reads of the same `what` by the same reader
    /// under the same basis within one minute (`ReceiptLimits.aggregationMillis`) are stored as one receipt: its
    /// `at` and `height` are the latest read's, and `count` says how many there were.
    public var count: Int

    /// A receipt for one read (or `count` alike). A `what` that is empty or longer than `maxWhatBytes`, or a count
    /// below 1, is a bug in the caller (labels are constants) and stops the process.
    public init(
        firm: MemberID, reader: MemberID, what: String, basis: Basis, at: Timestamp, height: UInt64, count: Int = 1
    ) {
        precondition(AccessReceipt.isValidLabel(what), "a receipt's what is 1 to 64 UTF-8 bytes")
        precondition(count >= 1, "a receipt stands for at least one read")
        self.firm = firm
        self.reader = reader
        self.what = what
        self.basis = basis
        self.at = at
        self.height = height
        self.count = count
    }

    static func isValidLabel(_ what: String) -> Bool {
        (1...maxWhatBytes).contains(what.utf8.count)
    }
}
