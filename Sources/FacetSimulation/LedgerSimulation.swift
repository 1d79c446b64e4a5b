import FacetCore
import FacetLedger

/// Drives a `LedgerFixture` with random but plausible transactions of every kind, from a seed: most name
/// real objects and the right signers, some are wrong on purpose (another firm's piece, an overpayment, a
/// second pledge), so both acceptance and every kind of refusal get exercised. The same seed gives the
/// same blocks.
public struct LedgerSimulation: Sendable {
    public private(set) var fixture: LedgerFixture
    private var rng: SeededRandom
    private(set) var pieces: [PieceID] = []
    private(set) var invoices: [InvoiceID] = []
    private(set) var disputes: [DisputeID] = []
    private(set) var offers: [OfferID] = []
    private(set) var loans: [LoanID] = []
    private(set) var claims: [TransactionID] = []
    /// Blocks produced so far, to replay elsewhere.
    public private(set) var blocks: [(transactions: [Transaction], time: Timestamp)] = []

    static let firms = ["firmA", "firmB", "firmC"]
    static let lenders = ["lender", "lender2"]
    static let certificateNumbers = ["GIA-1001", "GIA-1002", "NGTC-77", "NGTC-78", "IGI-5"]

    public init(seed: UInt64) {
        fixture = LedgerFixture(seed: seed)
        rng = SeededRandom(seed: seed ^ 0x5EED)
    }

    /// A simulation on a fixture of the caller's (other parameters, blank signatures).
    public init(seed: UInt64, fixture: LedgerFixture) {
        self.fixture = fixture
        rng = SeededRandom(seed: seed ^ 0x5EED)
    }

    /// Whether recorded blocks are kept (`blocks`): off for long runs.
    public var recordsBlocks = true

    /// Signs a body as a named actor with its next nonce.
    public mutating func sign(_ signer: String, _ body: TransactionBody) -> Transaction { fixture.sign(signer, body) }

    /// Executes and commits a block of the caller's transactions, remembering what they created.
    @discardableResult
    public mutating func execute(_ transactions: [Transaction]) -> BlockOutcome {
        let outcome = fixture.run(transactions)
        if recordsBlocks { blocks.append((transactions, outcome.time)) }
        for (transaction, result) in zip(transactions, outcome.results) where result.accepted {
            remember(transaction)
        }
        return outcome
    }

    /// Executes and commits a block as a proposer builds it (`LedgerFixture.runCapped`): the transactions it holds
    /// and its outcome.
    public mutating func executeCapped(_ transactions: [Transaction])
        -> (transactions: [Transaction], outcome: BlockOutcome)
    {
        let built = fixture.runCapped(transactions)
        if recordsBlocks { blocks.append((built.transactions, built.outcome.time)) }
        for (transaction, result) in zip(built.transactions, built.outcome.results) where result.accepted {
            remember(transaction)
        }
        return built
    }

    /// Moves the clock forward before the next block.
    public mutating func advance(days: Int64) { fixture.advance(days: days) }

    /// The loans created so far, oldest first.
    public var loanIDs: [LoanID] { loans }
    /// The pieces registered so far, oldest first.
    public var pieceIDs: [PieceID] { pieces }
    /// The name of the actor holding `member`, if it is one of the cast.
    public func actorName(of member: MemberID) -> String? { name(of: member) }

    public var state: WorldState { fixture.state }

    /// Builds, executes and commits one block of `size` random transactions.
    @discardableResult
    public mutating func step(size: Int) -> BlockOutcome {
        if int(0...9) == 0 { fixture.advance(days: Int64(int(1...60))) }
        var transactions = [Transaction]()
        for _ in 0..<size { transactions.append(randomTransaction()) }
        return execute(transactions)
    }

    private mutating func remember(_ transaction: Transaction) {
        let id = transaction.id.hash
        switch transaction.body {
        case .registerPiece: pieces.append(PieceID(id))
        case .issueInvoice: invoices.append(InvoiceID(id))
        case .raiseDispute: disputes.append(DisputeID(id))
        case .makeOffer: offers.append(OfferID(id))
        case .acceptOffer: loans.append(LoanID(id))
        case .repay(let body):
            // A borrower's repayment is a claim its lender may confirm later.
            if fixture.state.record(RepaymentClaim.self, id) != nil, body.amount.isPositive {
                claims.append(TransactionID(id))
            }
        default: break
        }
    }

    // MARK: Random choices

    private mutating func int<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> T { T.random(in: range, using: &rng) }
    private mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    private mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(0...items.count - 1)] }
    private mutating func firm() -> String { pick(LedgerSimulation.firms)! }
    private mutating func lender() -> String { pick(LedgerSimulation.lenders)! }

    func name(of member: MemberID) -> String? {
        fixture.actors.keys.sorted().first { fixture.actors[$0]?.id == member }
    }

    /// An amount drawn from `range`, held within what Money can hold (the adversary's extreme amounts make ranges
    /// derived from them reach past it).
    private mutating func cny(_ range: ClosedRange<Int64>) -> Money {
        let limit = Limits.maxAmountMinorUnits
        let drawn = min(max(int(range), -limit), limit)
        guard let value = try? Money(minorUnits: drawn, currency: .cny) else { preconditionFailure() }
        return value
    }

    private mutating func label(_ options: [String]) -> Label {
        guard let label = try? Label(pick(options)!) else { preconditionFailure() }
        return label
    }

    private func later(days: Int64) -> Timestamp {
        Timestamp(uncheckedMillis: fixture.time.millis + days * Timestamp.millisPerDay)
    }

    private mutating func card() -> IdentityCard {
        let category = pick(PieceCategory.allCases)!
        if category.isMetal {
            return IdentityCard(category: category, weight: UInt64(int(1_000...500_000)), fineness: 999)
        }
        if category.weighedInCarats {
            return IdentityCard(
                category: category, weight: UInt64(int(100...5_000)), color: label(["D", "E", "G"]),
                clarity: label(["VVS1", "VS2", "SI1"]), cut: label(["EX", "VG"]))
        }
        return IdentityCard(category: category, weight: UInt64(int(1_000...90_000)), description: "carving")
    }

    // MARK: Transactions

    /// One plausible transaction of any kind (some wrong on purpose), signed by its likely signer.
    public mutating func randomTransaction() -> Transaction {
        switch int(0...20) {
        case 0, 1: return registerPiece()
        case 2: return certify()
        case 3: return pieceAttestation()
        case 4, 5: return issueInvoice()
        case 6: return confirm()
        case 7: return pay()
        case 8: return dispute()
        case 9: return settle()
        case 10:
            return fixture.sign(
                "exchange",
                .publishPrice(
                    .init(
                        category: pick(PieceCategory.allCases)!,
                        band: label(["1CT-G-VS2-PER-CT", "AU9999-PER-G", "TYPE-A-PER-G", "1ct/D-F/VS", "!"]),
                        pricePerUnit: cny(-10...900_000))))
        case 11, 12: return consent()
        case 13: return offer()
        case 14: return accept()
        case 15, 16: return pledge()
        case 17: return repay()
        case 18: return release()
        case 19: return loanEvent()
        default: return membership()
        }
    }

    private mutating func registerPiece() -> Transaction {
        var certificate: CertificateRef? = nil
        if chance(40) {
            certificate = CertificateRef(
                lab: fixture.id(pick(["lab", "lab2"])!), number: label(LedgerSimulation.certificateNumbers))
        }
        return fixture.sign(firm(), .registerPiece(.init(card: card(), certificate: certificate)))
    }

    private mutating func certify() -> Transaction {
        let piece = pick(pieces) ?? PieceID(.zero)
        let grading = fixture.state.record(Piece.self, piece.hash)?.card ?? card()
        return fixture.sign(
            pick(["lab", "lab2", "firmA"])!,
            .certifyPiece(
                .init(
                    piece: piece, number: label(LedgerSimulation.certificateNumbers), grading: grading)))
    }

    private mutating func pieceAttestation() -> Transaction {
        let piece = pick(pieces) ?? PieceID(.zero)
        let warehouse = pick(["warehouse", "warehouse2"])!
        switch int(0...3) {
        case 0:
            return fixture.sign(
                "inspector",
                .inspectPiece(
                    .init(
                        piece: piece, cardNumber: label(["NGTC-ID-1", "NGTC-ID-2"]),
                        passed: chance(90), notes: "")))
        case 1: return fixture.sign(warehouse, .custodyIn(.init(piece: piece, bonded: chance(50))))
        case 2: return fixture.sign(warehouse, .custodyOut(.init(piece: piece)))
        default:
            let owner = fixture.state.record(Piece.self, piece.hash)?.owner ?? fixture.id(firm())
            return fixture.sign(warehouse, .stockAudit(.init(firm: owner, pieces: [piece])))
        }
    }

    private mutating func ownedPieces(of firm: String) -> [PieceID] {
        let id = fixture.id(firm)
        return pieces.filter { fixture.state.record(Piece.self, $0.hash)?.owner == id }
    }

    private mutating func issueInvoice() -> Transaction {
        let seller = firm()
        var buyer: MemberID? = fixture.id(firm())
        var channel = pick([SalesChannel.wholesale, .export])!
        if chance(25) {
            buyer = nil
            channel = pick([SalesChannel.retail, .livestream])!
        }
        var sold = [PieceID]()
        if chance(60), let piece = pick(chance(85) ? ownedPieces(of: seller) : pieces) { sold.append(piece) }
        return fixture.sign(
            seller,
            .issueInvoice(
                .init(
                    buyer: buyer, amount: cny(-100...5_000_000),
                    dueAt: later(days: Int64(int(-5...90))), pieces: sold,
                    channel: channel)))
    }

    private mutating func invoice() -> (InvoiceID, Invoice?) {
        let id = pick(invoices) ?? InvoiceID(.zero)
        return (id, fixture.state.record(Invoice.self, id.hash))
    }

    private mutating func confirm() -> Transaction {
        let (id, invoice) = invoice()
        let signer = chance(85) ? invoice?.buyer.flatMap { name(of: $0) } ?? firm() : firm()
        return fixture.sign(signer, .confirmInvoice(.init(invoice: id)))
    }

    private mutating func pay() -> Transaction {
        let (id, invoice) = invoice()
        let signer = chance(30) ? "bank" : invoice?.buyer.flatMap { name(of: $0) } ?? firm()
        let outstanding = invoice.map { $0.amount.minorUnits - $0.paid.minorUnits } ?? 1_000
        return fixture.sign(
            signer, .payInvoice(.init(invoice: id, amount: cny(-10...max(1, outstanding + outstanding / 5)))))
    }

    private mutating func dispute() -> Transaction {
        if chance(50), let disputeID = pick(disputes) {
            let outcome: DisputeOutcome = pick([.dismissed, .cancelled, .adjusted(cny(1...2_000_000))])!
            return fixture.sign(
                pick(["conciliator", "conciliator", "firmA"])!,
                .resolveDispute(
                    .init(
                        dispute: disputeID, outcome: outcome, note: "")))
        }
        let (id, invoice) = invoice()
        let party = invoice.flatMap { chance(50) ? name(of: $0.seller) : $0.buyer.flatMap { name(of: $0) } } ?? firm()
        return fixture.sign(party, .raiseDispute(.init(invoice: id, reason: "quality")))
    }

    private mutating func settle() -> Transaction {
        let start = Timestamp(uncheckedMillis: fixture.time.millis - Int64(int(1...3)) * 30 * Timestamp.millisPerDay)
        let end = Timestamp(uncheckedMillis: start.millis + 30 * Timestamp.millisPerDay)
        return fixture.sign(
            chance(90) ? "platform" : "firmA",
            .settlePlatformSales(
                .init(
                    seller: fixture.id(firm()), periodStart: start, periodEnd: end, gross: cny(1...9_000_000),
                    orders: int(1...500), refunds: cny(0...10_000))))
    }

    private mutating func consent() -> Transaction {
        if chance(15) { return fixture.sign(firm(), .revokeConsent(.init(lender: fixture.id(lender())))) }
        let expiry: Timestamp? = chance(30) ? later(days: Int64(int(1...200))) : nil
        return fixture.sign(firm(), .grantConsent(.init(lender: fixture.id(lender()), expiresAt: expiry)))
    }

    private mutating func offer() -> Transaction {
        let borrower = firm()
        var collateral = [Collateral]()
        if chance(50), let piece = pick(ownedPieces(of: borrower)) { collateral.append(.piece(piece)) }
        if chance(30), let invoice = pick(invoices) { collateral.append(.invoice(invoice)) }
        let height = fixture.state.height > 0 ? fixture.state.height - UInt64(int(0...1)) : 0
        return fixture.sign(
            lender(),
            .makeOffer(
                .init(
                    firm: fixture.id(borrower), product: pick(Product.allCases)!, principal: cny(1...3_000_000),
                    rateBasisPoints: int(300...2_400), termDays: int(30...365), modelHash: SHA256Hash.digest([1]),
                    ledgerHeight: height, expiresAt: later(days: Int64(int(1...30))), collateral: collateral)))
    }

    private mutating func accept() -> Transaction {
        let id = pick(offers) ?? OfferID(.zero)
        let offer = fixture.state.record(Offer.self, id.hash)
        let signer = chance(90) ? offer.flatMap { name(of: $0.firm) } ?? firm() : firm()
        return fixture.sign(signer, .acceptOffer(.init(offer: id)))
    }

    private mutating func loan() -> (LoanID, Loan?) {
        let id = pick(loans) ?? LoanID(.zero)
        return (id, fixture.state.record(Loan.self, id.hash))
    }

    private mutating func pledge() -> Transaction {
        let (id, loan) = loan()
        let borrower = loan.flatMap { name(of: $0.borrower) } ?? firm()
        let item: Collateral
        if chance(60), let piece = pick(chance(80) ? ownedPieces(of: borrower) : pieces) {
            item = .piece(piece)
        } else {
            item = .invoice(pick(invoices) ?? InvoiceID(.zero))
        }
        return fixture.sign(chance(90) ? borrower : firm(), .pledge(.init(loan: id, collateral: item)))
    }

    private mutating func repay() -> Transaction {
        let (id, loan) = loan()
        if chance(30), let claim = pick(claims) {
            let owner = fixture.state.record(RepaymentClaim.self, claim.hash)
                .flatMap { fixture.state.record(Loan.self, $0.loan.hash) }.flatMap { name(of: $0.lender) }
            let signer = chance(90) ? owner ?? lender() : firm()
            return fixture.sign(signer, .confirmRepayment(.init(claim: claim)))
        }
        let signer: String
        switch int(0...9) {
        case 0: signer = "bank"
        case 1...3: signer = loan.flatMap { name(of: $0.lender) } ?? lender()
        default: signer = loan.flatMap { name(of: $0.borrower) } ?? firm()
        }
        let outstanding = loan?.outstanding.minorUnits ?? 1_000
        let amount = chance(30) ? outstanding : Int64(int(1...max(1, outstanding + 10)))
        return fixture.sign(signer, .repay(.init(loan: id, amount: cny(amount...amount))))
    }

    private mutating func release() -> Transaction {
        let (id, loan) = loan()
        let item = loan.flatMap { pick($0.collateral) } ?? .piece(pick(pieces) ?? PieceID(.zero))
        let signer: String
        if chance(70) {
            signer = loan.flatMap { name(of: $0.lender) } ?? lender()
        } else {
            signer = loan.flatMap { name(of: $0.borrower) } ?? firm()
        }
        return fixture.sign(signer, .release(.init(loan: id, collateral: item)))
    }

    private mutating func loanEvent() -> Transaction {
        let (id, loan) = loan()
        if chance(50) {
            return fixture.sign(loan.flatMap { name(of: $0.lender) } ?? lender(), .declareDefault(.init(loan: id)))
        }
        return fixture.sign(
            chance(90) ? "guarantor" : "firmA",
            .guarantee(
                .init(
                    loan: id, coverageBasisPoints: int(1...6_000), fee: cny(0...50_000))))
    }

    private mutating func membership() -> Transaction {
        let target = fixture.id(firm())
        switch int(0...3) {
        case 0:
            return fixture.sign(chance(80) ? "admin" : "firmB", .suspendMember(.init(member: target, reason: "audit")))
        case 3: return evidence()
        case 1: return fixture.sign("admin2", .reinstateMember(.init(member: target)))
        default:
            let seed = int(0...UInt64.max)
            let key = LedgerFixture.key(seed: seed, name: "newcomer")
            return fixture.sign(
                "admin",
                .registerMember(
                    .init(
                        name: "Newcomer \(seed % 1000)", roles: .firm,
                        publicKey: key.publicKey)))
        }
    }

    /// A validator's conflicting prevotes, reported by another validator: sometimes at a height not reached yet,
    /// signed by the wrong key, reported by a firm, or already reported (few heights and rounds make repeats likely).
    private mutating func evidence() -> Transaction {
        let validators = ["v1", "v2", "v3", "v4"]
        let offender = pick(validators)!
        let height = UInt64(int(0...Int(fixture.state.height) + 1)) + (chance(10) ? 5 : 0)
        let key = fixture.actor(chance(90) ? offender : "firmA").key
        let round = UInt32(int(0...1))
        let votes = [UInt8(1), 2].map { block in
            Vote.sign(
                .prevote, height: height, round: round, blockID: SHA256Hash.digest([block]),
                chainID: LedgerFixture.chainID, validator: fixture.id(offender), key: key)
        }
        guard let misbehavior = Misbehavior.votes(votes[0], votes[1]) else { preconditionFailure("they conflict") }
        return fixture.sign(chance(90) ? pick(validators)! : "firmA", .reportEvidence(.init(misbehavior: misbehavior)))
    }
}
