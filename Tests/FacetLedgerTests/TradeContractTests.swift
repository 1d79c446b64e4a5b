import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// An amount in whole yuan (or whole units of another two-digit currency).
private func cny(_ whole: Int64, _ currency: Currency = .cny) -> Money {
    guard let amount = try? Money(minorUnits: whole * 100, currency: currency) else {
        preconditionFailure("test amount out of range")
    }
    return amount
}

private func usd(_ whole: Int64) -> Money { cny(whole, .usd) }

private func later(_ time: Timestamp, days: Int64 = 0, millis: Int64 = 0) -> Timestamp {
    Timestamp(uncheckedMillis: time.millis + days * Timestamp.millisPerDay + millis)
}

/// Test setup for trade: pieces come from the inventory family, so they are injected straight into state.
extension LedgerFixture {
    fileprivate func piece(_ id: PieceID) -> Piece? { state.record(Piece.self, id.hash) }
    fileprivate func invoice(_ id: InvoiceID) -> Invoice? { state.record(Invoice.self, id.hash) }
    fileprivate func dispute(_ id: DisputeID) -> Dispute? { state.record(Dispute.self, id.hash) }

    /// A gold piece owned by `owner`; `adjust` sets what a case needs (pledge, lock, status, custody).
    fileprivate mutating func addPiece(_ n: UInt8, owner: String, _ adjust: (inout Piece) -> Void = { _ in })
        -> PieceID
    {
        let id = PieceID(SHA256Hash.digest([n]))
        let card = IdentityCard(category: .gold, weight: 12_500, fineness: 999, description: "bangle")
        var piece = Piece(id: id, owner: self.id(owner), card: card, certificate: nil, registeredAt: time)
        adjust(&piece)
        inject(piece, id: id.hash)
        return id
    }

    fileprivate func invoiceBody(
        buyer: String? = "firmB", amount: Money = cny(1_000), dueAt: Timestamp? = nil, pieces: [PieceID] = [],
        channel: SalesChannel = .wholesale
    ) -> TransactionBody {
        let buyerID = buyer.map { self.id($0) }
        return .issueInvoice(
            IssueInvoice(
                buyer: buyerID, amount: amount, dueAt: dueAt ?? later(time, days: 30),
                pieces: pieces.sorted(), channel: channel))
    }

    /// Issues an invoice that the case expects to be accepted, and returns its id.
    fileprivate mutating func issue(
        _ seller: String = "firmA", buyer: String? = "firmB", amount: Money = cny(1_000), pieces: [PieceID] = [],
        channel: SalesChannel = .wholesale
    ) -> InvoiceID {
        let transaction = sign(seller, invoiceBody(buyer: buyer, amount: amount, pieces: pieces, channel: channel))
        let accepted = run([transaction]).results[0].accepted
        #expect(accepted, "setup: issuing an invoice")
        return InvoiceID(transaction.id.hash)
    }

    fileprivate mutating func raise(_ invoice: InvoiceID, by party: String = "firmB") -> DisputeID {
        let transaction = sign(party, .raiseDispute(.init(invoice: invoice, reason: "short weight")))
        let accepted = run([transaction]).results[0].accepted
        #expect(accepted, "setup: raising a dispute")
        return DisputeID(transaction.id.hash)
    }

    fileprivate mutating func resolve(_ dispute: DisputeID, _ outcome: DisputeOutcome) {
        let result = submit("conciliator", .resolveDispute(.init(dispute: dispute, outcome: outcome, note: "heard")))
        #expect(result.accepted, "setup: resolving a dispute")
    }

    fileprivate mutating func cancel(_ invoice: InvoiceID) {
        let dispute = raise(invoice)
        resolve(dispute, .cancelled)
    }

    fileprivate mutating func pay(_ invoice: InvoiceID, _ amount: Money, by payer: String = "firmB") {
        let accepted = submit(payer, .payInvoice(.init(invoice: invoice, amount: amount))).accepted
        #expect(accepted, "setup: paying")
    }

    /// Marks an invoice as securing a loan, as the finance family's pledge would.
    fileprivate mutating func pledge(_ invoice: InvoiceID, to loan: LoanID) {
        guard var record = self.invoice(invoice) else { preconditionFailure("no invoice to pledge") }
        record.pledgedTo = loan
        record.financed = true
        inject(record, id: invoice.hash)
    }

    fileprivate mutating func suspend(_ name: String) {
        let accepted = submit("admin", .suspendMember(.init(member: id(name), reason: "audit"))).accepted
        #expect(accepted, "setup: suspending \(name)")
    }

    /// Admits a member holding several roles (the fixture's cast holds one each).
    fileprivate mutating func admit(_ name: String, roles: Roles) {
        let actor = addOutsider(name, roles: roles)
        let body = RegisterMember(name: name, roles: roles, publicKey: actor.key.publicKey)
        let accepted = submit("admin", .registerMember(body)).accepted
        #expect(accepted, "setup: admitting \(name)")
    }

    /// Asserts a refusal with `code` that left the state root where it was.
    fileprivate mutating func expectRefusal(
        _ signer: String, _ body: TransactionBody, _ code: LedgerError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let outcome = refusal(signer, body)
        #expect(outcome.code == code, sourceLocation: sourceLocation)
        #expect(outcome.unchanged, "a refusal must change nothing", sourceLocation: sourceLocation)
    }
}

private let stranger = MemberID(SHA256Hash.digest([0xEE]))
private let aLoan = LoanID(SHA256Hash.digest([0x10, 0xA7]))

@Suite struct TradeContractTests {
    // MARK: - issue

    @Test func wholesaleInvoiceLocksItsPiecesToTheInvoice() {
        var f = LedgerFixture()
        let ring = f.addPiece(1, owner: "firmA")
        let bangle = f.addPiece(2, owner: "firmA")
        let transaction = f.sign("firmA", f.invoiceBody(amount: cny(1_000), pieces: [ring, bangle]))
        #expect(f.run([transaction]).results[0].accepted)
        let id = InvoiceID(transaction.id.hash)
        let invoice = f.invoice(id)
        #expect(invoice?.seller == f.id("firmA"))
        #expect(invoice?.buyer == f.id("firmB"))
        #expect(invoice?.amount == cny(1_000))
        #expect(invoice?.paid == cny(0))
        #expect(invoice?.issuedAt == f.time)
        #expect(invoice?.dueAt == later(f.time, days: 30, millis: -1_000))
        #expect(invoice?.pieces == [ring, bangle].sorted())
        #expect(invoice?.channel == .wholesale)
        #expect(invoice?.confirmedAt == nil)
        #expect(invoice?.cancelled == false)
        for piece in [ring, bangle] {
            #expect(f.piece(piece)?.onInvoice == id)
            #expect(f.piece(piece)?.owner == f.id("firmA"))
            #expect(f.piece(piece)?.status == .active)
        }
    }

    @Test func consumerSaleSellsItsPiecesAtOnce() {
        var f = LedgerFixture()
        let pendant = f.addPiece(1, owner: "firmA")
        let id = f.issue(buyer: nil, amount: cny(2_000), pieces: [pendant], channel: .retail)
        #expect(f.invoice(id)?.buyer == nil)
        #expect(f.invoice(id)?.pieces == [pendant])
        #expect(f.piece(pendant)?.status == .sold)
        #expect(f.piece(pendant)?.onInvoice == nil)
        #expect(f.piece(pendant)?.owner == f.id("firmA"))
        let livestream = f.issue(buyer: nil, amount: cny(300), channel: .livestream)
        #expect(f.invoice(livestream)?.channel == .livestream)
        #expect(f.invoice(livestream)?.pieces == [])
    }

    @Test func dueDateMayBeTheBlockTime() {
        var f = LedgerFixture()
        let nextBlockTime = later(f.time, millis: 1_000)
        #expect(f.submit("firmA", f.invoiceBody(dueAt: nextBlockTime)).accepted)
    }

    @Test func issueRefusalsOfTheInvoice() {
        var f = LedgerFixture()
        f.expectRefusal("bank", f.invoiceBody(), .missingRole)
        f.expectRefusal("firmA", f.invoiceBody(amount: cny(0)), .invalidAmount)
        f.expectRefusal("firmA", f.invoiceBody(amount: cny(-5)), .invalidAmount)
        f.expectRefusal("firmA", f.invoiceBody(dueAt: f.time), .invalidDate)
        f.expectRefusal("firmA", f.invoiceBody(buyer: "firmA"), .selfDealing)
        f.expectRefusal("firmA", f.invoiceBody(buyer: "bank"), .missingRole)
        f.expectRefusal("firmA", f.invoiceBody(buyer: nil, channel: .wholesale), .buyerRequired)
        f.expectRefusal("firmA", f.invoiceBody(buyer: nil, channel: .export), .buyerRequired)
        let unknownBuyer = IssueInvoice(
            buyer: stranger, amount: cny(10), dueAt: later(f.time, days: 1), pieces: [],
            channel: .export)
        f.expectRefusal("firmA", .issueInvoice(unknownBuyer), .unknownMember)
        f.suspend("firmC")
        f.expectRefusal("firmA", f.invoiceBody(buyer: "firmC"), .memberNotActive)
    }

    @Test func issueRefusalsOfThePieces() {
        var f = LedgerFixture()
        let free = f.addPiece(1, owner: "firmA")
        let others = f.addPiece(2, owner: "firmB")
        let sold = f.addPiece(3, owner: "firmA") { $0.status = .sold }
        let pledged = f.addPiece(4, owner: "firmA") { $0.pledgedTo = aLoan }
        let locked = f.addPiece(5, owner: "firmA") { $0.onInvoice = InvoiceID(SHA256Hash.digest([5])) }
        f.expectRefusal("firmA", f.invoiceBody(pieces: [PieceID(SHA256Hash.digest([99]))]), .unknownPiece)
        f.expectRefusal("firmA", f.invoiceBody(pieces: [others]), .notOwner)
        f.expectRefusal("firmA", f.invoiceBody(pieces: [sold]), .pieceNotActive)
        f.expectRefusal("firmA", f.invoiceBody(buyer: nil, pieces: [pledged], channel: .retail), .piecePledged)
        f.expectRefusal("firmA", f.invoiceBody(pieces: [free, pledged]), .piecePledged)
        f.expectRefusal("firmA", f.invoiceBody(pieces: [free, locked]), .pieceLocked)
        #expect(f.piece(free)?.onInvoice == nil)
        _ = f.issue(pieces: [free])
        f.expectRefusal("firmA", f.invoiceBody(buyer: "firmC", pieces: [free]), .pieceLocked)
        f.expectRefusal("firmA", f.invoiceBody(buyer: nil, pieces: [free], channel: .livestream), .pieceLocked)
    }

    // MARK: - confirm

    @Test func confirmationHandsThePiecesToTheBuyerWhereTheyLie() {
        var f = LedgerFixture()
        let custody = Custody(warehouse: f.id("warehouse"), bonded: true, since: f.time)
        let stone = f.addPiece(1, owner: "firmA") { $0.custody = custody }
        let id = f.issue(pieces: [stone])
        #expect(f.submit("firmB", .confirmInvoice(.init(invoice: id))).accepted)
        #expect(f.invoice(id)?.confirmedAt == f.time)
        #expect(f.piece(stone)?.owner == f.id("firmB"))
        #expect(f.piece(stone)?.onInvoice == nil)
        #expect(f.piece(stone)?.custody == custody)
        // The buyer now owns the piece outright and can sell it on.
        let resale = f.issue("firmB", buyer: "firmC", pieces: [stone])
        #expect(f.piece(stone)?.onInvoice == resale)
    }

    @Test func confirmRefusals() {
        var f = LedgerFixture()
        let id = f.issue()
        let consumer = f.issue(buyer: nil, channel: .retail)
        f.expectRefusal("firmB", .confirmInvoice(.init(invoice: InvoiceID(SHA256Hash.digest([7])))), .unknownInvoice)
        f.expectRefusal("firmC", .confirmInvoice(.init(invoice: id)), .notBuyer)
        f.expectRefusal("firmA", .confirmInvoice(.init(invoice: id)), .notBuyer)
        f.expectRefusal("firmB", .confirmInvoice(.init(invoice: consumer)), .notBuyer)
        let dispute = f.raise(id)
        f.expectRefusal("firmB", .confirmInvoice(.init(invoice: id)), .disputeOpen)
        f.resolve(dispute, .dismissed)
        #expect(f.submit("firmB", .confirmInvoice(.init(invoice: id))).accepted)
        f.expectRefusal("firmB", .confirmInvoice(.init(invoice: id)), .alreadyConfirmed)
        let cancelled = f.issue()
        f.cancel(cancelled)
        f.expectRefusal("firmB", .confirmInvoice(.init(invoice: cancelled)), .invoiceCancelled)
    }

    // MARK: - pay

    @Test func buyerAndBankPayInPartsBeforeConfirmation() {
        var f = LedgerFixture()
        let id = f.issue(amount: cny(1_000))
        #expect(f.submit("firmB", .payInvoice(.init(invoice: id, amount: cny(400)))).accepted)
        #expect(f.invoice(id)?.paid == cny(400))
        #expect(f.invoice(id)?.lastPaymentAt == f.time)
        #expect(f.invoice(id)?.isSettled == false)
        f.advance(days: 3)
        #expect(f.submit("bank", .payInvoice(.init(invoice: id, amount: cny(600)))).accepted)
        #expect(f.invoice(id)?.paid == cny(1_000))
        #expect(f.invoice(id)?.lastPaymentAt == f.time)
        #expect(f.invoice(id)?.isSettled == true)
        #expect(f.invoice(id)?.confirmedAt == nil)
    }

    @Test func pledgedInvoiceCanBePaid() {
        var f = LedgerFixture()
        let id = f.issue(amount: cny(1_000))
        f.pledge(id, to: aLoan)
        #expect(f.submit("bank", .payInvoice(.init(invoice: id, amount: cny(250)))).accepted)
        #expect(f.invoice(id)?.paid == cny(250))
        #expect(f.invoice(id)?.pledgedTo == aLoan)
    }

    @Test func payRefusals() {
        var f = LedgerFixture()
        let id = f.issue(amount: cny(1_000))
        let consumer = f.issue(buyer: nil, channel: .livestream)
        func pay(_ amount: Money, _ invoice: InvoiceID? = nil) -> TransactionBody {
            .payInvoice(.init(invoice: invoice ?? id, amount: amount))
        }
        f.expectRefusal("firmB", pay(cny(1), InvoiceID(SHA256Hash.digest([7]))), .unknownInvoice)
        f.expectRefusal("firmC", pay(cny(1)), .notAuthorized)
        f.expectRefusal("firmA", pay(cny(1)), .notAuthorized)
        f.expectRefusal("lender", pay(cny(1)), .notAuthorized)
        f.expectRefusal("firmB", pay(cny(1), consumer), .notAuthorized)
        f.expectRefusal("firmB", pay(cny(0)), .invalidAmount)
        f.expectRefusal("bank", pay(cny(-1)), .invalidAmount)
        f.expectRefusal("firmB", pay(usd(1)), .currencyMismatch)
        f.expectRefusal("firmB", pay(cny(1_001)), .overpayment)
        f.pay(id, cny(600))
        f.expectRefusal("bank", pay(cny(401)), .overpayment)
        f.pay(id, cny(400), by: "bank")
        f.expectRefusal("firmB", pay(cny(1)), .overpayment)
        let cancelled = f.issue()
        f.cancel(cancelled)
        f.expectRefusal("firmB", pay(cny(1), cancelled), .invoiceCancelled)
    }

    // MARK: - raise a dispute

    @Test func eitherPartyRaisesADispute() {
        var f = LedgerFixture()
        let id = f.issue()
        let transaction = f.sign("firmB", .raiseDispute(.init(invoice: id, reason: "stone swapped")))
        #expect(f.run([transaction]).results[0].accepted)
        let disputeID = DisputeID(transaction.id.hash)
        let dispute = f.dispute(disputeID)
        #expect(dispute?.invoice == id)
        #expect(dispute?.raisedBy == f.id("firmB"))
        #expect(dispute?.reason == "stone swapped")
        #expect(dispute?.raisedAt == f.time)
        #expect(dispute?.outcome == nil)
        #expect(f.invoice(id)?.openDispute == disputeID)
        let consumer = f.issue(buyer: nil, channel: .retail)
        let sellers = f.raise(consumer, by: "firmA")
        #expect(f.dispute(sellers)?.raisedBy == f.id("firmA"))
        #expect(f.invoice(consumer)?.openDispute == sellers)
    }

    @Test func raiseDisputeRefusals() {
        var f = LedgerFixture()
        let id = f.issue()
        let consumer = f.issue(buyer: nil, channel: .retail)
        func raise(_ invoice: InvoiceID) -> TransactionBody { .raiseDispute(.init(invoice: invoice, reason: "late")) }
        f.expectRefusal("firmB", raise(InvoiceID(SHA256Hash.digest([7]))), .unknownInvoice)
        f.expectRefusal("firmC", raise(id), .notParty)
        f.expectRefusal("conciliator", raise(id), .notParty)
        f.expectRefusal("firmB", raise(consumer), .notParty)
        _ = f.raise(id)
        f.expectRefusal("firmA", raise(id), .disputeOpen)
        let cancelled = f.issue()
        f.cancel(cancelled)
        f.expectRefusal("firmA", raise(cancelled), .invoiceCancelled)
    }

    // MARK: - resolve a dispute

    @Test func dismissalOnlyClosesTheDispute() {
        var f = LedgerFixture()
        let piece = f.addPiece(1, owner: "firmA")
        let id = f.issue(pieces: [piece])
        f.pay(id, cny(100))
        let before = f.invoice(id)
        let dispute = f.raise(id)
        f.resolve(dispute, .dismissed)
        #expect(f.invoice(id) == before)
        #expect(f.dispute(dispute)?.outcome == .dismissed)
        #expect(f.dispute(dispute)?.resolvedBy == f.id("conciliator"))
        #expect(f.dispute(dispute)?.resolvedAt == f.time)
    }

    @Test func adjustmentLowersTheInvoiceButNotBelowWhatWasPaid() {
        var f = LedgerFixture()
        let id = f.issue(amount: cny(1_000))
        f.pay(id, cny(300))
        let first = f.raise(id)
        f.resolve(first, .adjusted(cny(800)))
        #expect(f.invoice(id)?.amount == cny(800))
        #expect(f.invoice(id)?.paid == cny(300))
        #expect(f.invoice(id)?.openDispute == nil)
        f.expectRefusal("firmB", .payInvoice(.init(invoice: id, amount: cny(501))), .overpayment)
        f.pay(id, cny(200))
        let dispute = f.raise(id, by: "firmA")
        f.resolve(dispute, .adjusted(cny(500)))
        #expect(f.invoice(id)?.amount == cny(500))
        #expect(f.invoice(id)?.isSettled == true)
        #expect(f.dispute(dispute)?.outcome == .adjusted(cny(500)))
    }

    @Test func cancellationReturnsWaitingPiecesToTheSeller() {
        var f = LedgerFixture()
        let piece = f.addPiece(1, owner: "firmA")
        let id = f.issue(pieces: [piece])
        let dispute = f.raise(id)
        f.resolve(dispute, .cancelled)
        #expect(f.invoice(id)?.cancelled == true)
        #expect(f.invoice(id)?.openDispute == nil)
        #expect(f.dispute(dispute)?.outcome == .cancelled)
        #expect(f.piece(piece)?.onInvoice == nil)
        #expect(f.piece(piece)?.owner == f.id("firmA"))
        let again = f.issue(buyer: "firmC", pieces: [piece])
        #expect(f.piece(piece)?.onInvoice == again)
    }

    @Test func cancellationAfterConfirmationLeavesPiecesWithTheBuyer() {
        var f = LedgerFixture()
        let piece = f.addPiece(1, owner: "firmA")
        let id = f.issue(pieces: [piece])
        #expect(f.submit("firmB", .confirmInvoice(.init(invoice: id))).accepted)
        f.cancel(id)
        #expect(f.invoice(id)?.cancelled == true)
        #expect(f.piece(piece)?.owner == f.id("firmB"))
        #expect(f.piece(piece)?.onInvoice == nil)
    }

    @Test func cancelledPledgedInvoiceStaysPledged() {
        var f = LedgerFixture()
        let id = f.issue()
        f.pledge(id, to: aLoan)
        f.cancel(id)
        #expect(f.invoice(id)?.cancelled == true)
        #expect(f.invoice(id)?.pledgedTo == aLoan)
    }

    @Test func resolveRefusals() {
        var f = LedgerFixture()
        let id = f.issue(amount: cny(1_000))
        f.pay(id, cny(300))
        let dispute = f.raise(id)
        func resolve(_ outcome: DisputeOutcome, _ which: DisputeID? = nil) -> TransactionBody {
            .resolveDispute(.init(dispute: which ?? dispute, outcome: outcome, note: ""))
        }
        f.expectRefusal("firmA", resolve(.dismissed), .missingRole)
        f.expectRefusal("conciliator", resolve(.dismissed, DisputeID(SHA256Hash.digest([7]))), .unknownDispute)
        f.expectRefusal("conciliator", resolve(.adjusted(usd(500))), .currencyMismatch)
        f.expectRefusal("conciliator", resolve(.adjusted(cny(0))), .invalidAmount)
        f.expectRefusal("conciliator", resolve(.adjusted(cny(-1))), .invalidAmount)
        f.expectRefusal("conciliator", resolve(.adjusted(cny(299))), .invalidAmount)
        f.expectRefusal("conciliator", resolve(.adjusted(cny(1_001))), .invalidAmount)
        f.resolve(dispute, .adjusted(cny(300)))
        f.expectRefusal("conciliator", resolve(.cancelled), .disputeClosed)
    }

    @Test func aConciliatorCannotResolveItsOwnDispute() {
        var f = LedgerFixture()
        f.admit("judge", roles: [.firm, .conciliator])
        let id = f.issue(buyer: "judge")
        let dispute = f.raise(id, by: "judge")
        let body = TransactionBody.resolveDispute(.init(dispute: dispute, outcome: .cancelled, note: ""))
        f.expectRefusal("judge", body, .selfDealing)
        #expect(f.submit("conciliator", body).accepted)
    }

    // MARK: - platform settlement

    @Test func platformAttestsASellersPeriodOnce() {
        var f = LedgerFixture()
        let start = f.time
        f.advance(days: 31)
        let body = SettlePlatformSales(
            seller: f.id("firmA"), periodStart: start, periodEnd: later(start, days: 30),
            gross: cny(50_000), orders: 412, refunds: cny(50_000))
        #expect(f.submit("platform", .settlePlatformSales(body)).accepted)
        let expected = PlatformSettlement(
            platform: f.id("platform"), seller: f.id("firmA"), periodStart: start,
            periodEnd: later(start, days: 30), gross: cny(50_000), orders: 412,
            refunds: cny(50_000))
        #expect(f.state.record(PlatformSettlement.self, expected.key) == expected)
        var nextPeriod = body
        nextPeriod.periodStart = later(start, days: 30)
        nextPeriod.periodEnd = later(start, days: 31, millis: 1_000)
        #expect(f.submit("platform", .settlePlatformSales(nextPeriod)).accepted)
        var otherSeller = body
        otherSeller.seller = f.id("firmB")
        #expect(f.submit("platform", .settlePlatformSales(otherSeller)).accepted)
        f.expectRefusal("platform", .settlePlatformSales(body), .settlementExists)
    }

    @Test func settleRefusals() {
        var f = LedgerFixture()
        let start = f.time
        f.advance(days: 31)
        func settle(
            _ seller: MemberID? = nil, start periodStart: Timestamp? = nil, end: Timestamp? = nil,
            gross: Money = cny(10_000), refunds: Money = cny(100)
        ) -> TransactionBody {
            .settlePlatformSales(
                .init(
                    seller: seller ?? f.id("firmA"), periodStart: periodStart ?? start,
                    periodEnd: end ?? later(start, days: 30), gross: gross, orders: 9,
                    refunds: refunds))
        }
        f.expectRefusal("firmA", settle(), .missingRole)
        f.expectRefusal("platform", settle(stranger), .unknownMember)
        f.expectRefusal("platform", settle(f.id("bank")), .missingRole)
        f.expectRefusal("platform", settle(end: start), .invalidPeriod)
        f.expectRefusal("platform", settle(start: later(start, days: 2), end: later(start, days: 1)), .invalidPeriod)
        f.expectRefusal("platform", settle(end: later(f.time, millis: 1_001)), .invalidPeriod)
        f.expectRefusal("platform", settle(gross: cny(0)), .invalidAmount)
        f.expectRefusal("platform", settle(refunds: cny(-1)), .invalidAmount)
        f.expectRefusal("platform", settle(refunds: usd(1)), .currencyMismatch)
        f.expectRefusal("platform", settle(refunds: cny(10_001)), .invalidAmount)
        // The period may end exactly at the block time.
        #expect(f.submit("platform", settle(end: later(f.time, millis: 1_000))).accepted)
        f.expectRefusal("platform", settle(end: later(start, days: 5)), .settlementExists)
        f.suspend("firmC")
        f.expectRefusal("platform", settle(f.id("firmC")), .memberNotActive)
    }

    @Test func aPlatformCannotAttestItsOwnSales() {
        var f = LedgerFixture()
        f.admit("mall", roles: [.platform, .firm])
        let start = f.time
        f.advance(days: 2)
        let body = SettlePlatformSales(
            seller: f.id("mall"), periodStart: start, periodEnd: later(start, days: 1),
            gross: cny(900), orders: 3, refunds: cny(0))
        f.expectRefusal("mall", .settlePlatformSales(body), .selfDealing)
        #expect(f.submit("platform", .settlePlatformSales(body)).accepted)
    }
}
