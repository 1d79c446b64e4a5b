import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// Chooses the circular-trading ring: three to five firms of one cluster, the one with the most misbehaving
    /// firms (then the most firms). Its misbehaving firms come first, then the earliest members, poorest first;
    /// any honest firm drawn in becomes misbehaving, with a quality to match. No ring without a fraud share or
    /// without a cluster of three firms.
    static func chooseRing(_ firms: inout [FirmProfile], _ settings: GeneratorSettings, _ random: inout DemoRandom)
        -> [Int]
    {
        guard settings.fraudSharePermille > 0 else { return [] }
        let clusters = Array(Set(firms.map(\.cluster))).sorted()
        func members(_ cluster: Int) -> [Int] { firms.indices.filter { firms[$0].cluster == cluster } }
        func rank(_ cluster: Int) -> (Int, Int) {
            let indices = members(cluster)
            return (indices.filter { firms[$0].fraudulent }.count, indices.count)
        }
        guard let cluster = clusters.filter({ members($0).count >= 3 }).max(by: { rank($0) < rank($1) }) else {
            return []
        }
        let candidates = members(cluster).sorted { left, right in
            let a = firms[left]
            let b = firms[right]
            if a.fraudulent != b.fraudulent { return a.fraudulent }
            if a.joinMonth != b.joinMonth { return a.joinMonth < b.joinMonth }
            if a.quality != b.quality { return a.quality < b.quality }
            return left < right
        }
        let size = min(candidates.count, random.int(3...5))
        let ring = Array(candidates.prefix(size)).sorted()
        for index in ring where !firms[index].fraudulent {
            let firm = firms[index]
            firms[index] = FirmProfile(
                member: firm.member, cluster: firm.cluster, size: firm.size,
                quality: min(firm.quality, random.int(150...350)), fraudulent: true, joinMonth: firm.joinMonth,
                categories: firm.categories)
        }
        return ring
    }

    /// Day 8: once three of its members have joined, each ring member invoices the next in a circle for about the
    /// same large amount, without goods; the amounts go round, so each firm's revenue grows and none is out of
    /// pocket.
    mutating func issueRingInvoices(at time: Timestamp) -> ([Transaction], [IssuedInvoice]) {
        let active = ring.filter { firms[$0].joinMonth <= month }
        guard active.count >= 3 else { return ([], []) }
        let base = Int64(ringRandom.int(20_000_000...60_000_000))
        var transactions = [Transaction]()
        var invoices = [IssuedInvoice]()
        for (position, seller) in active.enumerated() {
            let buyer = active[(position + 1) % active.count]
            let amount = base * Int64(ringRandom.int(970...1_030)) / 1000
            let (transaction, invoice) = issue(
                seller: seller, buyer: buyer, amount: amount, pieces: [], channel: .wholesale, time: time, fake: false)
            transactions.append(transaction)
            invoices.append(invoice)
            ringInvoices.append(invoice.id)
        }
        return (transactions, invoices)
    }

    /// Day 15: ring members confirm each other's invoices, every one, and pay them in full this month.
    mutating func confirmRingInvoices(_ invoices: [IssuedInvoice]) -> [Transaction] {
        var transactions = [Transaction]()
        for invoice in invoices {
            guard let buyer = invoice.buyer else { preconditionFailure("ring invoices name their buyer") }
            transactions.append(sign(firms[buyer].member, .confirmInvoice(ConfirmInvoice(invoice: invoice.id))))
            plan(invoice, payer: firms[buyer].member, amount: invoice.amount, month: month)
        }
        return transactions
    }
}
