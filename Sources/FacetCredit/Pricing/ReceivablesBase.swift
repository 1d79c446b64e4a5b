import FacetCore
import FacetLedger

/// Why a receivable adds nothing (or less) to a borrowing base. Stable names, reported beside each invoice.
public enum ReceivableExclusion: String, Hashable, Sendable, Codable {
    /// The buyer has not confirmed the invoice (or it names no buyer who could).
    case unconfirmed
    case paid
    /// Has secured a loan already: a receivable is financed at most once.
    case financed
    case disputed
    case cancelled
    /// Issued longer ago than the product's aging cut-off.
    case tooOld = "too_old"
}

/// One invoice as a receivable: what of it counts, and its advance.
public struct ReceivableValuation: Hashable, Sendable {
    public var invoice: InvoiceID
    public var buyer: MemberID?
    public var outstanding: Int64
    /// The part above the buyer's concentration limit, cut from `outstanding`.
    public var concentrationCut: Int64
    /// `outstanding − concentrationCut` when eligible, else zero.
    public var eligible: Int64
    /// `⌊eligible × advance rate⌋`.
    public var advance: Int64
    public var exclusion: ReceivableExclusion?
}

/// The receivables part of a borrowing base: only confirmed, unpaid, unfinanced, undisputed invoices within the
/// aging cut-off count; each buyer's total is held to `concentrationLimitBps` of all eligible receivables (that
/// buyer's invoices are kept in ascending id order until the cap, the rest cut); what remains is advanced at
/// `advanceRateBps`.
public enum ReceivablesBase {
    /// Values every receivable, in ascending invoice id order.
    public static func value(_ receivables: [Receivable], terms: ReceivableTerms, asOf: Timestamp)
        -> [ReceivableValuation]
    {
        var rows = receivables.sorted { $0.id < $1.id }.map { receivable in
            ReceivableValuation(
                invoice: receivable.id, buyer: receivable.buyer, outstanding: max(0, receivable.outstanding),
                concentrationCut: 0, eligible: 0, advance: 0,
                exclusion: exclusion(receivable, terms: terms, asOf: asOf))
        }
        var total: Int64 = 0
        for row in rows where row.exclusion == nil { total = add(total, row.outstanding) }
        let cap = share(total, terms.concentrationLimitBps)
        var buyers = [MemberID]()
        for row in rows where row.exclusion == nil {
            if let buyer = row.buyer, !buyers.contains(buyer) { buyers.append(buyer) }
        }
        for buyer in buyers.sorted() {
            var room = cap
            for index in rows.indices where rows[index].exclusion == nil && rows[index].buyer == buyer {
                let kept = min(room, rows[index].outstanding)
                rows[index].concentrationCut = rows[index].outstanding - kept
                room -= kept
            }
        }
        for index in rows.indices where rows[index].exclusion == nil {
            rows[index].eligible = rows[index].outstanding - rows[index].concentrationCut
            rows[index].advance = share(rows[index].eligible, terms.advanceRateBps)
        }
        return rows
    }

    static func exclusion(_ receivable: Receivable, terms: ReceivableTerms, asOf: Timestamp) -> ReceivableExclusion? {
        if receivable.cancelled { return .cancelled }
        if receivable.buyer == nil || !receivable.confirmed { return .unconfirmed }
        if receivable.outstanding <= 0 { return .paid }
        if receivable.financed { return .financed }
        if receivable.disputed { return .disputed }
        if asOf.millis - receivable.issuedAt.millis > Int64(terms.agingCutoffDays) * Timestamp.millisPerDay {
            return .tooOld
        }
        return nil
    }

    /// `⌊amount × bps / 10,000⌋` for a non-negative amount, without overflowing on the product.
    static func share(_ amount: Int64, _ bps: Int) -> Int64 {
        precondition(amount >= 0 && bps >= 0 && bps <= 10_000, "a share of a non-negative amount")
        return amount / 10_000 * Int64(bps) + amount % 10_000 * Int64(bps) / 10_000
    }

    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : min(sum, Limits.maxAmountMinorUnits)
    }
}
