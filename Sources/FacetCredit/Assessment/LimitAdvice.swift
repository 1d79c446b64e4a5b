import FacetCore

/// One thing a firm can do to raise its grade or a limit, in words it can act on, with the records involved and the
/// effect the real scorecard and `CreditEngine.decide` give once it is done (not an estimate: every effect is a
/// recomputed assessment of the changed evidence).
public struct LimitAdvice: Hashable, Sendable {
    /// A product whose offered limit the action changes. A decline offers zero.
    public struct LimitChange: Hashable, Sendable {
        public var product: String
        /// Minor units offered now.
        public var before: Int64
        /// Minor units offered once the action is done.
        public var after: Int64

        public init(product: String, before: Int64, after: Int64) {
            self.product = product
            self.before = before
            self.after = after
        }
    }

    /// Have the named buyers confirm unconfirmed invoices, so they count as receivables.
    public static let confirmInvoices = "confirm_invoices"
    /// Settle open disputes on confirmed invoices, so they count as receivables again.
    public static let resolveDisputes = "resolve_disputes"
    /// Put pieces that need nothing but custody in a warehouse, so they enter the borrowing base.
    public static let custodyPieces = "custody_pieces"
    /// Have a lab certify pieces whose category requires it, and put them in a warehouse.
    public static let certifyPieces = "certify_pieces"
    /// The prefix of a score action's code: `improve_<feature>`.
    public static let improvePrefix = "improve_"

    /// The most advice an assessment carries.
    public static let maxItems = 6
    /// The most records one piece of advice names: as many as one offer may pledge.
    public static let maxRecords = Limits.maxCollateralPerOffer

    /// Stable: one of the codes above, or `improve_<feature>`.
    public var code: String
    /// What to do and what it brings, in plain words.
    public var text: String
    /// The invoices or pieces to act on, at most `maxRecords`, the most valuable first; empty for a score action.
    public var records: [Hash256]
    /// The feature a score action moves.
    public var feature: String?
    /// The feature's value now.
    public var currentValue: Double?
    /// The value that reaches the better bin: scoring the firm's features with it gives `grade` and `score`.
    public var targetValue: Double?
    /// The grade once done, when it differs from the current one.
    public var grade: String?
    /// The score once done, when it differs from the current one.
    public var score: Double?
    /// Grades gained on the model's master scale (0 when the grade stays).
    public var gradeSteps: Int
    /// Products whose offered limit changes, in the policy's order.
    public var limits: [LimitChange]

    public init(
        code: String, text: String, records: [Hash256] = [], feature: String? = nil, currentValue: Double? = nil,
        targetValue: Double? = nil, grade: String? = nil, score: Double? = nil, gradeSteps: Int = 0,
        limits: [LimitChange] = []
    ) {
        self.code = code
        self.text = text
        self.records = records
        self.feature = feature
        self.currentValue = currentValue
        self.targetValue = targetValue
        self.grade = grade
        self.score = score
        self.gradeSteps = gradeSteps
        self.limits = limits
    }

    /// The sum of the limit changes, held to money's range.
    public var limitGain: Int64 {
        var total: Int64 = 0
        for change in limits {
            let (sum, overflow) = total.addingReportingOverflow(change.after - change.before)
            total = overflow ? (sum < 0 ? Int64.max : Int64.min) : sum
        }
        return min(max(total, -Limits.maxAmountMinorUnits), Limits.maxAmountMinorUnits)
    }

    /// Grade improvements first (more grades first), then the larger limit gain, then by code and text, so the
    /// order is total and the same on every node.
    static func precedes(_ a: LimitAdvice, _ b: LimitAdvice) -> Bool {
        if a.gradeSteps != b.gradeSteps { return a.gradeSteps > b.gradeSteps }
        if a.limitGain != b.limitGain { return a.limitGain > b.limitGain }
        if a.code != b.code { return a.code < b.code }
        return a.text < b.text
    }
}
