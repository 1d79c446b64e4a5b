import FacetCore
import FacetCredit
import FacetLedger

/// What the firm and applicants pages read beyond a decision's evidence: the records the index names for a firm
/// (its loans, the offers open to it, its stock) read from the state at the index's height, and its features as
/// they stood some days earlier. Nil while the index is behind the head (or credit is off), like `creditEvidence`.
extension LedgerNode {
    /// The firm's buyers by share, stock at reference value, latest loans and open offers, with the names of the
    /// members they mention.
    public func creditFirmHoldings(firm: MemberID) -> FirmHoldings? {
        guard let index = creditIndex, index.height == state.height, let time = index.time else { return nil }
        let (loanIDs, loanCount) = index.loans(of: firm, limit: FirmHoldings.loanLimit)
        let loans = loanIDs.compactMap { state.record(Loan.self, $0.hash) }
        let offers = index.openOffers(to: firm, asOf: time).compactMap { state.record(Offer.self, $0.hash) }
            .filter { $0.status == .open }
        let stock = index.stockValues(of: firm).compactMap { item in
            state.record(Piece.self, item.piece.hash).map { FirmHoldings.StockItem(piece: $0, value: item.value) }
        }
        let buyers = index.buyerShares(of: firm, asOf: time)
        let mentioned =
            buyers.map(\.buyer) + loans.map(\.lender) + offers.map(\.lender)
            + offers.compactMap { $0.guarantee?.guarantor }
        var names = [MemberID: String]()
        for id in Set(mentioned).sorted() { names[id] = state.record(Member.self, id.hash)?.name }
        return FirmHoldings(
            height: index.height, buyers: buyers, stock: stock, loans: loans, loanCount: loanCount, offers: offers,
            names: names)
    }

    /// The firm's features with every window ending `days` before the index's latest block, for a score's trend.
    /// Open items (receivables, payables, stock, loans, disputes) are as of that block, not as they stood then, and
    /// a twelve-month window reaching past the fourteen retained months reads only the months still kept.
    public func creditFeatures(firm: MemberID, daysBefore days: Int) -> FirmFeatures? {
        creditFeatures(firms: [firm], daysBefore: days)?.first
    }

    /// Several firms' features `days` before the index's latest block, the earlier month's circular-trading
    /// analysis made once for all of them.
    public func creditFeatures(firms: [MemberID], daysBefore days: Int) -> [FirmFeatures]? {
        guard let index = creditIndex, index.height == state.height, let time = index.time else { return nil }
        let earlier = Timestamp(uncheckedMillis: max(0, time.millis - Int64(days) * Timestamp.millisPerDay))
        return index.features(of: firms, asOf: earlier)
    }

    /// The firm's stock at reference value, ascending by piece id.
    public func creditStockValues(firm: MemberID) -> [StockValue]? {
        guard let index = creditIndex, index.height == state.height else { return nil }
        return index.stockValues(of: firm)
    }
}
