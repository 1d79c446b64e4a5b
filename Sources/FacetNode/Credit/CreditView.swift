import FacetCore
import FacetCredit
import FacetLedger

/// The credit index and the committed state of one and the same height, as `CreditServing` holds them: everything a
/// report or a page reads comes from one view, so no answer mixes heights. A view lives only inside
/// `CreditServing.read`; kept beyond it, it would make the next commit copy the index.
public struct CreditView: Sendable {
    let index: FeatureIndex
    /// The state after the block the index applied last.
    public let state: WorldState
    /// The time of that block.
    public let time: Timestamp
    /// This node's validator: a reader signing with its key reads as the operator.
    let operatorID: MemberID?

    public var height: UInt64 { state.height }

    /// Everything a decision about `firm` reads: its features as of the view's block time, its pieces in stock and
    /// open receivables as the state holds them, and the reference prices. Receivables issued more than
    /// `receivableDays` before that time are left out (nil keeps them all): no product counts an invoice past its
    /// aging cut-off.
    public func evidence(firm: MemberID, receivableDays: Int? = nil) -> CreditEvidence {
        let features = index.features(of: firm, asOf: time)
        let state = state
        let pieces = index.stock(of: firm).compactMap { state.record(Piece.self, $0.hash) }.map { piece in
            CollateralPiece(piece) { state.record(Member.self, $0.hash)?.status == .suspended }
        }
        let since = receivableDays.map {
            Timestamp(uncheckedMillis: max(0, time.millis - Int64($0) * Timestamp.millisPerDay))
        }
        let receivables = index.openReceivables(of: firm, issuedSince: since)
            .compactMap { state.record(Invoice.self, $0.hash) }.map(Receivable.init)
        return CreditEvidence(
            features: features, pieces: pieces, receivables: receivables, prices: index.priceSeries(asOf: time),
            currency: index.figuresCurrency ?? .cny)
    }

    /// The firms that granted `lender` consent, as the index tracks them (active or not at any given time).
    public func consentingFirms(of lender: MemberID) -> [MemberID] {
        index.applicants(of: lender)
    }

    /// The firm's buyers by share, stock at reference value, latest loans and open offers, with the names of the
    /// members they mention.
    public func holdings(firm: MemberID) -> FirmHoldings {
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

    /// Several firms' features with every window ending `days` before the view's block, for a score's trend, the
    /// earlier month's circular-trading analysis made once for all of them. Open items (receivables, payables,
    /// stock, loans, disputes) are as of that block, not as they stood then, and a twelve-month window reaching past
    /// the fourteen retained months reads only the months still kept.
    public func features(firms: [MemberID], daysBefore days: Int) -> [FirmFeatures] {
        let earlier = Timestamp(uncheckedMillis: max(0, time.millis - Int64(days) * Timestamp.millisPerDay))
        return index.features(of: firms, asOf: earlier)
    }

    /// The firm's stock at reference value, ascending by piece id.
    public func stockValues(firm: MemberID) -> [StockValue] {
        index.stockValues(of: firm)
    }

    /// The firm's revenue by month over the twelve months the revenue features read, split by who vouched for it.
    public func monthlyRevenue(firm: MemberID) -> [MonthlyRevenue] {
        index.monthlyRevenue(of: firm, asOf: time)
    }

    /// Every closed loan the index tracked, in the order they opened (each with its borrower's features when it
    /// opened and whether it was declared in default): what the model page measures the scorecard on.
    public func trainingRows() -> [TrainingRow] {
        index.trainingRows()
    }

    /// Whether `reader` reads `firm`'s private records as a whole at this height, on which basis, and the consent it
    /// reads under: the access policy as `LedgerNode.firmAccess` asks it.
    public func firmAccess(_ firm: MemberID, for reader: Reader, now: Timestamp) -> (
        basis: AccessPolicy.Basis, consent: Consent?
    )? {
        LedgerNode.firmAccess(firm, for: reader, now: now, operatorID: operatorID) {
            state.record(Consent.self, $0)
        }
    }
}
