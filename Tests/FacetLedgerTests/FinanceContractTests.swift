import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

// MARK: - Setup helpers (file-private: other families' tests may define their own)

private func cny(_ minorUnits: Int64) -> Money {
    guard let money = try? Money(minorUnits: minorUnits, currency: .cny) else { preconditionFailure("bad amount") }
    return money
}

private func hkd(_ minorUnits: Int64) -> Money {
    guard let money = try? Money(minorUnits: minorUnits, currency: .hkd) else { preconditionFailure("bad amount") }
    return money
}

private func pieceID(_ n: UInt8) -> PieceID { PieceID(SHA256Hash.digest([1, n])) }
private func invoiceID(_ n: UInt8) -> InvoiceID { InvoiceID(SHA256Hash.digest([2, n])) }
private let unknownLoan = LoanID(SHA256Hash.digest([9, 9, 9]))

extension LedgerFixture {
    /// The model the finance tests' offers name.
    fileprivate static let model = SHA256Hash.digest(Array("model-v1".utf8))

    /// The standard cast with the offers' model registered by the lender (offers may name only a registered one).
    fileprivate static func finance(seed: UInt64 = 1) -> LedgerFixture {
        var fixture = LedgerFixture(seed: seed)
        guard let name = try? Label("model-v1") else { preconditionFailure("a label") }
        fixture.expectAccepted("lender", .registerModel(.init(modelHash: model, name: name)))
        return fixture
    }

    /// The time of the next block, which `run` stamps one second after the last.
    fileprivate var nextBlockTime: Timestamp { Timestamp(uncheckedMillis: time.millis + 1_000) }

    fileprivate func later(days: Int64) -> Timestamp {
        Timestamp(uncheckedMillis: time.millis + days * Timestamp.millisPerDay)
    }

    /// A gold piece in `owner`'s stock, placed straight into state (inventory contracts are not this family's).
    @discardableResult
    fileprivate mutating func injectPiece(_ n: UInt8, owner: String, edit: (inout Piece) -> Void = { _ in })
        -> PieceID
    {
        var piece = Piece(
            id: pieceID(n), owner: id(owner), card: IdentityCard(category: .gold, weight: 10_000),
            certificate: nil, registeredAt: time)
        edit(&piece)
        inject(piece, id: piece.id.hash)
        return piece.id
    }

    /// An unpaid invoice from `seller` to `buyer`, placed straight into state.
    @discardableResult
    fileprivate mutating func injectInvoice(
        _ n: UInt8, seller: String, buyer: String = "firmC",
        edit: (inout Invoice) -> Void = { _ in }
    ) -> InvoiceID {
        var invoice = Invoice(
            id: invoiceID(n), seller: id(seller), buyer: id(buyer), amount: cny(500_000),
            issuedAt: time, dueAt: later(days: 60), pieces: [], channel: .wholesale)
        edit(&invoice)
        inject(invoice, id: invoice.id.hash)
        return invoice.id
    }

    fileprivate func piece(_ id: PieceID) -> Piece? { state.record(Piece.self, id.hash) }
    fileprivate func invoice(_ id: InvoiceID) -> Invoice? { state.record(Invoice.self, id.hash) }
    fileprivate func loan(_ id: LoanID) -> Loan? { state.record(Loan.self, id.hash) }
    fileprivate func offer(_ id: OfferID) -> Offer? { state.record(Offer.self, id.hash) }
    fileprivate func consent(_ firm: String, _ lender: String) -> Consent? {
        state.record(Consent.self, Consent.key(firm: id(firm), lender: id(lender)))
    }

    /// Submits a transaction that must be refused with `code` and leave the state root where it was.
    fileprivate mutating func expectRefusal(
        _ signer: String, _ body: TransactionBody, _ code: LedgerError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = refusal(signer, body)
        #expect(result.code == code, sourceLocation: sourceLocation)
        #expect(result.unchanged, "a refusal moved the state root", sourceLocation: sourceLocation)
    }

    fileprivate mutating func expectAccepted(
        _ signer: String, _ body: TransactionBody,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = submit(signer, body)
        #expect(result.accepted, "refused: \(String(describing: result.error))", sourceLocation: sourceLocation)
    }

    fileprivate mutating func grant(_ firm: String, to lender: String, expiresAt: Timestamp? = nil) {
        expectAccepted(firm, .grantConsent(.init(lender: id(lender), expiresAt: expiresAt)))
    }

    /// Offer terms that pass every check, for tests to spoil one field at a time.
    fileprivate func terms(for firm: String, collateral: [Collateral] = []) -> MakeOffer {
        MakeOffer(
            firm: id(firm), product: .inventoryPledge, principal: cny(1_000_000), rateBasisPoints: 850,
            termDays: 90, modelHash: LedgerFixture.model, ledgerHeight: state.height,
            expiresAt: later(days: 7), collateral: collateral)
    }

    /// Makes an offer through the contract; returns its id.
    fileprivate mutating func makeOffer(
        _ lender: String, _ body: MakeOffer,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> OfferID {
        let transaction = sign(lender, .makeOffer(body))
        let result = run([transaction]).results[0]
        #expect(result.accepted, "offer refused: \(String(describing: result.error))", sourceLocation: sourceLocation)
        return LedgerFixture.created(transaction)
    }

    /// Accepts an offer through the contract; returns the loan's id.
    fileprivate mutating func accept(
        _ firm: String, _ offer: OfferID,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> LoanID {
        let transaction = sign(firm, .acceptOffer(.init(offer: offer)))
        let result = run([transaction]).results[0]
        #expect(
            result.accepted, "accept refused: \(String(describing: result.error))",
            sourceLocation: sourceLocation)
        return LedgerFixture.created(transaction)
    }

    /// Consent, offer and acceptance: a running loan of 10,000.00 CNY over 90 days.
    fileprivate mutating func openLoan(
        _ firm: String = "firmA", from lender: String = "lender",
        collateral: [Collateral] = []
    ) -> LoanID {
        if consent(firm, lender) == nil { grant(firm, to: lender) }
        let offer = makeOffer(lender, terms(for: firm, collateral: collateral))
        return accept(firm, offer)
    }
}

// MARK: - Models

@Suite struct FinanceModelTests {
    @Test func aLenderOrGuarantorRegistersAModelOnce() {
        var f = LedgerFixture()
        let hash = SHA256Hash.digest(Array("scorecard-v7".utf8))
        guard let name = try? Label("scorecard-v7") else { preconditionFailure("a label") }
        f.expectRefusal("firmA", .registerModel(.init(modelHash: hash, name: name)), .missingRole)
        f.expectAccepted("guarantor", .registerModel(.init(modelHash: hash, name: name)))
        let model = f.state.record(RegisteredModel.self, hash)
        #expect(model?.name == name && model?.registeredBy == f.id("guarantor"))
        f.expectRefusal("lender", .registerModel(.init(modelHash: hash, name: name)), .modelAlreadyRegistered)
    }

    @Test func anOfferMustNameARegisteredModel() {
        var f = LedgerFixture()
        f.grant("firmA", to: "lender")
        f.expectRefusal("lender", .makeOffer(f.terms(for: "firmA")), .unknownModel)
        guard let name = try? Label("model-v1") else { preconditionFailure("a label") }
        // Registered by another lender: a model is the consortium's to name, whoever registered it.
        f.expectAccepted("lender2", .registerModel(.init(modelHash: LedgerFixture.model, name: name)))
        _ = f.makeOffer("lender", f.terms(for: "firmA"))
    }
}

// MARK: - Consent

@Suite struct FinanceConsentTests {
    @Test func grantingStoresAndRenewingReplaces() {
        var f = LedgerFixture.finance()
        f.expectAccepted("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: nil)))
        let first = f.consent("firmA", "lender")
        #expect(first?.firm == f.id("firmA") && first?.lender == f.id("lender"))
        #expect(first?.grantedAt == f.time && first?.expiresAt == nil)
        let until = f.later(days: 30)
        f.expectAccepted("firmA", .grantConsent(.init(lender: f.id("lender"), expiresAt: until)))
        #expect(f.consent("firmA", "lender")?.expiresAt == until)
        #expect(f.consent("firmA", "lender")?.grantedAt == f.time)
        #expect(f.consent("firmA", "lender2") == nil)
    }

    @Test func grantRefusals() {
        var f = LedgerFixture.finance()
        let lender = f.id("lender")
        f.expectRefusal("lender", .grantConsent(.init(lender: lender, expiresAt: nil)), .missingRole)
        let stranger = MemberID(SHA256Hash.digest([7, 7]))
        f.expectRefusal("firmA", .grantConsent(.init(lender: stranger, expiresAt: nil)), .unknownMember)
        f.expectRefusal("firmA", .grantConsent(.init(lender: f.id("bank"), expiresAt: nil)), .missingRole)
        f.expectRefusal("firmA", .grantConsent(.init(lender: lender, expiresAt: f.nextBlockTime)), .invalidDate)
        f.expectAccepted("admin", .suspendMember(.init(member: f.id("lender2"), reason: "audit")))
        f.expectRefusal("firmA", .grantConsent(.init(lender: f.id("lender2"), expiresAt: nil)), .memberNotActive)
        #expect(f.consent("firmA", "lender") == nil)
    }

    @Test func revokingDeletes() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        f.grant("firmA", to: "lender2")
        f.expectAccepted("firmA", .revokeConsent(.init(lender: f.id("lender"))))
        #expect(f.consent("firmA", "lender") == nil)
        #expect(f.consent("firmA", "lender2") != nil)
    }

    @Test func revokeRefusals() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        f.expectRefusal("lender", .revokeConsent(.init(lender: f.id("lender"))), .missingRole)
        f.expectRefusal("firmB", .revokeConsent(.init(lender: f.id("lender"))), .noConsent)
        f.expectRefusal("firmA", .revokeConsent(.init(lender: f.id("lender2"))), .noConsent)
        f.expectAccepted("firmA", .revokeConsent(.init(lender: f.id("lender"))))
        f.expectRefusal("firmA", .revokeConsent(.init(lender: f.id("lender"))), .noConsent)
    }
}

// MARK: - Offers

@Suite struct FinanceOfferTests {
    @Test func anOfferRecordsItsTermsAndCollateralInOrder() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let piece = f.injectPiece(1, owner: "firmA")
        let invoice = f.injectInvoice(1, seller: "firmA")
        var body = f.terms(for: "firmA", collateral: [.invoice(invoice), .piece(piece), .invoice(invoice)])
        body.rateBasisPoints = 100_000  // the ceiling
        body.termDays = Limits.maxTermDays
        let id = f.makeOffer("lender", body)
        let offer = f.offer(id)
        #expect(offer?.status == .open)
        #expect(offer?.lender == f.id("lender") && offer?.firm == f.id("firmA"))
        #expect(offer?.principal == cny(1_000_000) && offer?.product == .inventoryPledge)
        #expect(offer?.rateBasisPoints == 100_000 && offer?.termDays == Limits.maxTermDays)
        #expect(offer?.ledgerHeight == body.ledgerHeight && offer?.modelHash == body.modelHash)
        #expect(offer?.collateral == [.piece(piece), .invoice(invoice)])
        // Naming collateral in an offer does not pledge it.
        #expect(f.piece(piece)?.pledgedTo == nil && f.invoice(invoice)?.financed == false)
    }

    @Test func offerRefusalsOnParties() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        f.grant("firmC", to: "lender")
        f.expectRefusal("firmA", .makeOffer(f.terms(for: "firmA")), .missingRole)
        var body = f.terms(for: "firmA")
        body.firm = MemberID(SHA256Hash.digest([7, 7]))
        f.expectRefusal("lender", .makeOffer(body), .unknownMember)
        f.expectRefusal("lender", .makeOffer(f.terms(for: "bank")), .missingRole)
        f.expectRefusal("lender", .makeOffer(f.terms(for: "firmB")), .noConsent)
        f.expectRefusal("lender2", .makeOffer(f.terms(for: "firmA")), .noConsent)
        f.expectAccepted("admin", .suspendMember(.init(member: f.id("firmC"), reason: "audit")))
        f.expectRefusal("lender", .makeOffer(f.terms(for: "firmC")), .memberNotActive)
    }

    @Test func anExpiredConsentAllowsNoOffer() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender", expiresAt: f.later(days: 2))
        _ = f.makeOffer("lender", f.terms(for: "firmA"))
        f.advance(days: 2)
        f.expectRefusal("lender", .makeOffer(f.terms(for: "firmA")), .noConsent)
    }

    @Test func offerRefusalsOnTerms() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let spoiled: [(LedgerError.Code, (inout MakeOffer) -> Void)] = [
            (.invalidAmount, { $0.principal = cny(0) }),
            (.invalidAmount, { $0.principal = cny(-5) }),
            (.offerInvalidTerms, { $0.rateBasisPoints = 0 }),
            (.offerInvalidTerms, { $0.rateBasisPoints = 100_001 }),
            (.offerInvalidTerms, { $0.termDays = 0 }),
            (.offerInvalidTerms, { $0.termDays = Limits.maxTermDays + 1 }),
            (.futureHeight, { $0.ledgerHeight += 1 }),
        ]
        for (code, spoil) in spoiled {
            var body = f.terms(for: "firmA")
            spoil(&body)
            f.expectRefusal("lender", .makeOffer(body), code)
        }
        var body = f.terms(for: "firmA")
        body.expiresAt = f.nextBlockTime
        f.expectRefusal("lender", .makeOffer(body), .invalidDate)
    }

    @Test func offerRefusalsOnCollateral() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let foreignPiece = f.injectPiece(1, owner: "firmB")
        let foreignInvoice = f.injectInvoice(1, seller: "firmB", buyer: "firmA")
        let refusals: [(Collateral, LedgerError.Code)] = [
            (.piece(pieceID(99)), .unknownPiece), (.invoice(invoiceID(99)), .unknownInvoice),
            (.piece(foreignPiece), .notOwner), (.invoice(foreignInvoice), .notParty),
        ]
        for (item, code) in refusals {
            f.expectRefusal("lender", .makeOffer(f.terms(for: "firmA", collateral: [item])), code)
        }
        let many = (UInt8(1)...UInt8(Limits.maxCollateralPerOffer + 1)).map { n in
            Collateral.piece(f.injectPiece(100 + n, owner: "firmA"))
        }
        f.expectRefusal("lender", .makeOffer(f.terms(for: "firmA", collateral: many)), .offerInvalidTerms)
        _ = f.makeOffer("lender", f.terms(for: "firmA", collateral: Array(many.dropLast())))
    }
}

// MARK: - Accepting an offer

@Suite struct FinanceAcceptTests {
    @Test func acceptingStartsALoanAndPledgesTheNamedCollateral() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let piece = f.injectPiece(1, owner: "firmA")
        let invoice = f.injectInvoice(1, seller: "firmA")
        let offerID = f.makeOffer("lender", f.terms(for: "firmA", collateral: [.invoice(invoice), .piece(piece)]))
        let loanID = f.accept("firmA", offerID)
        #expect(f.offer(offerID)?.status == .accepted)
        let loan = f.loan(loanID)
        #expect(loan?.offer == offerID && loan?.borrower == f.id("firmA") && loan?.lender == f.id("lender"))
        #expect(loan?.principal == cny(1_000_000) && loan?.outstanding == cny(1_000_000))
        #expect(loan?.status == .active && loan?.startedAt == f.time && loan?.dueAt == f.time.adding(days: 90))
        #expect(loan?.rateBasisPoints == 850 && loan?.product == .inventoryPledge && loan?.guaranteedBasisPoints == 0)
        #expect(loan?.collateral == [.piece(piece), .invoice(invoice)])
        #expect(f.piece(piece)?.pledgedTo == loanID)
        #expect(f.invoice(invoice)?.pledgedTo == loanID && f.invoice(invoice)?.financed == true)
    }

    @Test func acceptRefusals() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let offerID = f.makeOffer("lender", f.terms(for: "firmA"))
        f.expectRefusal("firmA", .acceptOffer(.init(offer: OfferID(SHA256Hash.digest([8])))), .unknownOffer)
        f.expectRefusal("firmB", .acceptOffer(.init(offer: offerID)), .notAuthorized)
        f.expectRefusal("lender", .acceptOffer(.init(offer: offerID)), .notAuthorized)
        _ = f.accept("firmA", offerID)
        f.expectRefusal("firmA", .acceptOffer(.init(offer: offerID)), .offerNotOpen)
    }

    @Test func anOfferCanBeAcceptedUntilItsExpiryButNotAtIt() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let expiry = f.later(days: 3)
        var body = f.terms(for: "firmA")
        body.expiresAt = expiry
        let early = f.makeOffer("lender", body)
        let late = f.makeOffer("lender", body)
        f.time = Timestamp(uncheckedMillis: expiry.millis - 2_000)  // next block: one second before expiry
        _ = f.accept("firmA", early)
        #expect(f.nextBlockTime == expiry)
        f.expectRefusal("firmA", .acceptOffer(.init(offer: late)), .offerExpired)
        #expect(f.offer(late)?.status == .open)
    }

    @Test func aRevokedConsentBlocksAcceptanceUntilGrantedAgain() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let offerID = f.makeOffer("lender", f.terms(for: "firmA"))
        f.expectAccepted("firmA", .revokeConsent(.init(lender: f.id("lender"))))
        f.expectRefusal("firmA", .acceptOffer(.init(offer: offerID)), .noConsent)
        f.grant("firmA", to: "lender")
        _ = f.accept("firmA", offerID)
        #expect(f.offer(offerID)?.status == .accepted)
    }

    @Test func collateralPledgedElsewhereMeanwhileRefusesTheWholeAcceptance() {
        var f = LedgerFixture.finance()
        f.grant("firmA", to: "lender")
        let free = f.injectPiece(1, owner: "firmA")
        let contested = f.injectPiece(2, owner: "firmA")
        let invoice = f.injectInvoice(1, seller: "firmA")
        let named: [Collateral] = [.piece(free), .piece(contested), .invoice(invoice)]
        let offerID = f.makeOffer("lender", f.terms(for: "firmA", collateral: named))
        let other = f.openLoan("firmA", from: "lender2", collateral: [.piece(contested)])
        f.expectRefusal("firmA", .acceptOffer(.init(offer: offerID)), .alreadyPledged)
        #expect(f.offer(offerID)?.status == .open)
        #expect(f.piece(free)?.pledgedTo == nil && f.invoice(invoice)?.financed == false)
        #expect(f.piece(contested)?.pledgedTo == other && f.loan(other)?.collateral == [.piece(contested)])
    }

    /// Acceptance runs the pledge checks on every named item, so any change since the offer can refuse it.
    @Test func acceptanceRunsThePledgeChecks() {
        let changes: [(LedgerError.Code, Collateral, (inout LedgerFixture) -> Void)] = [
            (.notOwner, .piece(pieceID(1)), { $0.injectPiece(1, owner: "firmB") }),
            (.pieceNotActive, .piece(pieceID(1)), { $0.injectPiece(1, owner: "firmA") { $0.status = .sold } }),
            (.pieceLocked, .piece(pieceID(1)), { $0.injectPiece(1, owner: "firmA") { $0.onInvoice = invoiceID(5) } }),
            (
                .invoiceCancelled, .invoice(invoiceID(1)),
                { $0.injectInvoice(1, seller: "firmA") { $0.cancelled = true } }
            ),
            (
                .pledgeSettledInvoice, .invoice(invoiceID(1)),
                { $0.injectInvoice(1, seller: "firmA") { $0.paid = $0.amount } }
            ),
            (.alreadyFinanced, .invoice(invoiceID(1)), { $0.injectInvoice(1, seller: "firmA") { $0.financed = true } }),
        ]
        for (code, item, change) in changes {
            var f = LedgerFixture.finance()
            f.grant("firmA", to: "lender")
            f.injectPiece(1, owner: "firmA")
            f.injectInvoice(1, seller: "firmA")
            let offerID = f.makeOffer("lender", f.terms(for: "firmA", collateral: [item]))
            change(&f)
            f.expectRefusal("firmA", .acceptOffer(.init(offer: offerID)), code)
            #expect(f.offer(offerID)?.status == .open)
        }
    }
}

// MARK: - Pledges

@Suite struct FinancePledgeTests {
    @Test func theBorrowerPledgesPiecesAndReceivables() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        let first = f.injectPiece(1, owner: "firmA")
        let second = f.injectPiece(2, owner: "firmA")
        let invoice = f.injectInvoice(1, seller: "firmA") { $0.paid = cny(100_000) }  // partly paid is fine
        for item in [Collateral.invoice(invoice), .piece(second), .piece(first)] {
            f.expectAccepted("firmA", .pledge(.init(loan: loanID, collateral: item)))
        }
        let collateral = f.loan(loanID)?.collateral ?? []
        #expect(Set(collateral) == [.piece(first), .piece(second), .invoice(invoice)])
        #expect(collateral == collateral.sorted() && collateral.last == .invoice(invoice))
        #expect(f.piece(first)?.pledgedTo == loanID && f.piece(second)?.pledgedTo == loanID)
        #expect(f.invoice(invoice)?.pledgedTo == loanID && f.invoice(invoice)?.financed == true)
    }

    @Test func pledgeRefusalsOnTheLoanAndSigner() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        let piece = f.injectPiece(1, owner: "firmA")
        f.expectRefusal("firmA", .pledge(.init(loan: unknownLoan, collateral: .piece(piece))), .unknownLoan)
        f.expectRefusal("firmB", .pledge(.init(loan: loanID, collateral: .piece(piece))), .notBorrower)
        f.expectRefusal("lender", .pledge(.init(loan: loanID, collateral: .piece(piece))), .notBorrower)
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(1_000_000))))
        f.expectRefusal("firmA", .pledge(.init(loan: loanID, collateral: .piece(piece))), .loanNotActive)
        #expect(f.piece(piece)?.pledgedTo == nil)
    }

    @Test func pledgeRefusalsOnPieces() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        let other = f.openLoan("firmA", from: "lender2")
        let foreign = f.injectPiece(1, owner: "firmB")
        let sold = f.injectPiece(2, owner: "firmA") { $0.status = .sold }
        let onInvoice = f.injectPiece(3, owner: "firmA") { $0.onInvoice = invoiceID(50) }
        let taken = f.injectPiece(4, owner: "firmA")
        f.expectAccepted("firmA", .pledge(.init(loan: other, collateral: .piece(taken))))
        let refusals: [(PieceID, LedgerError.Code)] = [
            (pieceID(99), .unknownPiece), (foreign, .notOwner), (sold, .pieceNotActive),
            (onInvoice, .pieceLocked), (taken, .alreadyPledged),
        ]
        for (piece, code) in refusals {
            f.expectRefusal("firmA", .pledge(.init(loan: loanID, collateral: .piece(piece))), code)
        }
        // Pledging again to the same loan is a second pledge too.
        f.expectRefusal("firmA", .pledge(.init(loan: other, collateral: .piece(taken))), .alreadyPledged)
        #expect(f.loan(other)?.collateral == [.piece(taken)] && f.loan(loanID)?.collateral == [])
        #expect(f.piece(taken)?.pledgedTo == other)
    }

    @Test func pledgeRefusalsOnInvoices() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        let other = f.openLoan("firmA", from: "lender2")
        let foreign = f.injectInvoice(1, seller: "firmB", buyer: "firmA")
        let cancelled = f.injectInvoice(2, seller: "firmA") { $0.cancelled = true }
        let paid = f.injectInvoice(3, seller: "firmA") { $0.paid = $0.amount }
        let taken = f.injectInvoice(4, seller: "firmA")
        let financedBefore = f.injectInvoice(5, seller: "firmA")
        f.expectAccepted("firmA", .pledge(.init(loan: other, collateral: .invoice(taken))))
        f.expectAccepted("firmA", .pledge(.init(loan: other, collateral: .invoice(financedBefore))))
        f.expectAccepted("lender2", .release(.init(loan: other, collateral: .invoice(financedBefore))))
        let refusals: [(InvoiceID, LedgerError.Code)] = [
            (invoiceID(99), .unknownInvoice), (foreign, .notParty), (cancelled, .invoiceCancelled),
            (paid, .pledgeSettledInvoice), (taken, .alreadyPledged), (financedBefore, .alreadyFinanced),
        ]
        for (invoice, code) in refusals {
            f.expectRefusal("firmA", .pledge(.init(loan: loanID, collateral: .invoice(invoice))), code)
        }
        // Even back to the loan it first secured: a receivable is financed once.
        f.expectRefusal("firmA", .pledge(.init(loan: other, collateral: .invoice(financedBefore))), .alreadyFinanced)
        #expect(f.invoice(financedBefore)?.pledgedTo == nil && f.loan(loanID)?.collateral == [])
    }

    @Test func aLoanHoldsAtMostTheListLimit() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        guard var loan = f.loan(loanID) else {
            Issue.record("the loan was not created")
            return
        }
        loan.collateral = (0..<Limits.maxListLength).map { n in
            Collateral.piece(PieceID(SHA256Hash.digest([3, UInt8(n / 256), UInt8(n % 256)])))
        }.sorted()
        f.inject(loan, id: loanID.hash)
        let piece = f.injectPiece(1, owner: "firmA")
        f.expectRefusal("firmA", .pledge(.init(loan: loanID, collateral: .piece(piece))), .pledgeCollateralLimit)
        loan.collateral.removeLast()
        f.inject(loan, id: loanID.hash)
        f.expectAccepted("firmA", .pledge(.init(loan: loanID, collateral: .piece(piece))))
        #expect(f.loan(loanID)?.collateral.count == Limits.maxListLength)
    }
}

// MARK: - Repayment and default

@Suite struct FinanceRepayTests {
    @Test func partialThenFullRepaymentClosesTheLoanButKeepsThePledge() {
        var f = LedgerFixture.finance()
        let piece = f.injectPiece(1, owner: "firmA")
        let loanID = f.openLoan(collateral: [.piece(piece)])
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(400_000))))
        #expect(f.loan(loanID)?.outstanding == cny(600_000) && f.loan(loanID)?.status == .active)
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(600_000))))
        #expect(f.loan(loanID)?.outstanding == cny(0) && f.loan(loanID)?.status == .repaid)
        #expect(f.piece(piece)?.pledgedTo == loanID && f.loan(loanID)?.collateral == [.piece(piece)])
    }

    @Test func repayRefusals() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        f.expectRefusal("firmA", .repay(.init(loan: unknownLoan, amount: cny(1))), .unknownLoan)
        f.expectRefusal("firmB", .repay(.init(loan: loanID, amount: cny(1))), .repaymentNotParty)
        f.expectRefusal("bank", .repay(.init(loan: loanID, amount: cny(1))), .repaymentNotParty)
        f.expectRefusal("lender2", .repay(.init(loan: loanID, amount: cny(1))), .repaymentNotParty)
        f.expectRefusal("firmA", .repay(.init(loan: loanID, amount: cny(0))), .invalidAmount)
        f.expectRefusal("firmA", .repay(.init(loan: loanID, amount: cny(-1))), .invalidAmount)
        f.expectRefusal("firmA", .repay(.init(loan: loanID, amount: hkd(100))), .currencyMismatch)
        f.expectRefusal("firmA", .repay(.init(loan: loanID, amount: cny(1_000_001))), .overRepayment)
        #expect(f.loan(loanID)?.outstanding == cny(1_000_000))
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(1_000_000))))
        f.expectRefusal("firmA", .repay(.init(loan: loanID, amount: cny(1))), .loanNotActive)
    }

    @Test func aBorrowersClaimOwesNothingLessUntilItsLenderConfirmsIt() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        let claim = f.sign("firmA", .repay(.init(loan: loanID, amount: cny(400_000))))
        #expect(f.run([claim]).results[0].accepted)
        #expect(f.loan(loanID)?.outstanding == cny(1_000_000) && f.loan(loanID)?.status == .active)
        let record = f.state.record(RepaymentClaim.self, claim.id.hash)
        #expect(record?.status == .open && record?.amount == cny(400_000) && record?.claimant == f.id("firmA"))
        let confirm = TransactionBody.confirmRepayment(.init(claim: claim.id))
        f.expectRefusal("firmA", confirm, .notLender)
        f.expectRefusal("lender2", confirm, .notLender)
        f.expectRefusal("lender", .confirmRepayment(.init(claim: TransactionID(.zero))), .unknownClaim)
        f.expectAccepted("lender", confirm)
        #expect(f.loan(loanID)?.outstanding == cny(600_000))
        #expect(f.state.record(RepaymentClaim.self, claim.id.hash)?.status == .confirmed)
        f.expectRefusal("lender", confirm, .claimClosed)
        // A claim beyond what is owed by the time it is confirmed is refused, not clipped.
        let full = f.sign("firmA", .repay(.init(loan: loanID, amount: cny(600_000))))
        #expect(f.run([full]).results[0].accepted)
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(1))))
        f.expectRefusal("lender", .confirmRepayment(.init(claim: full.id)), .overRepayment)
    }
}

@Suite struct FinanceDefaultTests {
    @Test func theLenderDeclaresDefaultOnlyAfterTheDueTime() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        f.expectRefusal("lender", .declareDefault(.init(loan: loanID)), .notDue)
        guard let dueAt = f.loan(loanID)?.dueAt else {
            Issue.record("the loan was not created")
            return
        }
        f.time = Timestamp(uncheckedMillis: dueAt.millis - 1_000)  // the next block is exactly at the due time
        f.expectRefusal("lender", .declareDefault(.init(loan: loanID)), .notDue)
        f.expectAccepted("lender", .declareDefault(.init(loan: loanID)))
        #expect(f.loan(loanID)?.status == .defaulted && f.loan(loanID)?.outstanding == cny(1_000_000))
        f.expectRefusal("firmA", .repay(.init(loan: loanID, amount: cny(1))), .loanNotActive)
    }

    @Test func defaultRefusals() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        f.advance(days: 91)
        f.expectRefusal("lender", .declareDefault(.init(loan: unknownLoan)), .unknownLoan)
        f.expectRefusal("firmA", .declareDefault(.init(loan: loanID)), .notLender)
        f.expectRefusal("lender2", .declareDefault(.init(loan: loanID)), .notLender)
        // An unconfirmed claim of the whole debt does not stop the lender declaring the loan in default.
        f.expectAccepted("firmA", .repay(.init(loan: loanID, amount: cny(1_000_000))))
        f.expectAccepted("lender", .declareDefault(.init(loan: loanID)))
        #expect(f.loan(loanID)?.status == .defaulted)
    }

    @Test func aReceiptClosesTheLoanBeforeDefault() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        f.advance(days: 91)
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(1_000_000))))
        f.expectRefusal("lender", .declareDefault(.init(loan: loanID)), .loanNotActive)
        #expect(f.loan(loanID)?.status == .repaid)
    }
}

// MARK: - Release

@Suite struct FinanceReleaseTests {
    @Test func theLenderReleasesAtAnyTimeAndTheItemIsFreeAgain() {
        var f = LedgerFixture.finance()
        let piece = f.injectPiece(1, owner: "firmA")
        let invoice = f.injectInvoice(1, seller: "firmA")
        let loanID = f.openLoan(collateral: [.piece(piece), .invoice(invoice)])
        f.expectAccepted("lender", .release(.init(loan: loanID, collateral: .piece(piece))))
        #expect(f.piece(piece)?.pledgedTo == nil && f.loan(loanID)?.collateral == [.invoice(invoice)])
        f.expectAccepted("lender", .release(.init(loan: loanID, collateral: .invoice(invoice))))
        #expect(f.invoice(invoice)?.pledgedTo == nil && f.invoice(invoice)?.financed == true)
        #expect(f.loan(loanID)?.collateral == [] && f.loan(loanID)?.status == .active)
        let other = f.openLoan("firmA", from: "lender2")
        f.expectAccepted("firmA", .pledge(.init(loan: other, collateral: .piece(piece))))
        #expect(f.piece(piece)?.pledgedTo == other)
    }

    @Test func theBorrowerReleasesOnlyOnceRepaid() {
        var f = LedgerFixture.finance()
        let piece = f.injectPiece(1, owner: "firmA")
        let loanID = f.openLoan(collateral: [.piece(piece)])
        f.expectRefusal("firmA", .release(.init(loan: loanID, collateral: .piece(piece))), .notLender)
        let claim = f.sign("firmA", .repay(.init(loan: loanID, amount: cny(1_000_000))))
        #expect(f.run([claim]).results[0].accepted)
        f.expectRefusal("firmA", .release(.init(loan: loanID, collateral: .piece(piece))), .notLender)
        f.expectAccepted("lender", .confirmRepayment(.init(claim: claim.id)))
        f.expectAccepted("firmA", .release(.init(loan: loanID, collateral: .piece(piece))))
        #expect(f.piece(piece)?.pledgedTo == nil && f.loan(loanID)?.collateral == [])
    }

    @Test func onDefaultOnlyTheLenderReleases() {
        var f = LedgerFixture.finance()
        let piece = f.injectPiece(1, owner: "firmA")
        let loanID = f.openLoan(collateral: [.piece(piece)])
        f.advance(days: 91)
        f.expectAccepted("lender", .declareDefault(.init(loan: loanID)))
        f.expectRefusal("firmA", .release(.init(loan: loanID, collateral: .piece(piece))), .notLender)
        f.expectAccepted("lender", .release(.init(loan: loanID, collateral: .piece(piece))))
        #expect(f.piece(piece)?.pledgedTo == nil && f.loan(loanID)?.collateral == [])
    }

    @Test func releaseRefusals() {
        var f = LedgerFixture.finance()
        let mine = f.injectPiece(1, owner: "firmA")
        let elsewhere = f.injectPiece(2, owner: "firmA")
        let free = f.injectPiece(3, owner: "firmA")
        let invoice = f.injectInvoice(1, seller: "firmA")
        let loanID = f.openLoan(collateral: [.piece(mine), .invoice(invoice)])
        _ = f.openLoan("firmA", from: "lender2", collateral: [.piece(elsewhere)])
        let refusals: [(String, LoanID, Collateral, LedgerError.Code)] = [
            ("lender", unknownLoan, .piece(mine), .unknownLoan),
            ("lender", loanID, .piece(pieceID(99)), .unknownPiece),
            ("lender", loanID, .invoice(invoiceID(99)), .unknownInvoice),
            ("lender", loanID, .piece(elsewhere), .notPledged),
            ("lender", loanID, .piece(free), .notPledged),
            ("lender2", loanID, .piece(mine), .notLender),
            ("firmA", loanID, .piece(mine), .notLender),
            ("firmB", loanID, .invoice(invoice), .notLender),
        ]
        for (signer, loan, item, code) in refusals {
            f.expectRefusal(signer, .release(.init(loan: loan, collateral: item)), code)
        }
        f.expectAccepted("lender", .release(.init(loan: loanID, collateral: .invoice(invoice))))
        f.expectRefusal("lender", .release(.init(loan: loanID, collateral: .invoice(invoice))), .notPledged)
        #expect(f.piece(mine)?.pledgedTo == loanID && f.loan(loanID)?.collateral == [.piece(mine)])
    }
}

// MARK: - Guarantees

@Suite struct FinanceGuaranteeTests {
    @Test func guaranteesAddUpToFullCover() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        let transaction = f.sign(
            "guarantor",
            .guarantee(
                .init(
                    loan: loanID, coverageBasisPoints: 6_000,
                    fee: cny(20_000))))
        #expect(f.run([transaction]).results[0].accepted)
        let guaranteeID: GuaranteeID = LedgerFixture.created(transaction)
        let guarantee = f.state.record(Guarantee.self, guaranteeID.hash)
        #expect(guarantee?.guarantor == f.id("guarantor") && guarantee?.loan == loanID && guarantee?.at == f.time)
        #expect(guarantee?.coverageBasisPoints == 6_000 && guarantee?.fee == cny(20_000))
        #expect(f.loan(loanID)?.guaranteedBasisPoints == 6_000)
        f.expectAccepted("guarantor", .guarantee(.init(loan: loanID, coverageBasisPoints: 4_000, fee: cny(0))))
        #expect(f.loan(loanID)?.guaranteedBasisPoints == 10_000)
        f.expectRefusal(
            "guarantor", .guarantee(.init(loan: loanID, coverageBasisPoints: 1, fee: cny(0))),
            .coverageExceeded)
    }

    @Test func guaranteeRefusals() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        func body(_ coverage: UInt32, _ fee: Money = cny(1_000), loan: LoanID = loanID) -> TransactionBody {
            .guarantee(.init(loan: loan, coverageBasisPoints: coverage, fee: fee))
        }
        f.expectRefusal("lender", body(1_000), .missingRole)
        f.expectRefusal("guarantor", body(1_000, loan: unknownLoan), .unknownLoan)
        f.expectRefusal("guarantor", body(0), .coverageExceeded)
        f.expectRefusal("guarantor", body(10_001), .coverageExceeded)
        f.expectRefusal("guarantor", body(1_000, cny(-1)), .invalidAmount)
        f.expectRefusal("guarantor", body(1_000, hkd(1_000)), .currencyMismatch)
        f.expectAccepted("guarantor", body(7_000))
        f.expectRefusal("guarantor", body(3_001), .coverageExceeded)
        #expect(f.loan(loanID)?.guaranteedBasisPoints == 7_000)
        f.expectAccepted("lender", .repay(.init(loan: loanID, amount: cny(1_000_000))))
        f.expectRefusal("guarantor", body(1_000), .loanNotActive)
    }

    @Test func aBorrowerCannotGuaranteeItsOwnLoan() {
        var f = LedgerFixture.finance()
        let dual = f.addOutsider("firmG", roles: [.firm, .guarantor])
        f.expectAccepted(
            "admin",
            .registerMember(
                .init(
                    name: "Shuibei Gold Guarantee", roles: [.firm, .guarantor],
                    publicKey: dual.key.publicKey)))
        let own = f.openLoan("firmG")
        f.expectRefusal("firmG", .guarantee(.init(loan: own, coverageBasisPoints: 5_000, fee: cny(0))), .notAuthorized)
        let theirs = f.openLoan("firmA")
        f.expectAccepted("firmG", .guarantee(.init(loan: theirs, coverageBasisPoints: 5_000, fee: cny(0))))
        #expect(f.loan(theirs)?.guaranteedBasisPoints == 5_000 && f.loan(own)?.guaranteedBasisPoints == 0)
    }
}

// MARK: - Property: collateral is never pledged twice

/// Why the state breaks the pledge invariant, if it does: every piece and invoice is pledged to at most one
/// loan, a pledged item's loan lists it, and every item a loan lists points back to that loan.
private func pledgeInvariantViolations(_ state: WorldState) -> [String] {
    var pledgedTo = [Collateral: LoanID]()
    var loans = [LoanID: Loan]()
    var violations = [String]()
    for value in state.records.values {
        switch value {
        case .piece(let piece): if let loan = piece.pledgedTo { pledgedTo[.piece(piece.id)] = loan }
        case .invoice(let invoice):
            if let loan = invoice.pledgedTo { pledgedTo[.invoice(invoice.id)] = loan }
            if invoice.pledgedTo != nil && !invoice.financed {
                violations.append("\(invoice.id) is pledged but not marked financed")
            }
        case .loan(let loan): loans[loan.id] = loan
        default: break
        }
    }
    var listedBy = [Collateral: [LoanID]]()
    for loan in loans.values {
        if loan.collateral != loan.collateral.sorted() || Set(loan.collateral).count != loan.collateral.count {
            violations.append("\(loan.id) lists its collateral out of order or twice")
        }
        for item in loan.collateral {
            listedBy[item, default: []].append(loan.id)
            if pledgedTo[item] != loan.id {
                violations.append("\(loan.id) lists \(item), pledged to \(String(describing: pledgedTo[item]))")
            }
        }
    }
    for (item, holders) in listedBy where holders.count > 1 {
        violations.append("\(item) listed by \(holders.count) loans")
    }
    for (item, loan) in pledgedTo where loans[loan]?.collateral.contains(item) != true {
        violations.append("\(item) pledged to \(loan), which does not list it")
    }
    return violations.sorted()
}

/// A small random economy: pieces and invoices of three firms, loans from two lenders (some injected, some
/// from accepted offers), and open offers naming collateral, for random pledges, releases, acceptances and
/// repayments to run against.
private struct RandomFinanceWorld {
    static let firms = ["firmA", "firmB", "firmC"]
    static let lenders = ["lender", "lender2"]

    struct Operation {
        let kind: String
        let signer: String
        let body: TransactionBody
    }

    var items = [Collateral]()
    var loans = [LoanID]()
    var offers = [OfferID]()
    var names = [MemberID: String]()

    init(_ f: inout LedgerFixture, _ rng: inout SeededRandom) {
        for name in Self.firms + Self.lenders { names[f.id(name)] = name }
        for n in UInt8(1)...8 { items.append(.piece(f.injectPiece(n, owner: Self.pick(Self.firms, &rng)))) }
        for n in UInt8(1)...5 {
            let seller = Self.pick(Self.firms, &rng)
            let buyer = Self.pick(Self.firms.filter { $0 != seller }, &rng)
            items.append(.invoice(f.injectInvoice(n, seller: seller, buyer: buyer)))
        }
        for n in UInt8(1)...4 { loans.append(Self.injectLoan(n, &f, &rng)) }
        var grants = [Transaction]()
        for firm in Self.firms {
            for lender in Self.lenders {
                grants.append(f.sign(firm, .grantConsent(.init(lender: f.id(lender), expiresAt: nil))))
            }
        }
        f.run(grants)
        for _ in 0..<5 { offers.append(makeOffer(&f, &rng)) }
    }

    static func pick(_ names: [String], _ rng: inout SeededRandom) -> String {
        names[Int.random(in: 0..<names.count, using: &rng)]
    }

    private static func injectLoan(_ n: UInt8, _ f: inout LedgerFixture, _ rng: inout SeededRandom) -> LoanID {
        let offer = Offer(
            id: OfferID(SHA256Hash.digest([4, n])), lender: f.id(pick(lenders, &rng)),
            firm: f.id(pick(firms, &rng)), product: .workingCapital, principal: cny(1_000_000),
            rateBasisPoints: 900, termDays: 180, modelHash: .zero, ledgerHeight: 0,
            expiresAt: f.later(days: 30), collateral: [])
        let loan = Loan(id: LoanID(SHA256Hash.digest([5, n])), offer: offer, startedAt: f.time)
        f.inject(loan, id: loan.id.hash)
        return loan.id
    }

    private func makeOffer(_ f: inout LedgerFixture, _ rng: inout SeededRandom) -> OfferID {
        let firm = Self.pick(Self.firms, &rng)
        let own = items.filter { holder(of: $0, f.state) == f.id(firm) }.shuffled(using: &rng)
        let named = Array(own.prefix(Int.random(in: 0...3, using: &rng)))
        return f.makeOffer(Self.pick(Self.lenders, &rng), f.terms(for: firm, collateral: named))
    }

    private func holder(of item: Collateral, _ state: WorldState) -> MemberID? {
        switch item {
        case .piece(let id): state.record(Piece.self, id.hash)?.owner
        case .invoice(let id): state.record(Invoice.self, id.hash)?.seller
        }
    }

    func randomOperation(_ f: LedgerFixture, _ rng: inout SeededRandom) -> Operation {
        let loanID = loans[Int.random(in: 0..<loans.count, using: &rng)]
        guard let loan = f.state.record(Loan.self, loanID.hash),
            let borrower = names[loan.borrower], let lender = names[loan.lender]
        else { preconditionFailure("every tracked loan exists") }
        let item = items[Int.random(in: 0..<items.count, using: &rng)]
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<5:
            // Mostly the borrower's own stock (free or not), sometimes anyone's, sometimes signed by another firm.
            let own = items.filter { holder(of: $0, f.state) == loan.borrower }
            let pledged =
                own.isEmpty || Int.random(in: 0..<4, using: &rng) == 0
                ? item : own[Int.random(in: 0..<own.count, using: &rng)]
            let signer = Int.random(in: 0..<6, using: &rng) == 0 ? Self.pick(Self.firms, &rng) : borrower
            return Operation(kind: "pledge", signer: signer, body: .pledge(.init(loan: loanID, collateral: pledged)))
        case 5..<8:
            // Mostly something the loan holds, sometimes anything (which must be refused).
            let listed =
                loan.collateral.isEmpty || Int.random(in: 0..<4, using: &rng) == 0
                ? item : loan.collateral[Int.random(in: 0..<loan.collateral.count, using: &rng)]
            let signer = Int.random(in: 0..<4, using: &rng) == 0 ? borrower : lender
            return Operation(kind: "release", signer: signer, body: .release(.init(loan: loanID, collateral: listed)))
        case 8:
            let offerID = offers[Int.random(in: 0..<offers.count, using: &rng)]
            let firm = f.state.record(Offer.self, offerID.hash).flatMap { names[$0.firm] } ?? borrower
            return Operation(kind: "accept", signer: firm, body: .acceptOffer(.init(offer: offerID)))
        default:
            let amount = cny(Int64.random(in: 1...300_000, using: &rng))
            let signer = Bool.random(using: &rng) ? lender : borrower
            return Operation(kind: "repay", signer: signer, body: .repay(.init(loan: loanID, amount: amount)))
        }
    }
}

@Suite struct FinancePledgeInvariantTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as [UInt64])
    func collateralIsNeverPledgedTwice(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var f = LedgerFixture.finance(seed: seed)
        var world = RandomFinanceWorld(&f, &rng)
        var accepted = [String: Int]()
        for block in 1...40 {
            let operations = (0..<Int.random(in: 1...4, using: &rng)).map { _ in world.randomOperation(f, &rng) }
            let transactions = operations.map { f.sign($0.signer, $0.body) }
            let outcome = f.run(transactions)
            for (operation, result) in zip(operations, outcome.results) where result.accepted {
                accepted[operation.kind, default: 0] += 1
                if operation.kind == "accept" { world.loans.append(LoanID(result.id.hash)) }
            }
            let violations = pledgeInvariantViolations(f.state)
            #expect(violations.isEmpty, "seed \(seed), block \(block): \(violations)")
            if !violations.isEmpty { return }
        }
        #expect(
            accepted["pledge", default: 0] > 0 && accepted["release", default: 0] > 0,
            "seed \(seed) exercised too little: \(accepted)")
    }

    /// The checker itself must be able to fail, or the property above proves nothing.
    @Test func theCheckerCatchesABrokenPledge() {
        var f = LedgerFixture.finance()
        let loanID = f.openLoan()
        #expect(pledgeInvariantViolations(f.state).isEmpty)
        f.injectPiece(1, owner: "firmA") { $0.pledgedTo = loanID }
        #expect(pledgeInvariantViolations(f.state).count == 1)
        guard var loan = f.loan(loanID) else {
            Issue.record("the loan was not created")
            return
        }
        loan.collateral = [.piece(pieceID(1))]
        f.inject(loan, id: loanID.hash)
        #expect(pledgeInvariantViolations(f.state).isEmpty)
        loan.id = LoanID(SHA256Hash.digest([6]))
        f.inject(loan, id: loan.id.hash)
        #expect(!pledgeInvariantViolations(f.state).isEmpty)
    }
}
