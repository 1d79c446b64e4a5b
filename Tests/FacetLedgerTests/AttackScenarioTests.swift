import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

// The attacks of issue 15, each played as a dishonest member would with nothing but its own key: each must end in
// its refusal code with the state root where it was.

private func yuan(_ minorUnits: Int64) -> Money {
    guard let money = try? Money(minorUnits: minorUnits, currency: .cny) else { preconditionFailure("bad amount") }
    return money
}

private func label(_ text: String) -> Label {
    guard let label = try? Label(text) else { preconditionFailure("\(text) is a label") }
    return label
}

extension LedgerFixture {
    /// Signs and runs one transaction that must be accepted.
    fileprivate mutating func accepted(
        _ signer: String, _ body: TransactionBody, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Transaction {
        let transaction = sign(signer, body)
        let result = run([transaction]).results[0]
        #expect(result.accepted, "refused: \(String(describing: result.error))", sourceLocation: sourceLocation)
        return transaction
    }

    /// Signs and runs one transaction that must be refused with `code`, leaving the state root unchanged.
    fileprivate mutating func refused(
        _ signer: String, _ body: TransactionBody, _ code: LedgerError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = refusal(signer, body)
        #expect(result.code == code, sourceLocation: sourceLocation)
        #expect(result.unchanged, "a refusal moved the state root", sourceLocation: sourceLocation)
    }

    /// A running 10,000.00 CNY loan from `lender` to `firm` secured by `collateral`.
    fileprivate mutating func lend(_ firm: String, from lender: String, collateral: [Collateral]) -> LoanID {
        let model = SHA256Hash.digest(Array("attack-model".utf8))
        if state.record(RegisteredModel.self, model) == nil {
            _ = accepted(lender, .registerModel(.init(modelHash: model, name: label("attack-model"))))
        }
        _ = accepted(firm, .grantConsent(.init(lender: id(lender), expiresAt: nil)))
        let offer = accepted(
            lender,
            .makeOffer(
                .init(
                    firm: id(firm), product: .inventoryPledge, principal: yuan(1_000_000), rateBasisPoints: 900,
                    termDays: 90, modelHash: model, ledgerHeight: state.height,
                    expiresAt: time.adding(days: 7), collateral: collateral)))
        return LoanID(accepted(firm, .acceptOffer(.init(offer: OfferID(offer.id.hash)))).id.hash)
    }

    /// A gold piece of `owner`'s, registered through its contract.
    fileprivate mutating func goldPiece(_ owner: String) -> PieceID {
        let card = IdentityCard(category: .gold, weight: 100_000, fineness: 999)
        return PieceID(accepted(owner, .registerPiece(.init(card: card, certificate: nil))).id.hash)
    }

    fileprivate func loan(_ id: LoanID) -> Loan? { state.record(Loan.self, id.hash) }
    fileprivate func status(_ name: String) -> MemberStatus? { state.record(Member.self, id(name).hash)?.status }
}

@Suite struct AttackScenarioTests {
    /// Claim the whole debt, release the piece, pledge it to a second lender: the claim changes nothing owed, so the
    /// release and the second pledge are refused.
    @Test func aBorrowersUnconfirmedRepaymentFreesNoCollateral() {
        var f = LedgerFixture()
        let piece = f.goldPiece("firmA")
        let first = f.lend("firmA", from: "lender", collateral: [.piece(piece)])
        _ = f.accepted("firmA", .repay(.init(loan: first, amount: yuan(1_000_000))))
        #expect(f.loan(first)?.outstanding == yuan(1_000_000) && f.loan(first)?.status == .active)
        f.refused("firmA", .release(.init(loan: first, collateral: .piece(piece))), .notLender)
        let second = f.lend("firmA", from: "lender2", collateral: [])
        f.refused("firmA", .pledge(.init(loan: second, collateral: .piece(piece))), .alreadyPledged)
        #expect(f.state.record(Piece.self, piece.hash)?.pledgedTo == first)
        // And the lender can still declare the loan in default once due.
        f.advance(days: 91)
        _ = f.accepted("lender", .declareDefault(.init(loan: first)))
    }

    /// A borrower piles claims onto one loan: while one awaits its lender, the next is refused `repay.claim_pending`;
    /// once the lender confirmed it, the borrower may claim again.
    @Test func aLoanHoldsOneOpenClaimAtATime() {
        var f = LedgerFixture()
        let loan = f.lend("firmA", from: "lender", collateral: [])
        let claim = f.accepted("firmA", .repay(.init(loan: loan, amount: yuan(100_000))))
        #expect(f.loan(loan)?.openClaim == claim.id)
        f.refused("firmA", .repay(.init(loan: loan, amount: yuan(1))), .claimPending)
        _ = f.accepted("lender", .confirmRepayment(.init(claim: claim.id)))
        #expect(f.loan(loan)?.openClaim == nil && f.loan(loan)?.outstanding == yuan(900_000))
        let next = f.accepted("firmA", .repay(.init(loan: loan, amount: yuan(1))))
        #expect(f.loan(loan)?.openClaim == next.id)
        // The lender's own receipts are never held up by a claim.
        _ = f.accepted("lender", .repay(.init(loan: loan, amount: yuan(100_000))))
        #expect(f.loan(loan)?.outstanding == yuan(800_000))
    }

    /// Another bank signs `repay` (and `release`, and a confirmation) on a loan it did not make: all refused.
    @Test func noBankButTheLenderTouchesItsLoan() {
        var f = LedgerFixture()
        let piece = f.goldPiece("firmA")
        let loan = f.lend("firmA", from: "lender", collateral: [.piece(piece)])
        f.refused("bank", .repay(.init(loan: loan, amount: yuan(1_000_000))), .repaymentNotParty)
        f.refused("lender2", .repay(.init(loan: loan, amount: yuan(1_000_000))), .repaymentNotParty)
        f.refused("bank", .release(.init(loan: loan, collateral: .piece(piece))), .notLender)
        let claim = f.accepted("firmA", .repay(.init(loan: loan, amount: yuan(1_000_000))))
        f.refused("bank", .confirmRepayment(.init(claim: claim.id)), .notLender)
        f.refused("lender2", .confirmRepayment(.init(claim: claim.id)), .notLender)
        #expect(f.loan(loan)?.outstanding == yuan(1_000_000) && f.loan(loan)?.status == .active)
    }

    /// On a chain that admits by two approvals, one admin cannot suspend another alone, nor reinstate alone, nor
    /// leave fewer active admins than two.
    @Test func oneAdminCannotSuspendOrReinstateAlone() {
        var f = LedgerFixture(params: LedgerParams(chainID: LedgerFixture.chainID, memberApprovals: 2))
        // Two admins only: suspending either would leave one, below the quorum.
        f.refused("admin", .suspendMember(.init(member: f.id("admin2"), reason: "alone")), .adminFloor)
        let admin3 = f.addOutsider("admin3", roles: .admin)
        _ = f.accepted("admin", .registerMember(.init(name: "admin3", roles: .admin, publicKey: admin3.key.publicKey)))
        #expect(f.status("admin3") == .pending)
        _ = f.accepted("admin2", .approveMember(.init(member: admin3.id)))
        #expect(f.status("admin3") == .active)

        let suspend = TransactionBody.suspendMember(.init(member: f.id("admin2"), reason: "alone"))
        _ = f.accepted("admin", suspend)
        #expect(f.status("admin2") == .active, "one vote of two suspends nobody")
        f.refused("admin", suspend, .alreadyApproved)
        let newcomer = f.addOutsider("firmD", roles: .firm)
        _ = f.accepted("admin2", .registerMember(.init(name: "D", roles: .firm, publicKey: newcomer.key.publicKey)))
        _ = f.accepted("admin3", suspend)
        #expect(f.status("admin2") == .suspended)
        // Two active admins are left: suspending either would leave one.
        f.refused("admin", .suspendMember(.init(member: f.id("admin3"), reason: "alone")), .adminFloor)

        let reinstate = TransactionBody.reinstateMember(.init(member: f.id("admin2")))
        _ = f.accepted("admin", reinstate)
        #expect(f.status("admin2") == .suspended, "one vote of two reinstates nobody")
        f.refused("admin", reinstate, .alreadyApproved)
        _ = f.accepted("admin3", reinstate)
        #expect(f.status("admin2") == .active)
        f.refused("firmA", .suspendMember(.init(member: f.id("firmB"), reason: "rival")), .missingRole)
    }

    /// An exchange publishes under `!` (the lowest label, which a valuation once took for the whole category), and
    /// under other labels no valuation can read: refused.
    @Test func aPriceBandOutsideTheGrammarIsRefused() {
        var f = LedgerFixture()
        let junk: [(PieceCategory, String)] = [
            (.gold, "!"), (.gold, "AU9999"), (.gold, "AU9999-PER-CT"), (.gold, "AU1000-PER-G"),
            (.naturalDiamond, "1ct/D-F/VS"), (.naturalDiamond, "1.0CT-G-VS2-PER-CT"),
            (.naturalDiamond, "1CT-Z-VS2-PER-CT"),
            (.labGrownDiamond, "0CT-G-VS2-PER-CT"), (.jadeite, "TYPE-A-PER-CT"), (.crystal, "PER-PER-G"),
            (.coloredStone, "RUBY-PER-G"), (.platinum, "AU950-PER-G"),
        ]
        for (category, band) in junk {
            f.refused(
                "exchange", .publishPrice(.init(category: category, band: label(band), pricePerUnit: yuan(100))),
                .invalidBand)
        }
        let good: [(PieceCategory, String)] = [
            (.gold, "AU9999-PER-G"), (.gold, "AU750-PER-G"), (.platinum, "PT950-PER-G"),
            (.naturalDiamond, "1CT-G-VS2-PER-CT"), (.labGrownDiamond, "0.5CT-D-IF-PER-CT"),
            (.naturalDiamond, "1.25CT-K-I1-PER-CT"), (.jadeite, "TYPE-A-PER-G"), (.crystal, "CLEAR-QUARTZ-PER-G"),
            (.coloredStone, "RUBY-PIGEON-BLOOD-PER-CT"), (.pearl, "AKOYA-8MM-PER-G"),
        ]
        for (category, band) in good {
            let body = PublishPrice(category: category, band: label(band), pricePerUnit: yuan(100))
            _ = f.accepted("exchange", .publishPrice(body))
            #expect(AdversaryOracle.inGrammar(band, category), "\(band) is in the oracle's grammar too")
        }
        for (category, band) in junk {
            #expect(!AdversaryOracle.inGrammar(band, category), "\(band) is outside the oracle's grammar too")
        }
    }

    /// The same refused bytes offered again: the ledger's own word is that a refusal changes nothing, so the guard is
    /// at admission (`tx.already_decided`, `LedgerNodeTests`); here, that executing them again is refused again and
    /// still changes nothing.
    @Test func aRefusedTransactionExecutedAgainChangesNothing() {
        var f = LedgerFixture()
        let refused = f.sign("firmA", .publishPrice(.init(category: .gold, band: label("!"), pricePerUnit: yuan(1))))
        let before = f.state.stateRoot
        #expect(f.run([refused]).results[0].error?.code == .missingRole)
        #expect(f.run([refused]).results[0].error?.code == .missingRole)
        #expect(f.state.stateRoot == before)
    }
}
