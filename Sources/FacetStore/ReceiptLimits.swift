/// How long access receipts are kept and how much of them, and what a flood of reads costs.
///
/// Retention, applied by `LedgerStore.recordReceipts` in the same transaction as the receipts it records:
/// - **Aggregation.** Reads of the same `what` of one firm by one reader under one basis within the same UTC minute
///   are one receipt with a count. A reader repeating a read as fast as it can adds one receipt a minute per label,
///   not one per request.
/// - **Per reader.** A firm keeps the newest `perReader` receipts of each reader; a reader's older ones go first.
///   So a reader that floods a firm's log can only push out its own receipts, never another reader's: an honest
///   lender's single read stays listed however much a second reader reads, and the flooder's newest receipts (with
///   their counts) stay to show the flood.
/// - **Per firm.** A firm keeps the newest `perFirm` receipts in all: that bites only once `perFirm / perReader`
///   readers (twenty) each hold their full share, and then the oldest receipts go first, whoever's they are.
///   Receipts are only written for readers the firm consented to or auditors the consortium admitted, so a firm's
///   readers are few.
/// - **Age.** Nothing older than `maxAgeMillis` (two years, as long as a credit bureau lists an inquiry) before the
///   newest receipt being recorded is kept: each recording deletes up to `sweepStep` plus its own count of expired
///   receipts of any firm, oldest first, so the sweep outpaces what is written and a store never holds more than
///   one recording's worth of expired receipts for long.
///
/// The bound: at most `perFirm` receipts per firm (`perReader` per firm and reader), none older than two years once
/// the sweep has reached it.
public enum ReceiptLimits {
    /// Reads alike within this window (UTC minutes, from the epoch) are one receipt.
    public static let aggregationMillis: Int64 = 60_000
    /// Receipts kept per (firm, reader).
    public static let perReader = 1_000
    /// Receipts kept per firm.
    public static let perFirm = 20_000
    /// How long a receipt is kept.
    public static let maxAgeMillis: Int64 = 730 * 86_400_000
    /// Expired receipts deleted per recording, beyond the recording's own count.
    public static let sweepStep = 1_000
    /// The most receipts one `recordReceipts` call takes; more is refused with `store.invalid_request`.
    public static let maxBatch = 10_000
    /// The most receipts one `receipts(firm:before:limit:)` call returns; a larger `limit` is refused with
    /// `store.invalid_request`.
    public static let maxPage = 1_000
}
