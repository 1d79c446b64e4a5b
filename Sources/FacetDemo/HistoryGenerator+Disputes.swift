import FacetCore
import FacetLedger

extension HistoryGenerator {
    /// A dispute awaiting the conciliator, and the month it is resolved in.
    struct OpenDispute: Sendable {
        let id: DisputeID
        let invoice: IssuedInvoice
        let resolveMonth: Int
    }

    /// Day 12: buyers dispute some invoices before confirming them, mostly those of poorer sellers (one in six of the
    /// poorest's, one in sixty at quality 900), and some of the invoices without goods a misbehaving firm sent them.
    /// Returns the disputes and the invoices left to confirm.
    mutating func raiseDisputes(_ invoices: [IssuedInvoice]) -> ([Transaction], [IssuedInvoice]) {
        var transactions = [Transaction]()
        var undisputed = [IssuedInvoice]()
        for invoice in invoices {
            guard let buyer = invoice.buyer else {
                undisputed.append(invoice)
                continue
            }
            let permille = invoice.fake ? 250 : (1000 - firms[invoice.seller].quality) / 6
            guard disputeRandom.chance(permille: permille) else {
                undisputed.append(invoice)
                continue
            }
            let reason =
                invoice.fake
                ? "no goods were delivered against this invoice"
                : ["pieces below their cards' grades", "short weight on delivery", "price above the agreed one"][
                    disputeRandom.int(0...2)]
            let transaction = sign(
                firms[buyer].member, .raiseDispute(RaiseDispute(invoice: invoice.id, reason: reason)))
            transactions.append(transaction)
            // A poorer seller contests longer: its dispute waits one to three months more, more often.
            let delay =
                disputeRandom.chance(permille: (1000 - firms[invoice.seller].quality) * 6 / 10)
                ? disputeRandom.int(1...3) : 0
            openDisputes.append(
                OpenDispute(id: DisputeID(transaction.id.hash), invoice: invoice, resolveMonth: month + delay))
        }
        return (transactions, undisputed)
    }

    /// Day 18: the conciliator resolves the disputes due this month. An invoice without goods is cancelled; a genuine one
    /// is more often upheld (dismissed) the better its seller, else lowered or cancelled. A cancelled invoice's
    /// pieces go back to the seller's stock; the others wait for their buyer's confirmation on day 22.
    mutating func resolveDisputes() -> [Transaction] {
        guard let conciliator = consortium.founders(with: .conciliator).first else {
            preconditionFailure("the consortium was validated to have a conciliator")
        }
        var resolutions = [Transaction]()
        for dispute in openDisputes where dispute.resolveMonth <= month {
            let invoice = dispute.invoice
            let outcome = drawDisputeOutcome(invoice)
            let note: String
            var amount = invoice.amount
            switch outcome {
            case .dismissed:
                note = "the invoice stands as issued"
            case .adjusted(let adjusted):
                note = "the invoice is lowered to the goods delivered"
                amount = adjusted.minorUnits
            case .cancelled:
                note = "the invoice is void"
            }
            let body = ResolveDispute(dispute: dispute.id, outcome: outcome, note: note)
            resolutions.append(sign(conciliator, .resolveDispute(body)))
            guard outcome != .cancelled else {
                stock[invoice.seller] += invoice.pieces
                continue
            }
            resolvedInvoices.append(
                IssuedInvoice(
                    id: invoice.id, seller: invoice.seller, buyer: invoice.buyer, amount: amount,
                    pieces: invoice.pieces, channel: invoice.channel, fake: false))
        }
        openDisputes.removeAll { $0.resolveMonth <= month }
        return resolutions
    }

    /// Day 22: buyers confirm the invoices that stand after their dispute, at the resolved amount, and plan their
    /// payment like any other business invoice.
    mutating func confirmResolvedInvoices() -> [Transaction] {
        var confirmations = [Transaction]()
        for invoice in resolvedInvoices {
            guard let buyer = invoice.buyer else { preconditionFailure("only invoices with a buyer are disputed") }
            confirmations.append(sign(firms[buyer].member, .confirmInvoice(ConfirmInvoice(invoice: invoice.id))))
            stock[buyer] += invoice.pieces
            planBusinessPayment(invoice, buyer: buyer)
        }
        resolvedInvoices = []
        return confirmations
    }

    private mutating func drawDisputeOutcome(_ invoice: IssuedInvoice) -> DisputeOutcome {
        if invoice.fake { return .cancelled }
        if disputeRandom.chance(permille: 250 + firms[invoice.seller].quality / 2) { return .dismissed }
        if disputeRandom.chance(permille: 650) {
            let lowered = max(1, invoice.amount * Int64(disputeRandom.int(700...950)) / 1000)
            return .adjusted(money(lowered))
        }
        return .cancelled
    }
}
