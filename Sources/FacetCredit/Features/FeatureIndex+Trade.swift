import FacetCore
import FacetLedger

/// Trade: invoices, confirmations, payments, disputes and platform settlements.
extension FeatureIndex {
    mutating func issueInvoice(_ body: IssueInvoice, id: InvoiceID, seller: MemberID, time: Timestamp) {
        guard let amount = major(body.amount) else { return }
        let invoice = TrackedInvoice(
            id: id, seller: seller, buyer: body.buyer, amount: amount, issuedAt: time, dueAt: body.dueAt,
            channel: body.channel, pieces: body.pieces.sorted())
        invoices[id] = invoice
        if body.buyer == nil {
            // A consumer sale: the pieces leave the ledger at once.
            for piece in invoice.pieces { sell(piece, by: seller, time: time) }
        } else {
            firms[seller, default: FirmState(limit: settings.evidenceLimit)].openReceivables.insert(id)
        }
        reweigh(id)
    }

    mutating func confirmInvoice(_ id: InvoiceID, time: Timestamp) {
        guard var invoice = invoices[id], let buyer = invoice.buyer else { return }
        invoice.confirmed = true
        invoices[id] = invoice
        for piece in invoice.pieces {
            sell(piece, by: invoice.seller, time: time)
            transfer(piece, to: buyer)
        }
        if !invoice.isSettled {
            firms[buyer, default: FirmState(limit: settings.evidenceLimit)].openPayables.insert(id)
        }
        closePayableIfSettled(id, time: time)
        reweigh(id)
    }

    mutating func payInvoice(_ body: PayInvoice, payer: MemberID, time: Timestamp) {
        guard var invoice = invoices[body.invoice], let amount = major(body.amount) else { return }
        let byBank = payer != invoice.buyer && members[payer]?.roles.contains(.bank) == true
        if byBank { invoice.paidByBank += amount } else { invoice.paidByBuyer += amount }
        invoice.paidBy[payer, default: 0] += amount
        invoice.lastPaymentAt = time
        invoices[body.invoice] = invoice
        closePayableIfSettled(body.invoice, time: time)
        reweigh(body.invoice)
    }

    mutating func raiseDispute(_ invoiceID: InvoiceID, id: DisputeID) {
        guard let invoice = invoices[invoiceID] else { return }
        invoices[invoiceID]?.openDispute = id
        disputes[id] = invoiceID
        for party in [invoice.seller] + (invoice.buyer.map { [$0] } ?? []) {
            firms[party, default: FirmState(limit: settings.evidenceLimit)].openDisputes.insert(id)
        }
    }

    mutating func resolveDispute(_ body: ResolveDispute, time: Timestamp) {
        guard let invoiceID = disputes.removeValue(forKey: body.dispute), var invoice = invoices[invoiceID] else {
            return
        }
        for party in [invoice.seller] + (invoice.buyer.map { [$0] } ?? []) {
            firms[party]?.openDisputes.remove(body.dispute)
        }
        invoice.openDispute = nil
        switch body.outcome {
        case .dismissed: break
        case .adjusted(let amount): if let adjusted = major(amount) { invoice.amount = adjusted }
        case .cancelled: invoice.cancelled = true
        }
        invoices[invoiceID] = invoice
        if invoice.cancelled, let buyer = invoice.buyer {
            firms[buyer]?.openPayables.remove(invoiceID)
            firms[invoice.seller]?.openReceivables.remove(invoiceID)
        }
        closePayableIfSettled(invoiceID, time: time)
        reweigh(invoiceID)
    }

    mutating func settle(_ body: SettlePlatformSales, id: Hash256, platform: MemberID) {
        guard let gross = major(body.gross), let refunds = major(body.refunds) else { return }
        let net = max(0, gross - refunds)
        let weighted = net * settings.weights.platformSettled
        let month = FeatureIndex.month(of: body.periodEnd)
        settlements[id] = TrackedSettlement(seller: body.seller, platform: platform, month: month, net: net)
        update(body.seller, month: month) {
            $0.platformNet += net
            $0.largest.set(id, weighted)
        }
    }

    /// Moves an invoice's contribution to its month from what it counted to what it counts now.
    mutating func reweigh(_ id: InvoiceID) {
        guard var invoice = invoices[id] else { return }
        if invoice.cancelled || invoice.isSettled {
            firms[invoice.seller]?.openReceivables.remove(id)
        }
        let now = InvoiceFigures.of(invoice, settings.weights)
        let before = invoice.counted
        guard now != before else { return }
        invoice.counted = now
        invoices[id] = invoice
        let month = FeatureIndex.month(of: invoice.issuedAt)
        // A month older than every window was pruned: nothing reads it any more.
        if month >= FeatureIndex.month(of: time ?? invoice.issuedAt) - FeatureIndex.retainedMonths + 1 {
            count(invoice, month: month, now: now, before: before)
        }
    }

    private mutating func count(
        _ invoice: TrackedInvoice, month: Int64, now: InvoiceFigures, before: InvoiceFigures
    ) {
        let livestream = invoice.channel == .livestream
        update(invoice.seller, month: month) { bucket in
            if livestream {
                bucket.livestream.add(now, minus: before)
            } else {
                bucket.invoices.add(now, minus: before)
            }
            if let buyer = invoice.buyer {
                bucket.byBuyer[buyer, default: 0] += now.weighted - before.weighted
                bucket.creditSales += now.gross - before.gross
            }
            bucket.largest.set(invoice.id.hash, now.weighted)
        }
        guard invoice.channel == .wholesale, let buyer = invoice.buyer else { return }
        let edge = TradeEdge(seller: invoice.seller, buyer: buyer)
        let limit = settings.evidenceLimit
        trade[month, default: [:]][edge, default: EdgeFlow(limit: limit)].add(
            invoice.id.hash, now.weighted, minus: before.weighted)
        tradeChanged = true
    }

    /// Writes the buyer's payment record, in the month it was settled, once a confirmed invoice is fully paid: on
    /// time, or late by some days.
    private mutating func closePayableIfSettled(_ id: InvoiceID, time: Timestamp) {
        guard var invoice = invoices[id], let buyer = invoice.buyer, invoice.confirmed, !invoice.payableClosed,
            !invoice.cancelled, invoice.isSettled
        else { return }
        invoice.payableClosed = true
        invoices[id] = invoice
        firms[buyer]?.openPayables.remove(id)
        let paidAt = invoice.lastPaymentAt ?? time
        let daysLate = Double(paidAt.millis - invoice.dueAt.millis) / Double(Timestamp.millisPerDay)
        update(buyer, month: FeatureIndex.month(of: time)) { bucket in
            bucket.payablesSettled += 1
            if daysLate > 0 {
                bucket.payablesLate += 1
                bucket.lateRecords.set(id.hash, daysLate)
            }
        }
    }
}

extension InvoiceFigures {
    mutating func add(_ now: InvoiceFigures, minus before: InvoiceFigures) {
        gross += now.gross - before.gross
        vouched += now.vouched - before.vouched
        weighted += now.weighted - before.weighted
    }
}
