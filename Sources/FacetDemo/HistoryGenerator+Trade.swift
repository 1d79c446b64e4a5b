import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// Each active firm sells: to other firms (wholesale, export) or to consumers (retail, livestream), in its
    /// cluster's channel mix, with pieces from its stock when it has some, for amounts that grow (or shrink) with its
    /// quality over the months since it joined. A poorer firm sells more of its wholesale to one main buyer. A misbehaving firm
    /// adds invoices without goods to other firms, which they never confirm.
    mutating func issueInvoices(at time: Timestamp) -> ([Transaction], [IssuedInvoice]) {
        let active = activeFirms
        var transactions = [Transaction]()
        var invoices = [IssuedInvoice]()
        for index in active {
            let firm = firms[index]
            let channels = consortium.seed.clusters[firm.cluster].channelsPermille
            let weights = [channels.wholesale, channels.retail, channels.livestream, channels.export]
            let count = random.int([1...2, 2...4, 3...6][firm.size.rawValue])
            for _ in 0..<count {
                let channel = [SalesChannel.wholesale, .retail, .livestream, .export][random.weighted(weights)]
                let needsBuyer = channel == .wholesale || channel == .export
                let buyer = needsBuyer ? chooseBuyer(for: index, among: active) : nil
                if needsBuyer && buyer == nil { continue }
                let taken = takePieces(from: index)
                // The amount does not follow the pieces' reference value: a firm whose stock sits in a warehouse or
                // under pledge still sells (from goods off the ledger), so its revenue keeps its trend.
                let base = Int64(random.int(1_000_000...8_000_000))
                let markup = Int64(random.int(1_050...1_400)) * Int64(salesPermille(index)) / 1000
                let amount = max(100, base * markup / 1000)
                let (transaction, invoice) = issue(
                    seller: index, buyer: buyer, amount: amount, pieces: taken, channel: channel, time: time,
                    fake: false)
                transactions.append(transaction)
                invoices.append(invoice)
            }
            if firm.fraudulent, let buyer = otherFirm(than: index, among: active) {
                let amount = Int64(random.int(1_000_000...20_000_000))
                let (transaction, invoice) = issue(
                    seller: index, buyer: buyer, amount: amount, pieces: [], channel: .wholesale, time: time,
                    fake: true)
                transactions.append(transaction)
                invoices.append(invoice)
            }
        }
        return (transactions, invoices)
    }

    mutating func issue(
        seller: Int, buyer: Int?, amount: Int64, pieces: [StockPiece], channel: SalesChannel, time: Timestamp,
        fake: Bool
    ) -> (Transaction, IssuedInvoice) {
        let dueDays = buyer == nil ? 0 : [30, 60, 90][random.int(0...2)]
        let body = IssueInvoice(
            buyer: buyer.map { firms[$0].id }, amount: money(amount), dueAt: time.adding(days: UInt32(dueDays)),
            pieces: pieces.map(\.id), channel: channel)
        let transaction = sign(firms[seller].member, .issueInvoice(body))
        let invoice = IssuedInvoice(
            id: InvoiceID(transaction.id.hash), seller: seller, buyer: buyer, amount: amount, pieces: pieces,
            channel: channel, fake: fake)
        return (transaction, invoice)
    }

    /// One to three pieces from the front of the firm's free stock (oldest first).
    private mutating func takePieces(from firm: Int) -> [StockPiece] {
        let count = min(stock[firm].count, random.int(1...3))
        let taken = Array(stock[firm].prefix(count))
        stock[firm].removeFirst(count)
        return taken
    }

    /// A firm's prices and volume this month, in permille of an average firm's when it joined: a better firm sells
    /// more (140% at the top, 60% at the bottom) and wins business month after month (3.6% a month at the top,
    /// compounded), a poorer one loses it (3% a month at the bottom); kept within a fifth to five times.
    func salesPermille(_ index: Int) -> Int {
        let quality = firms[index].quality
        let monthly = (quality - 450) / 15
        var growth = 1000
        for _ in 0..<max(0, month - firms[index].joinMonth) {
            growth = min(5_000, max(200, growth * (1000 + monthly) / 1000))
        }
        return (600 + quality * 8 / 10) * growth / 1000
    }

    /// A business buyer: the seller's main buyer, more often the poorer the seller (70% at the bottom, 10% at the
    /// top: a weak firm depends on one customer, a strong one has many), else any other active firm.
    private mutating func chooseBuyer(for index: Int, among active: [Int]) -> Int? {
        if random.chance(permille: 700 - firms[index].quality * 6 / 10), let main = mainBuyer(of: index, among: active) {
            return main
        }
        return otherFirm(than: index, among: active)
    }

    /// The active firm ranked just above the seller by quality (the best firm's is the one just below): firms
    /// trade with their like, and a chain never closes into a cycle that looks like circular trading.
    func mainBuyer(of index: Int, among active: [Int]) -> Int? {
        let ranked = active.sorted { (firms[$0].quality, $0) < (firms[$1].quality, $1) }
        guard ranked.count > 1, let position = ranked.firstIndex(of: index) else { return nil }
        return position + 1 < ranked.count ? ranked[position + 1] : ranked[position - 1]
    }

    private mutating func otherFirm(than firm: Int, among active: [Int]) -> Int? {
        let others = active.filter { $0 != firm }
        guard !others.isEmpty else { return nil }
        return others[random.int(0...(others.count - 1))]
    }

    /// Buyers confirm most genuine invoices (more often the better the buyer and the seller) and never a fake one;
    /// confirmed pieces join the buyer's stock. Every invoice gets its payment plan: consumer sales are paid at once,
    /// through a bank (which vouches for them) or, more often the poorer the seller, in cash (left self-issued);
    /// business buyers pay on time, late, partly, or (rarely, and only poor ones) never.
    mutating func confirmInvoices(_ invoices: [IssuedInvoice]) -> [Transaction] {
        var transactions = [Transaction]()
        for invoice in invoices {
            let seller = firms[invoice.seller].quality
            guard let buyer = invoice.buyer else {
                if random.chance(permille: 450 + seller * 55 / 100) {
                    plan(invoice, payer: bank(), amount: invoice.amount, month: month)
                }
                continue
            }
            let quality = firms[buyer].quality
            guard !invoice.fake, random.chance(permille: 500 + quality / 5 + seller / 5) else { continue }
            transactions.append(sign(firms[buyer].member, .confirmInvoice(ConfirmInvoice(invoice: invoice.id))))
            stock[buyer] += invoice.pieces
            planBusinessPayment(invoice, buyer: buyer)
        }
        return transactions
    }

    mutating func planBusinessPayment(_ invoice: IssuedInvoice, buyer: Int) {
        let quality = firms[buyer].quality
        let payer = random.chance(permille: 300) ? bank() : firms[buyer].member
        let onTime = 300 + quality * 6 / 10
        let draw = random.int(0...999)
        if draw < onTime {
            plan(invoice, payer: payer, amount: invoice.amount, month: month)
        } else if draw < onTime + (1000 - onTime) / 2 {
            plan(invoice, payer: payer, amount: invoice.amount, month: month + random.int(1...3))
        } else {
            let part = invoice.amount * Int64(random.int(300...800)) / 1000
            plan(invoice, payer: payer, amount: part, month: month)
            if quality > 250 || random.chance(permille: 500) {
                plan(invoice, payer: payer, amount: invoice.amount - part, month: month + random.int(1...4))
            }
        }
    }

    mutating func plan(_ invoice: IssuedInvoice, payer: DemoMember, amount: Int64, month: Int) {
        guard amount > 0 else { return }
        payments.append(
            PlannedPayment(
                month: month, invoice: invoice.id, seller: invoice.seller, payer: payer, minorUnits: amount))
    }

    private mutating func bank() -> DemoMember {
        let banks = consortium.founders(with: .bank)
        return banks[random.int(0...(banks.count - 1))]
    }

    /// The payments planned for this month, in the order they were planned.
    mutating func pay() -> [Transaction] {
        let due = payments.filter { $0.month == month }
        payments.removeAll { $0.month <= month }
        return due.map { sign($0.payer, .payInvoice(PayInvoice(invoice: $0.invoice, amount: money($0.minorUnits)))) }
    }

    /// The livestream platform attests each seller's livestream sales of the month, less a few refunds.
    mutating func settleLivestream(_ invoices: [IssuedInvoice], from start: Timestamp, to end: Timestamp)
        -> [Transaction]
    {
        guard let platform = consortium.founders(with: .platform).first else { return [] }
        var transactions = [Transaction]()
        for index in activeFirms {
            let sales = invoices.filter { $0.seller == index && $0.channel == .livestream }
            let gross = sales.reduce(0) { $0 + $1.amount }
            guard gross > 0 else { continue }
            let refunds = gross * Int64(random.int(0...60)) / 1000
            let body = SettlePlatformSales(
                seller: firms[index].id, periodStart: start, periodEnd: end, gross: money(gross),
                orders: UInt32(sales.count), refunds: money(refunds))
            transactions.append(sign(platform, .settlePlatformSales(body)))
        }
        return transactions
    }
}
