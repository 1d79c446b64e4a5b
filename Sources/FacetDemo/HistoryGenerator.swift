import FacetCore
import FacetLedger

/// Generates the demo's history from the seed files alone, month by month, as blocks of signed transactions
/// with their intended times. It keeps its own view of who holds what (pieces, open invoices) so every
/// transaction it emits is one the contracts accept; the ledger never sees a firm's hidden quality.
///
/// A month is 30 days. Its blocks: day 0 new firms and reference prices, day 2 pieces (registered, certified,
/// inspected), day 3 pieces into and out of warehouse custody, day 4 consents and loan offers, day 5 acceptances,
/// pledges and guarantees, day 8 invoices (the circular ring's among them), day 10 warehouse stock audits, day 12
/// buyers' disputes, day 15 buyers' confirmations, day 18 the conciliator's resolutions, day 20 loan repayments
/// (partial or full), releases and defaults, day 22 confirmations of invoices whose dispute was resolved, day 25
/// payments, day 28 livestream settlements.
public struct HistoryGenerator: Sendable {
    struct StockPiece: Sendable {
        let id: PieceID
        let category: PieceCategory
        let value: Int64
        /// The lab was asked to certify it at registration (and does so in the same block).
        let certified: Bool
    }

    /// A payment planned for a month: by the buyer, or by a bank that saw the transfer.
    struct PlannedPayment: Sendable {
        let month: Int
        let invoice: InvoiceID
        let seller: Int
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
    /// Draws for past loans, apart from the trade's so that lending does not shift the trade.
    var financeRandom: DemoRandom
    /// Each firm's true probability of defaulting on a loan, in parts per thousand (hidden, like quality).
    let defaultPermille: [Int]
    var loans: [DemoLoan] = []
    var consents: Set<ConsentPair> = []
    var financedInvoices: Set<InvoiceID> = []
    /// Blocks emitted so far: the devnet commits each `DemoBlock` as one block, so a month's offers can name
    /// the height reached before the month as the committed height their decision rests on.
    public private(set) var blocksEmitted: UInt64 = 0
    /// The one transaction the ledger must refuse: a firm pledging a piece that already secures another loan.
    public internal(set) var doublePledge: ExpectedRefusal?
    /// The circular-trading ring's members (firm indices, in the order they invoice each other), empty if none.
    public let ring: [Int]
    /// Every invoice the ring issued among its members: each is confirmed and paid in full.
    public internal(set) var ringInvoices: [InvoiceID] = []
    /// Each firm's pieces in a warehouse's custody, oldest first.
    var custody: [[CustodyPiece]]
    /// Disputes raised this month, resolved on day 18.
    var openDisputes: [OpenDispute] = []
    /// Invoices whose dispute was resolved without cancelling them, at their resolved amount: confirmed on day 22.
    var resolvedInvoices: [IssuedInvoice] = []
    /// Draws for custody, disputes, the ring and loan installments, each apart so that one does not shift another.
    var custodyRandom: DemoRandom
    var disputeRandom: DemoRandom
    var ringRandom: DemoRandom
    var installmentRandom: DemoRandom

    public static let daysPerMonth: Int64 = 30

    public init(consortium: DemoConsortium) {
        self.consortium = consortium
        let root = DemoRandom(seed: consortium.settings.seed)
        var firmRandom = root.fork(1)
        var made = HistoryGenerator.makeFirms(consortium, &firmRandom)
        var ringChoice = root.fork(4)
        ring = HistoryGenerator.chooseRing(&made, consortium.settings, &ringChoice)
        firms = made
        random = root.fork(2)
        financeRandom = root.fork(3)
        defaultPermille = HistoryGenerator.defaultProbabilities(firms, target: consortium.settings.defaultRatePermille)
        prices = consortium.seed.prices.map(\.startMinorPerUnit)
        stock = Array(repeating: [], count: firms.count)
        custody = Array(repeating: [], count: firms.count)
        custodyRandom = root.fork(5)
        disputeRandom = root.fork(6)
        ringRandom = root.fork(7)
        installmentRandom = root.fork(8)
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
        emit(0, admitFirms() + publishPrices() + registerDemoModel())
        emit(2, registerPieces())
        emit(3, moveCustody())
        let (offers, acceptances) = openLoans(heightBeforeMonth: blocksEmitted)
        emit(4, offers)
        emit(5, acceptances)
        let (invoiceTransactions, invoices) = issueInvoices(at: at(day: 8))
        let (ringTransactions, circular) = issueRingInvoices(at: at(day: 8))
        emit(8, invoiceTransactions + ringTransactions)
        emit(10, auditStock())
        let (disputes, undisputed) = raiseDisputes(invoices)
        emit(12, disputes)
        emit(15, confirmInvoices(undisputed) + confirmRingInvoices(circular))
        emit(18, resolveDisputes())
        emit(20, serviceLoans())
        emit(22, confirmResolvedInvoices())
        emit(25, pay())
        emit(28, settleLivestream(invoices, from: at(day: 0), to: at(day: 28)))
        blocksEmitted += UInt64(blocks.count)
        let result = HistoryMonth(index: month, blocks: blocks)
        month += 1
        return result
    }

    /// Signs a body as `member` with its next nonce: bodies must be signed in the order their blocks are emitted.
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
