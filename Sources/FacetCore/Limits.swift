/// The one table of limits. The decoder enforces every size and count here, so no value beyond them ever
/// reaches the ledger; later parts (mempool, blocks, API) read their bounds from here too.
public enum Limits {
    /// A whole signed transaction, as encoded.
    public static let maxTransactionBytes = 16 * 1024
    /// Free text: names, descriptions, notes, reasons (UTF-8 bytes).
    public static let maxTextBytes = 256
    /// Labels: chain ids, certificate numbers, grades, price bands (printable ASCII bytes).
    public static let maxLabelBytes = 64
    /// Opaque byte strings inside a body (for example a document digest list).
    public static let maxBytesLength = 1024
    /// Pieces named by one invoice.
    public static let maxPiecesPerInvoice = 64
    /// Pieces named by one warehouse stock audit.
    public static let maxPiecesPerAudit = 256
    /// Validators in one set; also bounds the signatures on a validator-set change.
    public static let maxValidators = 64
    /// Collateral items named by one offer.
    public static let maxCollateralPerOffer = 16
    /// Any other list in a transaction body.
    public static let maxListLength = 256
    /// The largest absolute amount in minor units (10^15: ten trillion yuan in fen). Keeping every amount far
    /// below Int64.max leaves room for sums while still failing loudly on overflow.
    public static let maxAmountMinorUnits: Int64 = 1_000_000_000_000_000
    /// Weights in milligrams or millicarats.
    public static let maxWeight: UInt64 = 1_000_000_000_000
    /// Basis points (1/10,000) for rates, shares and coverage.
    public static let maxBasisPoints: UInt32 = 10_000
    /// Loan and offer terms.
    public static let maxTermDays: UInt32 = 3_650
    /// Milliseconds since the Unix epoch: up to the end of year 9999.
    public static let maxTimestampMillis: Int64 = 253_402_300_799_999
    /// Transactions in one block, and its encoded size.
    public static let maxBlockTransactions = 10_000
    public static let maxBlockBytes = 8 * 1024 * 1024
    /// Validator-set changes one proof bundle may carry from genesis to its header: bounds a verifier's work
    /// (one certificate check per change) on a bundle from an untrusted source.
    public static let maxProofTransitions = 4096
}
