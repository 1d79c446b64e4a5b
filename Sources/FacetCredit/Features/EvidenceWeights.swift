/// How much a revenue-like figure counts, by who vouched for it. A figure only the seller signed is a claim; one
/// the buyer confirmed, a bank saw paid, or a platform settled is evidence. Weights are multipliers of the amount.
public struct EvidenceWeights: Hashable, Sendable {
    /// An invoice its named buyer confirmed.
    public var buyerConfirmed: Double
    /// The part of an unconfirmed invoice its buyer paid (paying vouches for the debt).
    public var buyerPaid: Double
    /// The part of an invoice a bank recorded as paid.
    public var bankPaid: Double
    /// Sales a platform attested (gross less refunds).
    public var platformSettled: Double
    /// What only the seller signed: an unconfirmed, unpaid invoice.
    public var selfIssued: Double

    public init(
        buyerConfirmed: Double = 1, buyerPaid: Double = 1, bankPaid: Double = 1, platformSettled: Double = 1,
        selfIssued: Double = 0.2
    ) {
        precondition(
            [buyerConfirmed, buyerPaid, bankPaid, platformSettled, selfIssued].allSatisfy { (0...1).contains($0) },
            "an evidence weight is between 0 and 1")
        self.buyerConfirmed = buyerConfirmed
        self.buyerPaid = buyerPaid
        self.bankPaid = bankPaid
        self.platformSettled = platformSettled
        self.selfIssued = selfIssued
    }

    /// Third-party evidence counts fully; a seller's own claim counts for a fifth.
    public static let standard = EvidenceWeights()
}
