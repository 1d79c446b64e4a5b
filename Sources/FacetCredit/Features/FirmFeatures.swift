import FacetCore
import FacetLedger
import FacetScorecard

/// One firm's features at a moment, with the records behind them and what a lender should look at first.
public struct FirmFeatures: Hashable, Sendable {
    public let firm: MemberID
    public let asOf: Timestamp
    /// The last block the index had applied.
    public let height: UInt64
    /// By the stable names of `FeatureName`.
    public var values: FeatureRow
    /// For each feature, ids of the records behind it (invoices, settlement transactions, pieces, loans,
    /// disputes), largest or latest first, at most `FeatureSettings.evidenceLimit`.
    public var evidence: [String: [Hash256]]
    public var warnings: [FeatureWarning]
}

/// Something the numbers alone do not say: circular trading (with the cycle's members), open disputes, or evidence
/// whose attestors were suspended since (with those attestors).
public struct FeatureWarning: Hashable, Sendable {
    public static let circularTrading = "circular_trading"
    public static let openDisputes = "open_disputes"
    /// Records of the last twelve months attested by members suspended since: they weigh as self-issued.
    public static let suspendedAttestors = "suspended_attestors"

    /// Stable: `circular_trading`, `open_disputes` or `suspended_attestors`.
    public let code: String
    public let message: String
    /// The other firms involved (a cycle's members, the firm included), ascending.
    public let members: [MemberID]
    public let records: [Hash256]
}
