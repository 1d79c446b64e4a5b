import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetWire
import Hummingbird

/// A firm's private records: invoices, payments, pledges and loans. Each is served from the firm's history index
/// (the transactions that created or changed its records, in a window of block time) and the current state,
/// never by scanning the ledger. Who may read what is `AccessPolicy`: the firm, an auditor and a lender holding its
/// active consent read the firm's records as a whole (the last two receipted to the firm); anyone else only the
/// records it is a party to.
extension NodeAPI {
    func addPrivateRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/v1/members/:id/invoices") { request, context in
            try await invoices(try await privateRead(request, context, what: "records.invoices"))
        }
        router.get("/v1/members/:id/payments") { request, context in
            try await payments(try await privateRead(request, context, what: "records.payments"))
        }
        router.get("/v1/members/:id/pledges") { request, context in
            try await pledges(try await privateRead(request, context, what: "records.pledges"))
        }
        router.get("/v1/members/:id/loans") { request, context in
            try await loans(try await privateRead(request, context, what: "records.loans"))
        }
    }

    /// What a private read works from, once the request is parsed, authenticated and the firm known.
    struct PrivateRead {
        let firm: MemberID
        let viewer: MemberID
        /// Whether the viewer reads the firm's records as a whole, rather than only those it is a party to.
        let whole: Bool
        let from: Timestamp?
        let to: Timestamp?

        var seesEverything: Bool { whole }

        /// Whether the viewer sees a record whose parties are `parties`.
        func allows(parties: [MemberID?]) -> Bool { whole || parties.contains(viewer) }
    }

    private static let issueInvoice: UInt8 = 20
    private static let payInvoice: UInt8 = 22
    private static let acceptOffer: UInt8 = 43

    /// 400 for a malformed id or window, 401 without a valid signature, 404 for an unknown firm. A read of the
    /// whole on a consent or as an auditor is receipted to the firm as `what`.
    private func privateRead(_ request: Request, _ context: BasicRequestContext, what: String) async throws
        -> PrivateRead
    {
        let firm = MemberID(try APIInput.id(context))
        let window = try APIInput.window(request)
        let viewer = try await signedMember(request)
        guard await node.record(Member.self, firm.hash) != nil else {
            throw APIError.notFound("no member \(firm.hex)")
        }
        let access = await node.firmAccess(firm, for: Reader(viewer), now: clock.now())
        if let access {
            try await receipt(firm: firm, basis: access.basis, consent: access.consent, reader: viewer.id, what: what)
        }
        return PrivateRead(firm: firm, viewer: viewer.id, whole: access != nil, from: window.from, to: window.to)
    }

    /// The answer, or 403 when a reader who is only a party shares none of the records asked for (`shared`,
    /// by default whether any item is visible).
    private func answer<T: Encodable>(_ items: [T], _ read: PrivateRead, truncated: Bool, shared: Bool? = nil) throws
        -> Response
    {
        guard read.seesEverything || (shared ?? !items.isEmpty) else {
            throw APIError.forbidden(
                "only the firm, a party to its records, or a lender with its consent may read them")
        }
        return truncatable(APIJSON.response(items), truncated)
    }

    private func history(_ read: PrivateRead, kind: UInt8) async throws(APIError) -> HistoryPager.Page {
        try await self.read { () async throws(StoreError) in
            try await HistoryPager(store: node.store).entries(
                subject: read.firm.hash, from: read.from, to: read.to, kinds: [kind])
        }
    }

    /// Invoices the firm issued or received in the window (by issue time), as they stand now.
    private func invoices(_ read: PrivateRead) async throws -> Response {
        let page = try await history(read, kind: Self.issueInvoice)
        let invoices = await node.records(Invoice.self, page.entries.filter(\.accepted).map(\.transactionID.hash))
        let visible = invoices.filter { read.allows(parties: [$0.seller, $0.buyer]) }
        let suspended = await node.suspended(among: visible.flatMap { [$0.seller] + ($0.buyer.map { [$0] } ?? []) })
        let bodies = visible.map { APIJSON.InvoiceBody($0, suspended: suspended) }
        return try answer(bodies, read, truncated: page.truncated)
    }

    /// Payments on the firm's invoices in the window, by whoever paid (the buyer or a bank).
    private func payments(_ read: PrivateRead) async throws -> Response {
        let page = try await history(read, kind: Self.payInvoice)
        var visible = [(entry: HistoryEntry, signer: MemberID)]()
        for entry in page.entries {
            let transaction = try await committed(entry.transactionID)
            guard case .payInvoice(let payment) = transaction.body else { continue }
            let invoice = await node.record(Invoice.self, payment.invoice.hash)
            guard read.allows(parties: [invoice?.seller, invoice?.buyer, transaction.signer]) else { continue }
            visible.append((entry, transaction.signer))
        }
        let suspended = await node.suspended(among: visible.map(\.signer))
        let bodies = visible.map { APIJSON.HistoryEntryBody($0.entry, signer: $0.signer, suspended: suspended) }
        return try answer(bodies, read, truncated: page.truncated)
    }

    /// The firm's loans, as borrower or lender, started in the window (all when there is none).
    private func firmLoans(_ read: PrivateRead) async throws(APIError) -> (loans: [Loan], truncated: Bool) {
        let page = try await history(read, kind: Self.acceptOffer)
        let loans = await node.records(Loan.self, page.entries.filter(\.accepted).map(\.transactionID.hash))
            .filter { $0.borrower == read.firm || $0.lender == read.firm }
        return (loans, page.truncated)
    }

    private func loans(_ read: PrivateRead) async throws -> Response {
        let found = try await firmLoans(read)
        let visible = found.loans.filter { read.allows(parties: [$0.lender, $0.borrower]) }
        return try answer(visible.map(APIJSON.LoanBody.init), read, truncated: found.truncated)
    }

    /// What the firm has pledged now, loan by loan. A lender sees the items securing its own loans.
    private func pledges(_ read: PrivateRead) async throws -> Response {
        let found = try await firmLoans(read)
        let visible = found.loans.filter { $0.borrower == read.firm && read.allows(parties: [$0.lender]) }
        let items = visible.flatMap { loan in
            loan.collateral.map { APIJSON.PledgeBody(loan: loan.id.hex, collateral: APIJSON.CollateralBody($0)) }
        }
        return try answer(items, read, truncated: found.truncated, shared: !visible.isEmpty)
    }
}
