import FacetCore
import FacetLedger

/// Generates the demo's history from the seed files alone, month by month, as blocks of signed transactions
/// with their intended times. It keeps its own view of who holds what (pieces, open invoices) so every
/// transaction it emits is one the contracts accept; the ledger never sees a firm's hidden quality.
///
/// A month is 30 days. Its blocks: day 0 new firms and reference prices, day 2 pieces (registered, certified,
/// inspected), day 8 invoices, day 15 buyers' confirmations, day 25 payments, day 28 livestream settlements.
public struct HistoryGenerator: Sendable {
    struct StockPiece: Sendable {
        let id: PieceID
        let category: PieceCategory
        let value: Int64
    }

    /// A payment planned for a month: by the buyer, or by a bank that saw the transfer.
    struct PlannedPayment: Sendable {
        let month: Int
        let invoice: InvoiceID
        let payer: DemoMember
        let minorUnits: Int64
    }

    struct IssuedInvoice: Sendable {
        let id: InvoiceID
        let seller: Int
        let buyer: Int?
        let amount: Int64
        let pieces: [StockPiece]
        let channel: SalesChannel
        let fake: Bool
    }

    public let consortium: DemoConsortium
    public let firms: [FirmProfile]
    public private(set) var month = 0
    /// Each price seed's current price, in minor units per unit.
    public internal(set) var prices: [Int64]

    var random: DemoRandom
    var nonces: [MemberID: UInt64] = [:]
    var stock: [[StockPiece]]
    var payments: [PlannedPayment] = []
    var certificateCounter = 0
    var inspectionCounter = 0

    public static let daysPerMonth: Int64 = 30

    public init(consortium: DemoConsortium) {
        self.consortium = consortium
        let root = DemoRandom(seed: consortium.settings.seed)
        var firmRandom = root.fork(1)
        firms = HistoryGenerator.makeFirms(consortium, &firmRandom)
        random = root.fork(2)
        prices = consortium.seed.prices.map(\.startMinorPerUnit)
        stock = Array(repeating: [], count: firms.count)
    }

    public var isFinished: Bool { month >= consortium.settings.months }

    /// The next month's blocks, or nil when the history is complete.
    public mutating func nextMonth() -> HistoryMonth? {
        guard !isFinished else { return nil }
        let monthStart = consortium.start.millis + Int64(month) * HistoryGenerator.daysPerMonth * Timestamp.millisPerDay
        func at(day: Int64) -> Timestamp {
            Timestamp(uncheckedMillis: monthStart + day * Timestamp.millisPerDay + 3_600_000)
        }
        var blocks = [DemoBlock]()
        func emit(_ day: Int64, _ transactions: [Transaction]) {
            guard !transactions.isEmpty else { return }
            for (index, start) in stride(from: 0, to: transactions.count, by: Limits.maxBlockTransactions).enumerated()
            {
                let end = min(start + Limits.maxBlockTransactions, transactions.count)
                let time = Timestamp(uncheckedMillis: at(day: day).millis + Int64(index) * 1_000)
                blocks.append(DemoBlock(time: time, transactions: Array(transactions[start..<end])))
            }
        }
        emit(0, admitFirms() + publishPrices())
        emit(2, registerPieces())
        let (invoiceTransactions, invoices) = issueInvoices(at: at(day: 8))
        emit(8, invoiceTransactions)
        emit(15, confirmInvoices(invoices))
        emit(25, pay())
        emit(28, settleLivestream(invoices, from: at(day: 0), to: at(day: 28)))
        let result = HistoryMonth(index: month, blocks: blocks)
        month += 1
        return result
    }

    /// Signs a body as `member` with its next nonce.
    mutating func sign(_ member: DemoMember, _ body: TransactionBody) -> Transaction {
        let nonce = (nonces[member.id] ?? 0) + 1
        nonces[member.id] = nonce
        return Transaction.signed(
            chainID: consortium.chainID, signer: member.id, nonce: nonce, body: body, key: member.signingKey)
    }

    func money(_ minorUnits: Int64) -> Money {
        guard let money = try? Money(minorUnits: minorUnits, currency: consortium.currency) else {
            preconditionFailure("generated amounts stay within Money's range")
        }
        return money
    }

    /// Firms that are members by this month.
    var activeFirms: [Int] { firms.indices.filter { firms[$0].joinMonth <= month } }
}
